"""SqlVisitorEvents: one visitor's slice of the event logs, read for export, pseudonymised on deletion.

The logs are the analytics' raw data, so a deleted shopper's rows are re-labelled, not removed:
the rollups rebuilt from them later count the same. Their analytics visitor row gets the same
label, so the visitor is still counted once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.event_log import EVENT_COLUMNS, to_event
from adapters.sql.tables import analytics_visitors, events, events_archive, impressions, impressions_archive
from domain.events.model import Event


class SqlVisitorEvents:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def of_visitor(self, visitor_id: str, limit: int) -> Sequence[Event]:
        live, archived = (
            sa.select(*[t.c[c] for c in EVENT_COLUMNS], t.c.id).where(t.c.visitor_id == visitor_id)
            for t in (events, events_archive)
        )
        both = sa.union_all(live, archived).subquery()
        query = (
            sa.select(*[both.c[c] for c in EVENT_COLUMNS])
            .order_by(both.c.occurred_at, both.c.id)
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            return [to_event(row) for row in await connection.execute(query)]

    async def pseudonymise(self, visitor_id: str, pseudonym: str) -> int:
        changed = 0
        async with self._engine.begin() as connection:
            for table in (events, events_archive, impressions, impressions_archive):
                result = await connection.execute(
                    sa.update(table)
                    .where(table.c.visitor_id == visitor_id)
                    .values(visitor_id=pseudonym, user_id=None)
                )
                changed += int(getattr(result, "rowcount", 0) or 0)
            result = await connection.execute(
                sa.update(analytics_visitors)
                .where(analytics_visitors.c.visitor_id == visitor_id)
                .values(visitor_id=pseudonym)
            )
            changed += int(getattr(result, "rowcount", 0) or 0)
        return changed
