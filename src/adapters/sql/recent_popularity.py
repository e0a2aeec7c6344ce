"""SqlRecentPopularity: clicks and add-to-carts per product over a recent window, from the event log.

Each visitor's click and add-to-cart count once per product, however often repeated: a burst of
identical events from one visitor must not lift the product's recent popularity (issue 18).
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.tables import events


class SqlRecentPopularity:
    def __init__(self, engine: AsyncEngine, limit: int = 20_000) -> None:
        self._engine = engine
        self._limit = limit

    async def counts(self, since: datetime) -> dict[str, float]:
        n = sa.func.count(sa.distinct(events.c.visitor_id.concat(" ").concat(events.c.type))).label("n")
        query = (
            sa.select(events.c.sku, n)
            .where(events.c.occurred_at >= since, events.c.type.in_(("click", "add_to_cart")))
            .group_by(events.c.sku)
            .order_by(n.desc())
            .limit(self._limit)
        )
        async with self._engine.connect() as connection:
            return {sku: float(count) for sku, count in await connection.execute(query)}
