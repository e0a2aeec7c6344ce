"""What account export reads and deletion removes or pseudonymises, on SQLite and PostgreSQL."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.cart_repository import SqlCartRepository
from adapters.sql.engine import make_engine, make_sessions
from adapters.sql.event_archive import SqlEventArchive
from adapters.sql.personal_events import SqlVisitorEvents
from adapters.sql.popularity_marks import SqlPopularityMarks
from adapters.sql.product_repository import SqlProductRepository
from adapters.sql.review_repository import SqlReviewRepository
from adapters.sql.shopper_history import SqlViewHistory
from adapters.sql.shopper_store import SqlProfileStore
from adapters.sql.tables import analytics_visitors, events, impressions
from adapters.sql.user_repository import SqlUserRepository
from domain.cart.model import CartChange
from domain.catalog.rules import product_from_row
from domain.identity.model import NewUser
from domain.ranking.model import ShopperProfile
from tests.fixtures.catalog import CATALOG
from tests.integration.test_event_archive import event_row, impression_row
from tests.integration.traces import traces_of

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


@dataclass
class Db:
    url: str
    engine: AsyncEngine
    ann: int
    bob: int


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, make_database) -> AsyncIterator[Db]:
    url = await make_database(request.param)
    engine = make_engine(url)
    sessions = make_sessions(engine)
    await SqlProductRepository(sessions).upsert_many([product_from_row(row, NOW) for row in CATALOG])
    users = SqlUserRepository(sessions)
    ann, bob = [
        (await users.add(NewUser(username=n, email=f"{n}@example.com", password_hash="x", created_at=NOW))).id
        for n in ("ann_acct", "bob_acct")
    ]
    yield Db(url, engine, ann, bob)
    await engine.dispose()


def logged(user_id: int, i: int, age_days: float) -> dict[str, object]:
    return event_row(i, age_days) | {"visitor_id": f"user:{user_id}", "user_id": user_id}


async def rows_of(engine: AsyncEngine, table: sa.Table, column: str, value: object) -> int:
    async with engine.connect() as connection:
        query = sa.select(sa.func.count()).select_from(table).where(table.c[column] == value)
        return int((await connection.execute(query)).scalar_one())


async def test_visitor_events_read_live_and_archived_and_pseudonymise_everywhere(db: Db) -> None:
    async with db.engine.begin() as connection:
        await connection.execute(
            sa.insert(events),
            [logged(db.ann, 1, 200), logged(db.ann, 2, 1), logged(db.bob, 3, 2), logged(db.ann, 4, 0.5)],
        )
        await connection.execute(
            sa.insert(impressions),
            [
                impression_row(7, 190) | {"visitor_id": f"user:{db.ann}", "user_id": db.ann},
                impression_row(8, 1),
            ],
        )
        await connection.execute(
            sa.insert(analytics_visitors),
            [
                {
                    "visitor_id": f"user:{db.ann}",
                    "arm": "control",
                    "first_seen": date(2026, 5, 1),
                    "last_seen": date(2026, 11, 28),
                },
                {
                    "visitor_id": f"user:{db.bob}",
                    "arm": "control",
                    "first_seen": date(2026, 11, 27),
                    "last_seen": date(2026, 11, 27),
                },
            ],
        )
    archive = SqlEventArchive(db.engine)
    assert await archive.move_batch("events", NOW - timedelta(days=180), 100, NOW) == 1
    assert await archive.move_batch("impressions", NOW - timedelta(days=180), 100, NOW) == 1
    store = SqlVisitorEvents(db.engine)
    mine = await store.of_visitor(f"user:{db.ann}", 100)
    assert [e.search_id for e in mine] == ["s-1", "s-2", "s-4"]  # archived first: oldest first
    assert [e.search_id for e in await store.of_visitor(f"user:{db.ann}", 2)] == ["s-1", "s-2"]
    # 3 events (one archived), 1 archived impression, 1 analytics visitor.
    assert await store.pseudonymise(f"user:{db.ann}", "deleted:xyz") == 5
    assert await store.of_visitor(f"user:{db.ann}", 100) == []
    assert [e.user_id for e in await store.of_visitor("deleted:xyz", 100)] == [None, None, None]
    assert await rows_of(db.engine, analytics_visitors, "visitor_id", "deleted:xyz") == 1
    assert [e.search_id for e in await store.of_visitor(f"user:{db.bob}", 100)] == ["s-3"]
    traces = await traces_of(db.url, db.ann, [f"user:{db.ann}"])
    assert traces == ["users.id"]  # only the user row itself, which the account deletion removes


async def test_own_reviews_cart_views_profiles_and_marks_are_read_and_forgotten(db: Db) -> None:
    sessions = make_sessions(db.engine)
    reviews = SqlReviewRepository(sessions)
    before = await SqlProductRepository(sessions).get("CM-003")
    assert before is not None
    await reviews.put(db.ann, "CM-003", 1, "no", NOW)
    await reviews.put(db.ann, "HP-001", 5, "yes", NOW + timedelta(minutes=1))
    await reviews.put(db.bob, "CM-003", 5, "", NOW)
    assert [(r.sku, r.rating) for r in await reviews.of_user(db.ann)] == [("HP-001", 5), ("CM-003", 1)]
    assert sorted(await reviews.delete_of_user(db.ann)) == ["CM-003", "HP-001"]
    assert await reviews.of_user(db.ann) == []
    after = await SqlProductRepository(sessions).get("CM-003")
    assert after is not None and after.review_count == before.review_count + 1  # only bob's is left
    page = await reviews.page("CM-003", 10, 0)
    assert page is not None and page.total == 1 and page.average == 5.0

    carts = SqlCartRepository(sessions)
    for user in (db.ann, db.bob):
        await carts.add(
            CartChange(
                user_id=user, sku="HP-001", action="add", quantity_delta=1, quantity=1, arm="a", at=NOW
            ),
            99,
        )
    views = SqlViewHistory(sessions)
    await views.record(db.ann, "HP-002", NOW, 20)
    await views.record(db.ann, "HP-001", NOW + timedelta(seconds=5), 20)
    assert [v.sku for v in await views.viewed(db.ann)] == ["HP-001", "HP-002"]
    profiles = SqlProfileStore(sessions)
    await profiles.save_many(
        [ShopperProfile(visitor_id=f"user:{db.ann}"), ShopperProfile(visitor_id=f"user:{db.bob}")], NOW
    )
    marks = SqlPopularityMarks(db.engine)
    for user in (db.ann, db.bob):
        assert await marks.claim(f"user:{user}", "HP-001", "click", NOW, timedelta(hours=1))
    await marks.close()

    await carts.forget_user(db.ann)
    await views.forget_user(db.ann)
    await profiles.forget_visitor(f"user:{db.ann}")
    marks = SqlPopularityMarks(db.engine)
    await marks.forget_visitor(f"user:{db.ann}")
    await marks.close()
    assert await carts.items(db.ann) == [] and len(await carts.items(db.bob)) == 1
    assert await views.viewed(db.ann) == []
    assert await profiles.get(f"user:{db.ann}") is None and await profiles.get(f"user:{db.bob}") is not None
    await SqlUserRepository(sessions).delete(db.ann)
    assert await traces_of(db.url, db.ann, ["ann_acct", "ann@example.com", f"user:{db.ann}"]) == []
    assert "cart_items.user_id" in await traces_of(db.url, db.bob, ["bob_acct"])
