"""What a user viewed, carted and reviewed, and the catalog's popular products, for recommendations."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.engine import insert_for
from adapters.sql.product_repository import PRODUCT_COLUMNS, to_product
from adapters.sql.tables import cart_events, cart_items, product_views, products, reviews
from application.account.ports import Viewed
from domain.catalog.model import Product
from domain.recommendations.model import Signal
from domain.recommendations.rules import (
    ADDED_WEIGHT,
    CART_WEIGHT,
    GOOD_REVIEW,
    GOOD_REVIEW_WEIGHT,
    VIEW_WEIGHT,
)

# Only what a product shows, not the analysed search text.
PRODUCT_SELECT = [products.c[name] for name in PRODUCT_COLUMNS]
POPULAR_ORDER = (
    products.c.popularity.desc(),
    products.c.rating.desc(),
    products.c.review_count.desc(),
    products.c.sku,
)
RECENT_ADDS = 100  # the cart log is long; only its newest adds count


class SqlViewHistory:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, user_id: int, sku: str, at: datetime, keep: int) -> None:
        async with self._sessions.begin() as session:
            dialect = session.get_bind().dialect.name
            if dialect == "postgresql":
                # Every logged-in view and click comes here: no WAL flush of its own (a crash may
                # forget the last moment's views, never an event), so it costs a round trip, not a flush.
                await session.execute(sa.text("SET LOCAL synchronous_commit = off"))
            insert = insert_for(dialect)
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

    async def viewed(self, user_id: int) -> Sequence[Viewed]:
        async with self._sessions() as session:
            rows = await session.execute(
                sa.select(product_views.c.sku, product_views.c.viewed_at)
                .where(product_views.c.user_id == user_id)
                .order_by(product_views.c.viewed_at.desc(), product_views.c.sku)
            )
            return [Viewed(sku=r.sku, viewed_at=r.viewed_at) for r in rows]

    async def forget_user(self, user_id: int) -> None:
        async with self._sessions.begin() as session:
            await session.execute(sa.delete(product_views).where(product_views.c.user_id == user_id))

    async def recent(self, user_id: int, limit: int) -> list[Product]:
        async with self._sessions() as session:
            rows = await session.execute(
                sa.select(*PRODUCT_SELECT)
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

    @staticmethod
    def _most_popular(stmt: sa.Select[Any], exclude: Collection[str], limit: int) -> sa.Select[Any]:
        if exclude:
            stmt = stmt.where(products.c.sku.not_in(sorted(exclude)))
        return stmt.order_by(*POPULAR_ORDER).limit(limit)

    async def popular(
        self,
        limit: int,
        exclude: Collection[str] = (),
        categories: Sequence[str] = (),
        brands: Sequence[str] = (),
    ) -> list[Product]:
        stmt = sa.select(*PRODUCT_SELECT)
        if categories:
            stmt = stmt.where(products.c.category.in_(list(categories)))
        if brands:
            stmt = stmt.where(products.c.brand.in_(list(brands)))
        async with self._sessions() as session:
            return [to_product(r) for r in await session.execute(self._most_popular(stmt, exclude, limit))]

    async def popular_per_category(
        self, categories: Sequence[str], per_category: int, exclude: Collection[str] = ()
    ) -> list[Product]:
        if not categories:
            return []
        # One round trip; each part walks the (category, popularity) index and stops early.
        parts = [
            self._most_popular(
                sa.select(*PRODUCT_SELECT).where(products.c.category == category), exclude, per_category
            ).subquery()
            for category in categories
        ]
        union = sa.union_all(*(sa.select(*part.c) for part in parts)).subquery()
        stmt = sa.select(union).order_by(union.c.popularity.desc(), union.c.sku)
        async with self._sessions() as session:
            return [to_product(r) for r in await session.execute(stmt)]
