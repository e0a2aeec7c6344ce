"""SqlPopularityMarks: once per window per (visitor key, product, event type), in the database.

A claim is an upsert: insert the triple, or move it forward only when its window is over
(`until <= the new event's time`). The database serialises concurrent claims on the primary key,
so of a burst of identical events (in one process or many) exactly one claims.

Claims are group-committed as events are (the same `BatchingWriter`): each caller queues its claim,
one writer task upserts everything queued in one multi-row statement and answers each caller
from the rows it returns. One claim per transaction would cost a WAL flush per click (about
12 ms here) and cap a process near 90 claims a second. Within a batch the first of identical
triples decides and the others count as repeats.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.batching import BatchingWriter, Waiter, answer
from adapters.sql.tables import popularity_marks as marks
from domain.events.model import EventType

# Expired rows are deleted by every this-many-th batch, so the table holds about one window's worth.
PRUNE_EVERY = 200

_Key = tuple[str, str, str]
_Item = tuple[_Key, datetime, timedelta]


class SqlPopularityMarks:
    def __init__(self, engine: AsyncEngine, max_batch: int = 500) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"
        self._insert = postgresql.insert if self._postgres else sqlite.insert
        self._batches = 0
        self._writer: BatchingWriter[_Item, bool] = BatchingWriter(self._flush, "popularity-marks", max_batch)

    async def claim(self, key: str, sku: str, kind: EventType, at: datetime, window: timedelta) -> bool:
        return await self._writer.submit(((key, sku, kind), at, window))

    async def release(self, key: str, sku: str, kind: EventType, at: datetime) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                sa.delete(marks).where(
                    marks.c.visitor_key == key,
                    marks.c.sku == sku,
                    marks.c.type == kind,
                    marks.c.counted_at == at,
                )
            )

    async def forget_visitor(self, visitor_id: str) -> None:
        """A signed-in shopper's marks are keyed by their visitor id; popularity itself stays."""
        async with self._engine.begin() as connection:
            await connection.execute(sa.delete(marks).where(marks.c.visitor_key == visitor_id))

    async def _flush(self, batch: list[Waiter[_Item, bool]]) -> None:
        await answer(batch, self._write)

    async def _write(self, batch: list[_Item]) -> list[bool]:
        first: dict[_Key, int] = {}
        rows = []
        for index, (key, at, window) in enumerate(batch):
            if key not in first:
                first[key] = index
                visitor_key, sku, kind = key
                rows.append(
                    {
                        "visitor_key": visitor_key,
                        "sku": sku,
                        "type": kind,
                        "counted_at": at,
                        "until": at + window,
                    }
                )
        insert = self._insert(marks).values(rows)
        statement = insert.on_conflict_do_update(
            index_elements=[marks.c.visitor_key, marks.c.sku, marks.c.type],
            set_={"counted_at": insert.excluded.counted_at, "until": insert.excluded.until},
            where=marks.c.until <= insert.excluded.counted_at,
        ).returning(marks.c.visitor_key, marks.c.sku, marks.c.type)
        self._batches += 1
        async with self._engine.begin() as connection:
            if self._postgres:
                # No WAL flush of its own: the event stored after the claim flushes the WAL up to
                # its own commit, which covers this one. A crash before that loses only the claim
                # of an event that was not stored either.
                await connection.execute(sa.text("SET LOCAL synchronous_commit = off"))
            claimed = {(row[0], row[1], row[2]) for row in await connection.execute(statement)}
            if self._batches % PRUNE_EVERY == 0:
                oldest = min(at for _, at, _ in batch)
                await connection.execute(sa.delete(marks).where(marks.c.until <= oldest))
        return [key in claimed and first[key] == index for index, (key, *_) in enumerate(batch)]

    async def close(self) -> None:
        await self._writer.close()
