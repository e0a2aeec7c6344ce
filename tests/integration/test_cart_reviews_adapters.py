"""Cart, review, view-history and popularity adapters on SQLite and PostgreSQL."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.cart_repository import SqlCartCatalog, SqlCartRepository
from adapters.sql.engine import make_engine, make_sessions
from adapters.sql.product_repository import SqlProductRepository
from adapters.sql.review_repository import SqlReviewRepository
from adapters.sql.shopper_history import SqlPopularProducts, SqlShopperHistory, SqlViewHistory
from adapters.sql.tables import cart_events
from adapters.sql.user_repository import SqlUserRepository
from domain.cart.model import CartChange, CartItem, PricedProduct
from domain.catalog.errors import ProductNotFound
from domain.catalog.rules import product_from_row
from domain.identity.model import NewUser
from tests.fixtures.catalog import CATALOG

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
TICK = 0  # each cart change a second after the last


@dataclass
class Db:
    kind: str
    sessions: async_sessionmaker[AsyncSession]
    products: SqlProductRepository
    users: list[int]


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, make_database) -> AsyncIterator[Db]:
    engine = make_engine(await make_database(request.param))
    sessions = make_sessions(engine)
    products = SqlProductRepository(sessions)
    await products.upsert_many([product_from_row(row, NOW) for row in CATALOG])
    users = SqlUserRepository(sessions)
    ids = [
        (await users.add(NewUser(username=f"u{i}", email=None, password_hash="x", created_at=NOW))).id
        for i in range(4)
    ]
    yield Db(request.param, sessions, products, ids)
    await engine.dispose()


def change(user_id: int, sku: str, action: str, delta: int, quantity: int) -> CartChange:
    global TICK
    TICK += 1
    return CartChange(
        user_id=user_id,
        sku=sku,
        action=action,  # type: ignore[arg-type]
        quantity_delta=delta,
        quantity=quantity,
        arm="control",
        at=NOW + timedelta(seconds=TICK),
    )


async def logged(db: Db, user_id: int) -> list[tuple[str, str, int, int]]:
    async with db.sessions() as session:
        rows = await session.execute(
            sa.select(
                cart_events.c.sku, cart_events.c.action, cart_events.c.quantity_delta, cart_events.c.quantity
            )
            .where(cart_events.c.user_id == user_id)
            .order_by(cart_events.c.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_cart_adds_sets_clears_and_logs_every_change(db: Db) -> None:
    carts, user = SqlCartRepository(db.sessions), db.users[0]
    assert await carts.add(change(user, "HP-001", "add", 2, 2), 99) == 2
    assert await carts.add(change(user, "HP-001", "add", 3, 3), 99) == 5
    assert await carts.add(change(user, "HP-001", "add", 95, 95), 99) is None  # past the cap: nothing
    assert await carts.add(change(user, "CB-001", "add", 1, 1), 99) == 1
    assert await carts.items(user) == [CartItem("HP-001", 5), CartItem("CB-001", 1)]
    assert await carts.set(change(user, "HP-001", "set", 0, 7)) == 5
    assert await carts.set(change(user, "CB-001", "remove", 0, 0)) == 1
    assert await carts.set(change(user, "CB-001", "remove", 0, 0)) == 0  # not there: no log entry
    assert await carts.items(user) == [CartItem("HP-001", 7)]
    assert await carts.clear(user, "control", NOW) == 1
    assert await carts.items(user) == []
    assert await logged(db, user) == [
        ("HP-001", "add", 2, 2),
        ("HP-001", "add", 3, 5),
        ("CB-001", "add", 1, 1),
        ("HP-001", "set", 2, 7),
        ("CB-001", "remove", -1, 0),
        ("HP-001", "clear", -7, 0),
    ]
    assert await carts.items(db.users[1]) == []


async def test_cart_refuses_unknown_products_and_drops_deleted_ones(db: Db) -> None:
    carts, user = SqlCartRepository(db.sessions), db.users[0]
    with pytest.raises(ProductNotFound):
        await carts.add(change(user, "NOPE", "add", 1, 1), 99)
    with pytest.raises(ProductNotFound):
        await carts.set(change(user, "NOPE", "set", 0, 1))
    await carts.add(change(user, "KT-003", "add", 1, 1), 99)
    assert await db.products.delete("KT-003")
    assert await carts.items(user) == []
    assert await logged(db, user) == [("KT-003", "add", 1, 1)]  # the log outlives the product


async def test_cart_catalog_prices_exactly(db: Db) -> None:
    priced = await SqlCartCatalog(db.sessions).priced(["HP-004", "CB-002", "NOPE"])
    titles = {row["sku"]: row["title"] for row in CATALOG}
    assert priced == {
        "HP-004": PricedProduct("HP-004", titles["HP-004"], Decimal("19.99")),
        "CB-002": PricedProduct("CB-002", titles["CB-002"], Decimal("9.00")),
    }
    assert await SqlCartCatalog(db.sessions).priced([]) == {}


async def test_concurrent_first_adds_of_one_sku_lose_nothing(db: Db) -> None:
    # On PostgreSQL the adds race on separate connections; SQLite queues its writers.
    carts, user = SqlCartRepository(db.sessions), db.users[1]
    results = await asyncio.gather(*(carts.add(change(user, "SH-002", "add", 4, 4), 99) for _ in range(12)))
    assert sorted(r for r in results if r is not None) == list(range(4, 49, 4))
    assert await carts.items(user) == [CartItem("SH-002", 48)]
    # Racing towards the cap: exactly as many fit as the cap allows, the rest change nothing.
    results = await asyncio.gather(*(carts.add(change(user, "SH-002", "add", 10, 10), 99) for _ in range(10)))
    assert sum(r is not None for r in results) == 5
    assert await carts.items(user) == [CartItem("SH-002", 98)]
    assert len(await logged(db, user)) == 12 + 5


async def product_figures(db: Db, sku: str) -> tuple[float, int]:
    product = await db.products.get(sku)
    assert product is not None
    return product.rating, product.review_count


async def test_review_writes_keep_the_blend_through_add_change_remove_and_reimport(db: Db) -> None:
    reviews, (ann, bob, *_) = SqlReviewRepository(db.sessions), db.users
    assert await product_figures(db, "CM-003") == (4.8, 75)
    first = await reviews.put(ann, "CM-003", 1, "leaks", NOW)
    assert first is not None and first.username == "u0" and first.created_at == NOW
    assert await product_figures(db, "CM-003") == (round((4.8 * 75 + 1) / 76, 2), 76)
    await reviews.put(bob, "CM-003", 5, "", NOW + timedelta(minutes=1))
    replaced = await reviews.put(ann, "CM-003", 2, "meh", NOW + timedelta(minutes=2))
    assert replaced is not None and replaced.created_at == NOW
    assert await product_figures(db, "CM-003") == (round((4.8 * 75 + 7) / 77, 2), 77)
    page = await reviews.page("CM-003", 10, 0)
    assert page is not None and page.total == 2 and page.average == 3.5
    assert [(r.username, r.rating, r.comment) for r in page.reviews] == [("u0", 2, "meh"), ("u1", 5, "")]
    # A re-import changes the catalog's figures and keeps the users' reviews in the blend.
    row = next(r for r in CATALOG if r["sku"] == "CM-003")
    await db.products.upsert_many([product_from_row({**row, "rating": 4.0, "review_count": 23}, NOW)])
    assert await product_figures(db, "CM-003") == (round((4.0 * 23 + 7) / 25, 2), 25)
    stored = await db.products.get("CM-003")
    assert stored is not None and (stored.imported_rating, stored.imported_review_count) == (4.0, 23)
    assert await reviews.delete(ann, "CM-003") is True
    assert await reviews.delete(ann, "CM-003") is False
    assert await product_figures(db, "CM-003") == (round((4.0 * 23 + 5) / 24, 2), 24)
    assert await reviews.delete(bob, "CM-003") is True
    assert await product_figures(db, "CM-003") == (4.0, 23)
    assert await reviews.page("NOPE", 10, 0) is None
    assert await reviews.put(ann, "NOPE", 3, "", NOW) is None
    assert await reviews.delete(ann, "NOPE") is None


async def test_concurrent_reviews_of_one_product_all_count(db: Db) -> None:
    reviews = SqlReviewRepository(db.sessions)
    await asyncio.gather(*(reviews.put(u, "HP-004", 5, "", NOW) for u in db.users))
    assert await product_figures(db, "HP-004") == (round((3.8 * 40 + 20) / 44, 2), 44)


async def test_views_are_upserted_newest_first_and_capped(db: Db) -> None:
    views, user = SqlViewHistory(db.sessions), db.users[2]
    skus = [row["sku"] for row in CATALOG[:6]]
    for i, sku in enumerate(skus):
        await views.record(user, sku, NOW + timedelta(seconds=i), keep=4)
    await views.record(user, skus[3], NOW + timedelta(seconds=10), keep=4)
    assert [p.sku for p in await views.recent(user, 10)] == [skus[3], skus[5], skus[4], skus[2]]
    assert [p.sku for p in await views.recent(user, 2)] == [skus[3], skus[5]]
    assert await views.recent(db.users[3], 10) == []


async def test_history_signals_owned_skus_and_popular_products(db: Db) -> None:
    user = db.users[3]
    await SqlViewHistory(db.sessions).record(user, "SH-003", NOW, keep=50)
    await SqlCartRepository(db.sessions).add(change(user, "CM-001", "add", 1, 1), 99)
    await SqlReviewRepository(db.sessions).put(user, "YG-002", 5, "", NOW)
    await SqlReviewRepository(db.sessions).put(user, "LP-001", 1, "", NOW)  # a bad review is no interest
    history = SqlShopperHistory(db.sessions)
    signals = sorted((s.category, s.brand, s.weight) for s in await history.signals(user))
    assert signals == [
        ("Coffee Makers", "Brewster", 2.0),
        ("Coffee Makers", "Brewster", 3.0),
        ("Running Shoes", "Pace", 1.0),
        ("Yoga Mats", "Zen", 3.0),
    ]
    assert await history.owned_skus(user) == {"CM-001", "YG-002", "LP-001"}
    popular = SqlPopularProducts(db.sessions)
    assert [p.sku for p in await popular.popular(3)] == ["SH-001", "HP-001", "CB-001"]
    assert [p.sku for p in await popular.popular(2, exclude={"SH-001"})] == ["HP-001", "CB-001"]
    assert [p.sku for p in await popular.popular(5, categories=["Running Shoes"])] == [
        "SH-001",
        "SH-002",
        "SH-003",
    ]
    assert [p.sku for p in await popular.popular(5, brands=["Zen"], exclude={"YG-001"})] == ["YG-002"]
    per_category = await popular.popular_per_category(["Running Shoes", "Headphones"], 2, exclude={"SH-001"})
    assert [p.sku for p in per_category] == ["HP-001", "HP-003", "SH-002", "SH-003"]
    assert await popular.popular_per_category([], 2) == []
