"""SqlShopperEventSource: a shopper's views, clicks and add-to-carts, with the product's fields."""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.tables import events, products
from domain.shoppers.model import ShopperEvent

KINDS = ("view", "click", "add_to_cart")
# A shopper's history is small; the whole log since `since` for "who was active" is bounded by the
# short window the caller asks for (minutes).
MAX_ROWS = 200_000


class SqlShopperEventSource:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def events_since(
        self, since: datetime, visitor_ids: Sequence[str] | None = None
    ) -> list[ShopperEvent]:
        query = (
            sa.select(
                events.c.visitor_id,
                events.c.sku,
                events.c.type,
                events.c.occurred_at,
                products.c.category,
                products.c.brand,
                products.c.price,
            )
            .join(products, products.c.sku == events.c.sku)
            .where(events.c.occurred_at >= since, events.c.type.in_(KINDS))
            .order_by(events.c.occurred_at)
            .limit(MAX_ROWS)
        )
        if visitor_ids is not None:
            query = query.where(events.c.visitor_id.in_(list(visitor_ids)))
        async with self._sessions() as db:
            rows = (await db.execute(query)).all()
        return [
            ShopperEvent(
                visitor_id=r.visitor_id,
                sku=r.sku,
                kind=r.type,
                time=r.occurred_at,
                category=r.category or "",
                brand=r.brand or "",
                price=float(r.price or 0.0),
            )
            for r in rows
        ]
