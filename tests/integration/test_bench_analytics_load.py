"""bench/analytics_load.py writes rows the way SqlEventLog does, so the rollup reads them right.

PostgreSQL only: the loader is server-side SQL for the 10-million-event benchmark.
"""

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import sqlalchemy as sa

from adapters.sql.analytics_rollup import SqlAnalyticsRollup
from adapters.sql.engine import make_engine
from adapters.sql.tables import analytics_daily

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from analytics_load import build_queries, load_events, reference_tables, seed_users
from events import load_catalog


async def test_loaded_log_is_exact_consistent_and_rolls_up(make_database) -> None:
    url = await make_database("postgresql")
    await load_catalog(url, 60, 1)
    connection = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        rng = random.Random(3)
        users = await seed_users(connection, 5, "not-a-hash")
        catalog = await connection.fetch("SELECT title, category, brand FROM products")
        queries = build_queries(
            [r["title"] for r in catalog],
            [r["category"] for r in catalog],
            [r["brand"] for r in catalog],
            40,
            rng,
        )
        await reference_tables(connection, 50, users, queries, rng)
        report = await load_events(connection, 3_000, 3, 50, queries, log=lambda *_: None)

        assert report.events == await connection.fetchval("SELECT count(*) FROM events") == 3_000
        assert (
            report.impressions
            == report.searches
            == await connection.fetchval("SELECT count(*) FROM impressions")
        )
        # Every click names the product shown at its position in its own search, under the same arm.
        mismatched = await connection.fetchval(
            """
            SELECT count(*) FROM events e JOIN impressions i ON i.search_id = e.search_id
            WHERE e.type = 'click'
              AND (i.items -> (e.position - 1) ->> 0 <> e.sku OR i.arm <> e.arm OR i.visitor_id <> e.visitor_id)
            """
        )
        assert mismatched == 0
        assert await connection.fetchval("SELECT count(*) FROM events WHERE type = 'click'") > 0
        logged_in = await connection.fetchval("SELECT count(*) FROM events WHERE user_id IS NOT NULL")
        assert logged_in == await connection.fetchval(
            "SELECT count(*) FROM events WHERE visitor_id = 'user:' || user_id"
        )
        zero = await connection.fetchval("SELECT count(*) FROM impressions WHERE total = 0")
        assert zero == await connection.fetchval("SELECT count(*) FROM impressions WHERE items = '[]'")
        clicks_by_day = await connection.fetch(
            "SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM events "
            "WHERE type = 'click' GROUP BY 1"
        )
    finally:
        await connection.close()

    engine = make_engine(url)
    try:
        rollup = SqlAnalyticsRollup(engine)
        for row in clicks_by_day:
            await rollup.rollup_day(row["day"])
        async with engine.connect() as conn:
            summed = (
                await conn.execute(
                    sa.select(
                        sa.func.sum(analytics_daily.c.searches),
                        sa.func.sum(analytics_daily.c.zero_result_searches),
                        sa.func.sum(analytics_daily.c.clicks),
                    )
                )
            ).one()
    finally:
        await engine.dispose()
    assert report.days[0] >= datetime.now(UTC).date() - timedelta(days=3)
    assert summed[0] == report.searches
    assert summed[1] == zero
    assert summed[2] == sum(row["n"] for row in clicks_by_day)
