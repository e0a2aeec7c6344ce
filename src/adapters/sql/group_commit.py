"""GroupCommitEventLog: many concurrent events, one transaction.

Each `record` call queues its event and waits; one writer task takes everything queued, writes
it in a single transaction and then releases the waiters with their own answer. Under no load a
batch is one event and nothing waits longer than before; under load the commit cost is shared,
and a caller still returns only once its event is stored (so a 202 means stored).
"""

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import datetime

from adapters.sql.event_log import SqlEventLog
from domain.events.model import Event, Impression

log = logging.getLogger("ecomsearch.events")

_Item = tuple[Event | Impression, float, "asyncio.Future[bool]"]


class GroupCommitEventLog:
    def __init__(self, inner: SqlEventLog, max_batch: int = 500) -> None:
        self._inner = inner
        self._max_batch = max_batch
        self._queue: asyncio.Queue[_Item] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _ensure_writer(self) -> asyncio.Queue[_Item]:
        loop = asyncio.get_running_loop()
        if self._queue is None or self._loop is not loop or self._writer is None or self._writer.done():
            self._loop = loop
            self._queue = asyncio.Queue()
            self._writer = loop.create_task(self._run(self._queue), name="event-group-commit")
        return self._queue

    async def _submit(self, item: Event | Impression, delta: float) -> bool:
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._ensure_writer().put_nowait((item, delta, future))
        return await future

    async def record(self, event: Event, popularity_delta: float) -> bool:
        return await self._submit(event, popularity_delta)

    async def record_impression(self, impression: Impression) -> None:
        await self._submit(impression, 0)

    async def _run(self, queue: asyncio.Queue[_Item]) -> None:
        batch: list[_Item] = []
        try:
            while True:
                batch = [await queue.get()]
                while len(batch) < self._max_batch and not queue.empty():
                    batch.append(queue.get_nowait())
                # Events and impressions commit separately, so a retry never writes either twice.
                await self._flush([i for i in batch if isinstance(i[0], Event)])
                await self._flush([i for i in batch if isinstance(i[0], Impression)])
                batch = []
        finally:
            # Stopped (shutdown): nobody may wait forever for an answer that will not come.
            while not queue.empty():
                batch.append(queue.get_nowait())
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(RuntimeError("the event writer stopped"))

    async def _flush(self, batch: list[_Item]) -> None:
        if not batch:
            return
        try:
            answers = await self._write(batch)
        except Exception as exc:  # every waiter must hear about it
            if len(batch) > 1:
                # One bad item must not fail its neighbours: write them one by one.
                for item in batch:
                    await self._flush([item])
                return
            _, _, future = batch[0]
            if not future.done():
                future.set_exception(exc)
            return
        for (_, _, future), answer in zip(batch, answers, strict=True):
            if not future.done():
                future.set_result(answer)

    async def _write(self, batch: list[_Item]) -> list[bool]:
        shown = [item for item, _, _ in batch if isinstance(item, Impression)]
        if shown:
            await self._inner.record_impressions(shown)
            return [True] * len(batch)
        return await self._inner.record_many(
            [(item, delta) for item, delta, _ in batch if isinstance(item, Event)]
        )

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await self._writer
            self._writer = None

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
