"""SqlEventArchive: moves old rows of `events` / `impressions` into their `*_archive` tables."""

from datetime import datetime

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.tables import events, events_archive, impressions, impressions_archive
from application.events.archive_events import ArchivedLog

_TABLES: dict[ArchivedLog, tuple[sa.Table, sa.Table]] = {
    "events": (events, events_archive),
    "impressions": (impressions, impressions_archive),
}


class SqlEventArchive:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    async def move_batch(self, log: ArchivedLog, before: datetime, limit: int, now: datetime) -> int:
        source, archive = _TABLES[log]
        async with self._engine.begin() as connection:
            # The ids first, so the copy and the delete act on exactly the same rows; on PostgreSQL a
            # second run at the same time skips the rows this one holds (SQLite has one writer anyway).
            pick = sa.select(source.c.id).where(source.c.occurred_at < before).order_by(source.c.occurred_at)
            pick = pick.limit(limit).with_for_update(skip_locked=True)
            ids = list((await connection.execute(pick)).scalars())
            if not ids:
                return 0
            stamp = sa.literal(now, DateTimeUTC(timezone=True)).label("archived_at")
            rows = sa.select(*source.c, stamp).where(source.c.id.in_(ids))
            names = [c.name for c in source.c] + ["archived_at"]
            # A row already archived (a copy left by hand, say) is kept once: the move stays idempotent.
            copy = (
                self._insert(archive).from_select(names, rows).on_conflict_do_nothing(index_elements=["id"])
            )
            await connection.execute(copy)
            deleted = await connection.execute(sa.delete(source).where(source.c.id.in_(ids)))
        return int(deleted.rowcount)
