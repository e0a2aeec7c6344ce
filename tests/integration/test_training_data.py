"""SqlTrainingData on SQLite and PostgreSQL: logged features come back, labelled by search id + sku."""

from datetime import UTC, datetime, timedelta

import pytest

from adapters.sql.engine import make_engine, make_sessions
from adapters.sql.event_log import SqlEventLog
from adapters.sql.product_repository import SqlProductRepository
from adapters.sql.training_data import SqlTrainingData
from domain.events.model import Event, Impression, Shown
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from tests.unit.fakes import make_product

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
N = len(FEATURE_NAMES)


def vector(seed: float) -> tuple[float, ...]:
    return tuple(seed + i / 10 for i in range(N))


def page(search_id: str, minutes: int, version: str | None = FEATURE_VERSION) -> Impression:
    return Impression(
        search_id=search_id,
        visitor_id="anon:v1",
        arm="personalized",
        query="mug",
        items=(Shown("MUG-1", 1, vector(1.0)), Shown("CUP-2", 2, vector(2.0))),
        page=1,
        total=2,
        occurred_at=T0 + timedelta(minutes=minutes),
        feature_version=version,
    )


def act(kind: str, search_id: str, sku: str, minutes: int) -> Event:
    return Event(
        type=kind,  # type: ignore[arg-type]
        sku=sku,
        visitor_id="anon:v1",
        arm="personalized",
        occurred_at=T0 + timedelta(minutes=minutes),
        search_id=search_id,
        position=1,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, make_database):
    engine = make_engine(await make_database(request.param))
    products = SqlProductRepository(make_sessions(engine))
    await products.upsert_many([make_product("MUG-1", "Blue mug"), make_product("CUP-2", "Red cup")])
    yield engine
    await engine.dispose()


async def test_rows_carry_logged_features_and_labels(engine) -> None:
    log = SqlEventLog(engine)
    await log.record_impressions([page("s1", 0), page("s2", 5), page("old", 1, version=None)])
    for e in (
        act("click", "s1", "CUP-2", 1),
        act("add_to_cart", "s2", "MUG-1", 6),
        # Too late for s1's session window, and a click on another search: neither labels s1.
        act("click", "s1", "MUG-1", 90),
        act("click", "elsewhere", "MUG-1", 2),
    ):
        assert await log.record(e, 0)

    rows = await SqlTrainingData(engine, FEATURE_VERSION).impressions(T0, T0 + timedelta(hours=1))

    got = [(r.search_id, r.sku, r.position, r.clicked, r.carted) for r in rows]
    assert got == [
        ("s1", "MUG-1", 1, False, False),
        ("s1", "CUP-2", 2, True, False),
        ("s2", "MUG-1", 1, True, True),
        ("s2", "CUP-2", 2, False, False),
    ]
    assert rows[1].features == pytest.approx(list(vector(2.0)))
    assert rows[0].time == T0


async def test_other_feature_versions_and_ranges_are_left_out(engine) -> None:
    log = SqlEventLog(engine)
    await log.record_impressions([page("s1", 0), page("s2", 120)])
    source = SqlTrainingData(engine, "other")
    assert await source.impressions(T0, T0 + timedelta(days=1)) == []
    rows = await SqlTrainingData(engine, FEATURE_VERSION).impressions(T0, T0 + timedelta(hours=1))
    assert {r.search_id for r in rows} == {"s1"}


async def test_impression_log_round_trips_features(engine) -> None:
    log = SqlEventLog(engine)
    shown = page("s1", 0)
    await log.record_impression(shown)
    [back] = await log.impressions_between(T0, T0 + timedelta(minutes=1))
    assert back.feature_version == FEATURE_VERSION
    assert [s.features for s in back.items] == [pytest.approx(vector(1.0)), pytest.approx(vector(2.0))]
