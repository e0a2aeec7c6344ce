"""SqlSearchHistory: first-page searches since a moment, with whether each got a click, per visitor.

Read a few hundred visitors at a time (keyset on visitor id), through the (visitor_id,
occurred_at) indexes of the impression and event logs, so the log is never loaded whole.
"""

from collections.abc import AsyncIterator
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.tables import events, impressions
from domain.search.reformulations import LoggedSearch

VISITORS_PER_CHUNK = 500


class SqlSearchHistory:
    def __init__(self, engine: AsyncEngine, visitors_per_chunk: int = VISITORS_PER_CHUNK) -> None:
        self._engine = engine
        self._chunk = visitors_per_chunk

    async def searches(self, since: datetime) -> AsyncIterator[list[LoggedSearch]]:
        last = ""
        while True:
            async with self._engine.connect() as db:
                visitors = list(
                    (
                        await db.execute(
                            sa.select(impressions.c.visitor_id)
                            .where(impressions.c.visitor_id > last, impressions.c.occurred_at >= since)
                            .group_by(impressions.c.visitor_id)
                            .order_by(impressions.c.visitor_id)
                            .limit(self._chunk)
                        )
                    ).scalars()
                )
                if not visitors:
                    return
                clicked = set(
                    (
                        await db.execute(
                            sa.select(events.c.search_id).where(
                                events.c.visitor_id.in_(visitors),
                                events.c.occurred_at >= since,
                                events.c.type == "click",
                                events.c.search_id.is_not(None),
                            )
                        )
                    ).scalars()
                )
                rows = await db.execute(
                    sa.select(
                        impressions.c.visitor_id,
                        impressions.c.search_id,
                        impressions.c.query,
                        impressions.c.occurred_at,
                    )
                    .where(
                        impressions.c.visitor_id.in_(visitors),
                        impressions.c.occurred_at >= since,
                        impressions.c.page == 1,
                    )
                    .order_by(impressions.c.visitor_id, impressions.c.occurred_at, impressions.c.id)
                )
                chunk = [
                    LoggedSearch(r.visitor_id, r.query, r.occurred_at, r.search_id in clicked) for r in rows
                ]
            yield chunk
            last = visitors[-1]
