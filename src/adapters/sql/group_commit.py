"""GroupCommitEventLog: many concurrent events, one transaction.

Each `record` call queues its event and waits; one writer task (`BatchingWriter`) takes everything
queued, writes it in a single transaction and then releases the waiters with their own answer.
Under no load a batch is one event and nothing waits longer than before; under load the commit
cost is shared, and a caller still returns only once its event is stored (so a 202 means stored).
"""

from collections.abc import Sequence
from datetime import datetime

from adapters.sql.batching import BatchingWriter, Waiter, answer
from adapters.sql.event_log import SqlEventLog
from domain.events.model import Event, Impression

_Item = tuple[Event | Impression, float]


class GroupCommitEventLog:
    def __init__(self, inner: SqlEventLog, max_batch: int = 500) -> None:
        self._inner = inner
        self._writer: BatchingWriter[_Item, bool] = BatchingWriter(self._flush, "event", max_batch)

    async def record(self, event: Event, popularity_delta: float) -> bool:
        return await self._writer.submit((event, popularity_delta))

    async def record_impression(self, impression: Impression) -> None:
        await self._writer.submit((impression, 0))

    async def _flush(self, batch: list[Waiter[_Item, bool]]) -> None:
        # Events and impressions commit separately, so a retry never writes either twice; one bad
        # item must not fail its neighbours, so a failed batch is written again one by one.
        events = [w for w in batch if isinstance(w[0][0], Event)]
        await answer(events, self._write_events, one_by_one_on_error=True)
        shown = [w for w in batch if isinstance(w[0][0], Impression)]
        await answer(shown, self._write_impressions, one_by_one_on_error=True)

    async def _write_events(self, items: list[_Item]) -> list[bool]:
        return await self._inner.record_many([(e, delta) for e, delta in items if isinstance(e, Event)])

    async def _write_impressions(self, items: list[_Item]) -> list[bool]:
        await self._inner.record_impressions([i for i, _ in items if isinstance(i, Impression)])
        return [True] * len(items)

    async def close(self) -> None:
        await self._writer.close()

    async def events_between(self, start: datetime, end: datetime, limit: int = 10_000) -> list[Event]:
        return await self._inner.events_between(start, end, limit)

    async def impressions_between(
        self, start: datetime, end: datetime, limit: int = 10_000
    ) -> list[Impression]:
        return await self._inner.impressions_between(start, end, limit)

    async def events_of_visitor(
        self, visitor_id: str, since: datetime, limit: int = 1_000
    ) -> Sequence[Event]:
        return await self._inner.events_of_visitor(visitor_id, since, limit)
