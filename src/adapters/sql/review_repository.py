"""SqlReviewRepository: one review per user and product, the product's rating kept in step."""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.engine import insert_for
from adapters.sql.tables import products, reviews, users
from application.account.ports import OwnReview
from domain.reviews.model import Review, ReviewPage
from domain.reviews.rules import blended_rating


async def _lock_product(session: AsyncSession, sku: str) -> sa.Row[tuple[float, int]] | None:
    """A no-op write as the first statement: it locks the product row on PostgreSQL (and takes the
    write lock on SQLite) so concurrent reviews of one product recount one after another."""
    stmt = (
        sa.update(products)
        .where(products.c.sku == sku)
        .values(user_review_count=products.c.user_review_count)
        .returning(products.c.imported_rating, products.c.imported_review_count)
    )
    return (await session.execute(stmt)).first()


async def _recount(session: AsyncSession, sku: str, imported_rating: float, imported_count: int) -> None:
    sums = (
        await session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(reviews.c.rating), 0), sa.func.count()).where(
                reviews.c.sku == sku
            )
        )
    ).one()
    user_sum, user_count = int(sums[0]), int(sums[1])
    await session.execute(
        sa.update(products)
        .where(products.c.sku == sku)
        .values(
            user_rating_sum=user_sum,
            user_review_count=user_count,
            rating=blended_rating(imported_rating, imported_count, user_sum, user_count),
            review_count=imported_count + user_count,
        )
    )


class SqlReviewRepository:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def page(self, sku: str, limit: int, offset: int) -> ReviewPage | None:
        async with self._sessions() as session:
            found = (
                await session.execute(
                    sa.select(products.c.user_rating_sum, products.c.user_review_count).where(
                        products.c.sku == sku
                    )
                )
            ).first()
            if found is None:
                return None
            rows = await session.execute(
                sa.select(users.c.username, reviews.c.rating, reviews.c.comment, reviews.c.created_at)
                .join(users, users.c.id == reviews.c.user_id)
                .where(reviews.c.sku == sku)
                .order_by(reviews.c.updated_at.desc(), reviews.c.user_id)
                .limit(limit)
                .offset(offset)
            )
            total = int(found.user_review_count)
            return ReviewPage(
                reviews=[
                    Review(username=r.username, rating=r.rating, comment=r.comment, created_at=r.created_at)
                    for r in rows
                ],
                total=total,
                average=round(found.user_rating_sum / total, 2) if total else None,
            )

    async def put(self, user_id: int, sku: str, rating: int, comment: str, at: datetime) -> Review | None:
        async with self._sessions.begin() as session:
            imported = await _lock_product(session, sku)
            if imported is None:
                return None
            insert = insert_for(session.get_bind().dialect.name)
            stmt = insert(reviews).values(
                user_id=user_id, sku=sku, rating=rating, comment=comment, created_at=at, updated_at=at
            )
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["user_id", "sku"],
                    set_={
                        "rating": stmt.excluded.rating,
                        "comment": stmt.excluded.comment,
                        "updated_at": stmt.excluded.updated_at,
                    },
                )
            )
            await _recount(session, sku, imported[0], imported[1])
            row = (
                await session.execute(
                    sa.select(users.c.username, reviews.c.created_at)
                    .join(users, users.c.id == reviews.c.user_id)
                    .where(reviews.c.user_id == user_id, reviews.c.sku == sku)
                )
            ).one()
            return Review(username=row.username, rating=rating, comment=comment, created_at=row.created_at)

    async def delete(self, user_id: int, sku: str) -> bool | None:
        async with self._sessions.begin() as session:
            imported = await _lock_product(session, sku)
            if imported is None:
                return None
            gone = await session.execute(
                sa.delete(reviews).where(reviews.c.user_id == user_id, reviews.c.sku == sku)
            )
            if not gone.rowcount:  # type: ignore[attr-defined]
                return False
            await _recount(session, sku, imported[0], imported[1])
            return True

    async def of_user(self, user_id: int) -> Sequence[OwnReview]:
        async with self._sessions() as session:
            rows = await session.execute(
                sa.select(reviews.c.sku, reviews.c.rating, reviews.c.comment, reviews.c.created_at)
                .where(reviews.c.user_id == user_id)
                .order_by(reviews.c.created_at.desc(), reviews.c.sku)
            )
            return [
                OwnReview(sku=r.sku, rating=r.rating, comment=r.comment, created_at=r.created_at)
                for r in rows
            ]

    async def delete_of_user(self, user_id: int) -> Sequence[str]:
        """One product at a time, each recounted under its lock, as a single review's delete is."""
        async with self._sessions() as session:
            skus = list(
                (
                    await session.execute(sa.select(reviews.c.sku).where(reviews.c.user_id == user_id))
                ).scalars()
            )
        for sku in skus:
            await self.delete(user_id, sku)
        return skus
