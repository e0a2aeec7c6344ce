"""SqlEventArchive and the `archive` job on SQLite and PostgreSQL: old rows move, counts hold,
a rerun moves nothing, recent rows stay."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from adapters.sql.engine import make_engine
from adapters.sql.event_archive import SqlEventArchive
from adapters.sql.tables import events, events_archive, impressions, impressions_archive
from application.events.archive_events import ArchiveConfig, ArchiveEvents
from tests.unit.fakes import FakeClock

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


def event_row(i: int, age_days: float) -> dict[str, object]:
    return {
        "type": "click",
        "sku": f"SKU-{i % 7}",
        "visitor_id": f"user:{i % 5}",
        "user_id": i % 5,
        "arm": "personalized",
        "search_id": f"s-{i}",
        "position": 1 + i % 10,
        "query": "blue mug",
        "occurred_at": NOW - timedelta(days=age_days),
    }


def impression_row(i: int, age_days: float) -> dict[str, object]:
    return {
        "search_id": f"s-{i}",
        "visitor_id": f"anon:{i}",
        "user_id": None,
        "arm": "popularity",
        "query": "mug",
        "items": [[f"SKU-{i % 7}", 1], ["SKU-9", 2]],
        "page": 1,
        "total": 2,
        "occurred_at": NOW - timedelta(days=age_days),
        "features": [[0.5, 1.0], [0.25, 0.0]],
        "feature_version": "v1",
    }


async def count(engine, table: sa.Table) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(sa.select(sa.func.count()).select_from(table))).scalar_one())


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, make_database):
    engine = make_engine(await make_database(request.param))
    # 25 old events (200..224 days), 10 recent (0..9 days); 12 old impressions, 3 recent.
    async with engine.begin() as connection:
        await connection.execute(sa.insert(events), [event_row(i, 200 + i) for i in range(25)])
        await connection.execute(sa.insert(events), [event_row(100 + i, i) for i in range(10)])
        await connection.execute(sa.insert(impressions), [impression_row(i, 181 + i) for i in range(12)])
        await connection.execute(
            sa.insert(impressions), [impression_row(100 + i, 179 + i / 10) for i in range(3)]
        )
    yield engine
    await engine.dispose()


async def test_old_rows_move_whole_and_a_rerun_moves_nothing(engine) -> None:
    async with engine.connect() as connection:
        before_events = (await connection.execute(sa.select(events).order_by(events.c.id))).all()
        before_impressions = (
            await connection.execute(sa.select(impressions).order_by(impressions.c.id))
        ).all()
    run = ArchiveEvents(
        SqlEventArchive(engine), FakeClock(NOW), ArchiveConfig(retention_days=180, batch_size=10)
    )
    report = await run()
    assert (report.events, report.impressions, report.batches) == (25, 12, 5)
    assert (await count(engine, events), await count(engine, events_archive)) == (10, 25)
    assert (await count(engine, impressions), await count(engine, impressions_archive)) == (3, 12)
    async with engine.connect() as connection:
        kept = (await connection.execute(sa.select(events).order_by(events.c.id))).all()
        moved = (await connection.execute(sa.select(events_archive).order_by(events_archive.c.id))).all()
        moved_impressions = (
            await connection.execute(sa.select(impressions_archive).order_by(impressions_archive.c.id))
        ).all()
    cutoff = NOW - timedelta(days=180)
    assert kept == [r for r in before_events if r.occurred_at >= cutoff]
    # Every column kept, ids included, JSON and timestamps intact, and the time of the move.
    assert [tuple(r)[:-1] for r in moved] == [tuple(r) for r in before_events if r.occurred_at < cutoff]
    assert [tuple(r)[:-1] for r in moved_impressions] == [
        tuple(r) for r in before_impressions if r.occurred_at < cutoff
    ]
    assert {r.archived_at for r in moved} == {NOW}
    again = await run()
    assert (again.events, again.impressions) == (0, 0)
    assert (await count(engine, events), await count(engine, events_archive)) == (10, 25)


async def test_a_row_already_in_the_archive_is_not_duplicated(engine) -> None:
    archive = SqlEventArchive(engine)
    async with engine.begin() as connection:
        first = (await connection.execute(sa.select(events).order_by(events.c.id).limit(1))).one()
        await connection.execute(sa.insert(events_archive).values(**first._mapping, archived_at=NOW))
    moved = await archive.move_batch("events", NOW - timedelta(days=180), 100, NOW)
    assert moved == 25
    assert (await count(engine, events), await count(engine, events_archive)) == (10, 25)


async def test_two_runs_at_once_move_each_row_once(engine) -> None:
    config = ArchiveConfig(retention_days=180, batch_size=4)
    runs = [ArchiveEvents(SqlEventArchive(engine), FakeClock(NOW), config) for _ in range(2)]
    reports = await asyncio.gather(*(run() for run in runs))
    assert sum(r.events for r in reports) == 25 and sum(r.impressions for r in reports) == 12
    assert (await count(engine, events), await count(engine, events_archive)) == (10, 25)
    assert (await count(engine, impressions), await count(engine, impressions_archive)) == (3, 12)
