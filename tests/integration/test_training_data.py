"""SqlTrainingData on SQLite and PostgreSQL: logged features come back, labelled by search id + sku."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from adapters.learning.sklearn_fitter import SklearnFitter
from adapters.sql.engine import make_engine, make_sessions
from adapters.sql.event_log import SqlEventLog
from adapters.sql.model_store import SqlModelStore
from adapters.sql.product_repository import SqlProductRepository
from adapters.sql.tables import events
from adapters.sql.training_data import SqlTrainingData
from application.ranking.ports import TrainingImpression
from application.ranking.retrain_ranker import RetrainRanker
from domain.events.model import Event, Impression, Shown
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from tests.unit.fakes import FakeClock, make_product
from tests.unit.ranking_fakes import planted_log

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


def as_log(rows: list[TrainingImpression]) -> tuple[list[Impression], list[dict[str, object]]]:
    """The planted training rows as the search and event endpoints would have logged them."""
    pages: dict[str, list[TrainingImpression]] = {}
    for row in rows:
        pages.setdefault(row.search_id, []).append(row)
    shown, acted = [], []
    for search_id, items in pages.items():
        first = items[0]
        shown.append(
            Impression(
                search_id=search_id,
                visitor_id=first.visitor_id,
                arm="popularity",
                query="q",
                items=tuple(Shown(r.sku, r.position, tuple(r.features)) for r in items),
                page=1,
                total=len(items),
                occurred_at=first.time,
                feature_version=FEATURE_VERSION,
            )
        )
        for r in items:
            kinds = (["click"] if r.clicked else []) + (["add_to_cart"] if r.carted else [])
            for minute, kind in enumerate(kinds, start=1):
                acted.append(
                    {
                        "type": kind,
                        "sku": r.sku,
                        "visitor_id": r.visitor_id,
                        "arm": "popularity",
                        "search_id": search_id,
                        "position": r.position,
                        "occurred_at": r.time + timedelta(minutes=minute),
                    }
                )
    return shown, acted


async def test_the_retrain_use_case_learns_from_the_sql_log_and_promotes(engine) -> None:
    end = T0 + timedelta(days=10)
    planted = planted_log(end, days=8, searches_per_day=30)
    shown, acted = as_log(planted)
    await SqlEventLog(engine).record_impressions(shown)
    async with engine.begin() as connection:
        await connection.execute(sa.insert(events), acted)
    source = SqlTrainingData(engine, FEATURE_VERSION)

    rows = await source.impressions(end - timedelta(days=30), end)
    key = [(r.search_id, r.sku, r.position, r.clicked, r.carted) for r in planted]
    assert [(r.search_id, r.sku, r.position, r.clicked, r.carted) for r in rows] == key

    store = SqlModelStore(make_sessions(engine))
    report = await RetrainRanker(source, store, SklearnFitter(), FakeClock(end))()
    assert report.status == "promoted", report.reason
    current = await store.promoted()
    assert current is not None and current.feature_version == FEATURE_VERSION
