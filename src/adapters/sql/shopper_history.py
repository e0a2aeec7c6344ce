"""What a user viewed, carted and reviewed, and the catalog's popular products, for recommendations."""

from collections.abc import Collection, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.engine import insert_for
from adapters.sql.product_repository import to_product
from adapters.sql.tables import cart_events, cart_items, product_views, products, reviews
from domain.catalog.model import Product
from domain.recommendations.model import Signal
from domain.recommendations.rules import (
    ADDED_WEIGHT,
    CART_WEIGHT,
    GOOD_REVIEW,
    GOOD_REVIEW_WEIGHT,
    VIEW_WEIGHT,
)

RECENT_ADDS = 100  # the cart log is long; only its newest adds count


class SqlViewHistory:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, user_id: int, sku: str, at: datetime, keep: int) -> None:
        async with self._sessions.begin() as session:
            insert = insert_for(session.get_bind().dialect.name)
            stmt = insert(product_views).values(user_id=user_id, sku=sku, viewed_at=at)
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["user_id", "sku"], set_={"viewed_at": stmt.excluded.viewed_at}
                )
            )
            newest = (
                sa.select(product_views.c.sku)
                .where(product_views.c.user_id == user_id)
                .order_by(product_views.c.viewed_at.desc(), product_views.c.sku)
                .limit(keep)
            )
            await session.execute(
                sa.delete(product_views).where(
                    product_views.c.user_id == user_id, product_views.c.sku.not_in(newest.scalar_subquery())
                )
            )

    async def recent(self, user_id: int, limit: int) -> list[Product]:
        async with self._sessions() as session:
            rows = await session.execute(
                sa.select(products)
                .join(product_views, product_views.c.sku == products.c.sku)
                .where(product_views.c.user_id == user_id)
                .order_by(product_views.c.viewed_at.desc(), product_views.c.sku)
                .limit(limit)
            )
            return [to_product(r) for r in rows]


class SqlShopperHistory:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def signals(self, user_id: int) -> list[Signal]:
        adds = (
            sa.select(cart_events.c.sku)
            .where(cart_events.c.user_id == user_id, cart_events.c.action == "add")
            .order_by(cart_events.c.created_at.desc())
            .limit(RECENT_ADDS)
            .subquery()
        )
        sources = [
            (
                sa.select(product_views.c.sku).where(product_views.c.user_id == user_id).subquery(),
                VIEW_WEIGHT,
            ),
            (sa.select(cart_items.c.sku).where(cart_items.c.user_id == user_id).subquery(), CART_WEIGHT),
            (adds, ADDED_WEIGHT),
            (
                sa.select(reviews.c.sku)
                .where(reviews.c.user_id == user_id, reviews.c.rating >= GOOD_REVIEW)
                .subquery(),
                GOOD_REVIEW_WEIGHT,
            ),
        ]
        signals: list[Signal] = []
        async with self._sessions() as session:
            for source, weight in sources:
                rows = await session.execute(
                    sa.select(products.c.category, products.c.brand).join(
                        source, source.c.sku == products.c.sku
                    )
                )
                signals += [Signal(r.category, r.brand, weight) for r in rows]
        return signals

    async def owned_skus(self, user_id: int) -> set[str]:
        async with self._sessions() as session:
            rows = await session.execute(
                sa.union(
                    sa.select(cart_items.c.sku).where(cart_items.c.user_id == user_id),
                    sa.select(reviews.c.sku).where(reviews.c.user_id == user_id),
                )
            )
            return set(rows.scalars())


class SqlPopularProducts:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def popular(
        self,
        limit: int,
        exclude: Collection[str] = (),
        categories: Sequence[str] = (),
        brands: Sequence[str] = (),
    ) -> list[Product]:
        stmt = sa.select(products)
        if categories:
            stmt = stmt.where(products.c.category.in_(list(categories)))
        if brands:
            stmt = stmt.where(products.c.brand.in_(list(brands)))
        if exclude:
            stmt = stmt.where(products.c.sku.not_in(sorted(exclude)))
        stmt = stmt.order_by(
            products.c.popularity.desc(),
            products.c.rating.desc(),
            products.c.review_count.desc(),
            products.c.sku,
        ).limit(limit)
        async with self._sessions() as session:
            return [to_product(r) for r in await session.execute(stmt)]
