"""SqlShopperEventSource: a shopper's views, clicks and add-to-carts, with the product's fields.

Each event also carries the median price of its product's category in the catalog, so a profile
can say where in a category's range a shopper buys. Medians are computed in Python from the
categories' prices (portable across SQLite and PostgreSQL) and kept for `median_ttl_seconds`.
"""

import statistics
import time
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
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], median_ttl_seconds: float = 3600.0
    ) -> None:
        self._sessions = sessions
        self._ttl = median_ttl_seconds
        self._medians: dict[str, tuple[float, float]] = {}  # category -> (median price, computed at)

    async def _category_medians(self, db: AsyncSession, categories: set[str]) -> dict[str, float]:
        now = time.monotonic()
        stale = sorted(
            c for c in categories if c not in self._medians or now - self._medians[c][1] > self._ttl
        )
        if stale:
            prices: dict[str, list[float]] = {c: [] for c in stale}
            query = sa.select(products.c.category, products.c.price).where(products.c.category.in_(stale))
            for category, price in (await db.execute(query)).all():
                if price is not None:
                    prices[category].append(float(price))
            for category, values in prices.items():
                self._medians[category] = (statistics.median(values) if values else 0.0, now)
        return {c: self._medians[c][0] for c in categories if c in self._medians}

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
            medians = await self._category_medians(db, {r.category for r in rows if r.category})
        return [
            ShopperEvent(
                visitor_id=r.visitor_id,
                sku=r.sku,
                kind=r.type,
                time=r.occurred_at,
                category=r.category or "",
                brand=r.brand or "",
                price=float(r.price or 0.0),
                category_price=medians.get(r.category or "", 0.0),
            )
            for r in rows
        ]
