"""SqlCartRepository: cart lines with atomic upserts, each change logged in the same transaction."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.engine import insert_for
from adapters.sql.tables import cart_events, cart_items, products
from domain.cart.model import CartChange, CartItem, PricedProduct
from domain.cart.rules import money
from domain.catalog.errors import ProductNotFound


def _log(change: CartChange, delta: int, quantity: int) -> dict[str, Any]:
    return {
        "user_id": change.user_id,
        "sku": change.sku,
        "action": change.action,
        "quantity_delta": delta,
        "quantity": quantity,
        "arm": change.arm,
        "created_at": change.at,
    }


def _new_line(session: AsyncSession, change: CartChange, quantity: int) -> Any:
    """The dialect's INSERT of `change`'s line holding `quantity`; callers add the ON CONFLICT."""
    insert = insert_for(session.get_bind().dialect.name)
    return insert(cart_items).values(
        user_id=change.user_id,
        sku=change.sku,
        quantity=quantity,
        added_at=change.at,
        updated_at=change.at,
    )


class SqlCartRepository:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def items(self, user_id: int) -> list[CartItem]:
        async with self._sessions() as session:
            rows = await session.execute(
                sa.select(cart_items.c.sku, cart_items.c.quantity)
                .where(cart_items.c.user_id == user_id)
                .order_by(cart_items.c.added_at, cart_items.c.sku)
            )
            return [CartItem(sku=r.sku, quantity=r.quantity) for r in rows]

    async def add(self, change: CartChange, max_quantity: int) -> int | None:
        try:
            async with self._sessions.begin() as session:
                stmt = _new_line(session, change, change.quantity_delta)
                # One statement: concurrent adds queue on the row, and the cap is checked on the
                # quantity they find, so none is lost and none passes the cap.
                total = cart_items.c.quantity + stmt.excluded.quantity
                stmt = stmt.on_conflict_do_update(
                    index_elements=["user_id", "sku"],
                    set_={"quantity": total, "updated_at": stmt.excluded.updated_at},
                    where=total <= max_quantity,
                ).returning(cart_items.c.quantity)
                quantity = (await session.execute(stmt)).scalar_one_or_none()
                if quantity is None:
                    return None
                await session.execute(
                    sa.insert(cart_events).values(_log(change, change.quantity_delta, quantity))
                )
                return int(quantity)
        except IntegrityError as exc:  # the product went away after it was looked up
            raise ProductNotFound(change.sku) from exc

    async def set(self, change: CartChange) -> int:
        try:
            async with self._sessions.begin() as session:
                key = (cart_items.c.user_id == change.user_id) & (cart_items.c.sku == change.sku)
                if change.quantity == 0:
                    before = (
                        await session.execute(
                            sa.delete(cart_items).where(key).returning(cart_items.c.quantity)
                        )
                    ).scalar_one_or_none()
                else:
                    # A no-op write first: it locks the line on PostgreSQL and takes SQLite's write
                    # lock before anything is read, so the logged delta is exact.
                    before = (
                        await session.execute(
                            sa.update(cart_items)
                            .where(key)
                            .values(updated_at=cart_items.c.updated_at)
                            .returning(cart_items.c.quantity)
                        )
                    ).scalar_one_or_none()
                    stmt = _new_line(session, change, change.quantity)
                    await session.execute(
                        stmt.on_conflict_do_update(
                            index_elements=["user_id", "sku"],
                            set_={"quantity": stmt.excluded.quantity, "updated_at": stmt.excluded.updated_at},
                        )
                    )
                old = int(before or 0)
                if old != change.quantity:
                    await session.execute(
                        sa.insert(cart_events).values(_log(change, change.quantity - old, change.quantity))
                    )
                return old
        except IntegrityError as exc:
            raise ProductNotFound(change.sku) from exc

    async def forget_user(self, user_id: int) -> None:
        """The cart and its log go with the account (the log only feeds recommendations)."""
        async with self._sessions.begin() as session:
            await session.execute(sa.delete(cart_items).where(cart_items.c.user_id == user_id))
            await session.execute(sa.delete(cart_events).where(cart_events.c.user_id == user_id))

    async def clear(self, user_id: int, arm: str, at: datetime) -> int:
        async with self._sessions.begin() as session:
            removed = (
                await session.execute(
                    sa.delete(cart_items)
                    .where(cart_items.c.user_id == user_id)
                    .returning(cart_items.c.sku, cart_items.c.quantity)
                )
            ).all()
            if removed:
                await session.execute(
                    sa.insert(cart_events),
                    [
                        {
                            "user_id": user_id,
                            "sku": r.sku,
                            "action": "clear",
                            "quantity_delta": -r.quantity,
                            "quantity": 0,
                            "arm": arm,
                            "created_at": at,
                        }
                        for r in removed
                    ],
                )
            return len(removed)


class SqlCartCatalog:
    """The cart's view of the catalog: title and exact price."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def priced(self, skus: Sequence[str]) -> dict[str, PricedProduct]:
        if not skus:
            return {}
        async with self._sessions() as session:
            rows = await session.execute(
                sa.select(products.c.sku, products.c.title, products.c.price).where(
                    products.c.sku.in_(list(skus))
                )
            )
            return {r.sku: PricedProduct(sku=r.sku, title=r.title, price=money(r.price)) for r in rows}
