"""SqlPopularityMarks: once per window per (visitor key, product, event type), in the database.

The claim is one upsert: insert the triple, or move its time forward only when the stored one is
older than the window. The database serialises concurrent claims on the primary key, so of a burst
of identical events (in one process or many) exactly one claims.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.tables import popularity_marks as marks
from domain.events.model import EventType

# Expired rows are deleted by every this-many-th claim, so the table holds about one window's worth.
PRUNE_EVERY = 1000


class SqlPopularityMarks:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        self._claims = 0

    async def claim(self, key: str, sku: str, kind: EventType, at: datetime, window: timedelta) -> bool:
        insert = self._insert(marks).values(visitor_key=key, sku=sku, type=kind, counted_at=at)
        statement = insert.on_conflict_do_update(
            index_elements=[marks.c.visitor_key, marks.c.sku, marks.c.type],
            set_={"counted_at": insert.excluded.counted_at},
            where=marks.c.counted_at <= at - window,
        )
        self._claims += 1
        async with self._engine.begin() as connection:
            claimed = (await connection.execute(statement)).rowcount == 1
            if self._claims % PRUNE_EVERY == 0:
                await connection.execute(sa.delete(marks).where(marks.c.counted_at <= at - window))
        return claimed

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
