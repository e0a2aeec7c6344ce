"""SqlAnalyticsRollup on SQLite and PostgreSQL: summaries match a plain recount of a generated log."""

import random
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from adapters.sql.analytics_rollup import SqlAnalyticsRollup
from adapters.sql.analytics_summaries import SqlAnalyticsSummaries
from adapters.sql.engine import make_engine
from adapters.sql.tables import (
    analytics_daily,
    analytics_positions,
    analytics_queries,
    analytics_visitors,
    events,
    impressions,
)
from application.analytics.rollup_analytics import MARK_KEY, LogMark, RollupAnalytics
from domain.analytics.readout import build_readout
from tests.unit.fakes import FakeCache, FakeClock

DAY1, DAY2 = date(2026, 5, 1), date(2026, 5, 2)
ARMS = ("personalized", "popularity")


def _log(seed: int, visitors: int, bias: float = 0.5) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    shown, acted = [], []
    for v in range(visitors):
        arm = ARMS[0] if rng.random() < bias else ARMS[1]
        for s in range(rng.randint(1, 3)):
            day = rng.choice((DAY1, DAY2))
            at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC) + timedelta(minutes=s)
            sid, total, query = f"s{v}-{s}", rng.choice((0, 5, 5, 5)), rng.choice(("mug", "cup", "zzz"))
            items = [[f"SKU-{i}", i] for i in range(1, min(total, 4) + 1)]
            shown.append(dict(search_id=sid, visitor_id=f"v{v}", arm=arm, query=query, items=items,
                              page=1, total=total, occurred_at=at))  # fmt: skip
            for sku, pos in items:
                if rng.random() < 0.3:
                    kind = "click" if rng.random() < 0.8 else "add_to_cart"
                    acted.append(dict(type=kind, sku=sku, visitor_id=f"v{v}", arm=arm, search_id=sid,
                                      position=pos, query=query, occurred_at=at))  # fmt: skip
    return shown, acted


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, make_database):
    engine = make_engine(await make_database(request.param))
    yield engine
    await engine.dispose()


async def _load(engine, shown, acted) -> None:
    async with engine.begin() as connection:
        await connection.execute(sa.insert(impressions), shown)
        if acted:
            await connection.execute(sa.insert(events), acted)


def _recount(shown: list[dict], acted: list[dict]) -> dict[str, dict[str, float]]:
    out = {
        arm: dict(users=set(), searches=0, clicks=0, carts=0, with_click=set(), rr=0.0, imp=0) for arm in ARMS
    }
    for row in shown:
        o = out[row["arm"]]
        o["users"].add(row["visitor_id"])
        o["searches"] += 1
        o["imp"] += len(row["items"])
    first: dict[str, tuple[str, int]] = {}
    for row in acted:
        o = out[row["arm"]]
        if row["type"] == "click":
            o["clicks"] += 1
            o["with_click"].add(row["search_id"])
            best = first.get(row["search_id"])
            if best is None or row["position"] < best[1]:
                first[row["search_id"]] = (row["arm"], row["position"])
        else:
            o["carts"] += 1
    for arm, pos in first.values():
        out[arm]["rr"] += 1 / pos
    return out


async def test_rollup_matches_a_recount_of_the_raw_log_and_is_idempotent(
    engine, monkeypatch: pytest.MonkeyPatch
) -> None:

    shown, acted = _log(7, 300)
    await _load(engine, shown, acted)
    rollup = SqlAnalyticsRollup(engine)
    for day in (DAY1, DAY2, DAY1):  # recomputing a day changes nothing
        await rollup.rollup_day(day)
    totals = await rollup.totals(DAY1)
    expected = _recount(shown, acted)
    for arm in ARMS:
        got, want = totals[arm], expected[arm]
        assert got.users == len(want["users"])  # a visitor seen on both days counts once
        assert got.searches == want["searches"]
        assert got.clicks == want["clicks"]
        assert got.add_to_cart == want["carts"]
        assert got.impressions == want["imp"]
        assert got.searches_with_click == len(want["with_click"])
        assert got.first_click_rr_sum == pytest.approx(want["rr"])
    async with engine.connect() as connection:
        rows = (
            await connection.execute(sa.select(sa.func.count()).select_from(analytics_daily))
        ).scalar_one()
    assert rows == 4
    # A window from the second day counts the visitors seen that day, however the days were rolled up.
    on_day2 = {arm: {r["visitor_id"] for r in shown + acted if r["arm"] == arm and r["occurred_at"].date() == DAY2}
               for arm in ARMS}  # fmt: skip
    later = await rollup.totals(DAY2)
    assert {arm: later[arm].users for arm in ARMS} == {arm: len(on_day2[arm]) for arm in ARMS}


async def test_a_planted_split_imbalance_trips_the_sample_ratio_check(engine) -> None:
    shown, acted = _log(11, 2000, bias=0.6)
    await _load(engine, shown, acted)
    rollup = SqlAnalyticsRollup(engine)
    for day in (DAY1, DAY2):
        await rollup.rollup_day(day)
    readout = build_readout(await rollup.totals(DAY1), {"personalized": 0.5, "popularity": 0.5})
    assert readout.sample_ratio.mismatch
    assert readout.verdict.startswith("sample ratio mismatch")


def _recount_breakdowns(shown: list[dict], acted: list[dict]) -> dict[str, object]:
    """Series, click-through by position and query lists, counted straight from the generated log."""
    series: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    shown_at: Counter[tuple[int, str]] = Counter()
    clicked_at: Counter[tuple[int, str]] = Counter()
    searches: Counter[str] = Counter()
    zero: Counter[str] = Counter()
    clicks: Counter[str] = Counter()
    for row in shown:
        series[(row["occurred_at"].date(), row["arm"])][0] += 1
        searches[row["query"]] += 1
        zero[row["query"]] += row["total"] == 0
        for _sku, pos in row["items"]:
            shown_at[(pos, row["arm"])] += 1
    for row in acted:
        key = (row["occurred_at"].date(), row["arm"])
        if row["type"] == "click":
            series[key][1] += 1
            clicked_at[(row["position"], row["arm"])] += 1
            clicks[row["query"]] += 1
        else:
            series[key][2] += 1
    with_results = {q: searches[q] - zero[q] for q in searches}
    return {
        "series": sorted((day, arm, *counts) for (day, arm), counts in series.items()),
        "positions": sorted(
            (pos, arm, n, clicked_at[(pos, arm)], round(clicked_at[(pos, arm)] / n, 9))
            for (pos, arm), n in shown_at.items()
        ),
        "top": sorted(((q, n) for q, n in searches.items()), key=lambda x: (-x[1], x[0]))[:10],
        "zero": sorted(((q, n) for q, n in zero.items() if n), key=lambda x: (-x[1], x[0]))[:10],
        "lowest": sorted(
            ((q, n, clicks[q]) for q, n in with_results.items() if n >= 5),
            key=lambda x: (x[2] / x[1], x[0]),
        )[:10],
    }


async def test_breakdowns_match_a_recount_of_the_raw_log(engine) -> None:
    shown, acted = _log(5, 400)
    # More distinct queries than a list holds, a few of them never answered.
    rng = random.Random(3)
    for row in shown:
        row["query"] = f"q{rng.randint(0, 14)}"
        if row["query"] in ("q13", "q14"):
            row["total"], row["items"] = 0, []
    by_search = {row["search_id"]: row["query"] for row in shown}
    for row in acted:
        row["query"] = by_search[row["search_id"]]
    acted = [row for row in acted if row["search_id"] in {s["search_id"] for s in shown if s["items"]}]
    await _load(engine, shown, acted)
    rollup = SqlAnalyticsRollup(engine)
    for day in (DAY1, DAY2):
        await rollup.rollup_day(day)
    summaries = SqlAnalyticsSummaries(engine)
    want = _recount_breakdowns(shown, acted)

    got_series = [(p.day, p.arm, p.searches, p.clicks, p.add_to_cart) for p in await summaries.series(DAY1)]
    assert got_series == want["series"]
    got_positions = [
        (p.position, p.arm, p.impressions, p.clicks, round(p.ctr, 9))
        for p in await summaries.positions(DAY1, 20)
    ]
    assert got_positions == want["positions"]
    queries = await summaries.queries(DAY1, 10, 5)
    assert [(q.query, q.count) for q in queries.top] == want["top"]
    assert [(q.query, q.count) for q in queries.zero_results] == want["zero"]
    assert [(q.query, q.searches, q.clicks) for q in queries.lowest_ctr] == want["lowest"]
    assert want["zero"] and len(want["top"]) == 10  # the planted log exercises every list
    # A window starting on the second day leaves the first day out.
    assert {p.day for p in await summaries.series(DAY2)} == {DAY2}


async def _tables(engine) -> dict[str, list[tuple]]:
    async with engine.connect() as connection:
        return {
            table.name: sorted(tuple(row) for row in (await connection.execute(sa.select(table))).all())
            for table in (analytics_daily, analytics_positions, analytics_queries, analytics_visitors)
        }


async def test_the_rollup_job_finds_the_touched_days_and_rerunning_changes_nothing(engine) -> None:
    shown, acted = _log(9, 120)
    await _load(engine, shown, acted)
    rollup = SqlAnalyticsRollup(engine)
    touched = await rollup.touched_since(LogMark())
    assert (touched.first, touched.last) == (DAY1, DAY2)
    assert touched.mark == LogMark(event_id=len(acted), impression_id=len(shown))
    assert (await rollup.touched_since(touched.mark)).first is None
    # A mark left from another database (beyond this log's ids) means reading this log whole.
    stale = await rollup.touched_since(LogMark(event_id=10**9, impression_id=10**9))
    assert (stale.first, stale.last, stale.mark) == (DAY1, DAY2, touched.mark)

    cache = FakeCache()
    job = RollupAnalytics(rollup, cache, FakeClock(datetime(2026, 5, 10, tzinfo=UTC)))
    assert (await job()).days == [DAY1, DAY2, date(2026, 5, 9), date(2026, 5, 10)]
    once = await _tables(engine)
    assert (await job()).days == [date(2026, 5, 9), date(2026, 5, 10)]  # nothing new logged
    assert await _tables(engine) == once
    assert once["analytics_daily"]
    await cache.delete(MARK_KEY)  # a lost mark: the whole log again, same tables
    await job()
    assert await _tables(engine) == once


async def test_a_later_page_adds_impressions_not_a_search_and_days_roll_up_in_any_order(engine) -> None:
    at1 = datetime(2026, 5, 1, 9, tzinfo=UTC)
    at2 = at1 + timedelta(days=1)
    page1 = [[f"A{n}", n] for n in range(1, 13)]
    page2 = [[f"A{n}", n] for n in range(13, 25)]
    shown = [
        dict(search_id="s1", visitor_id="v1", arm="popularity", query="lamp", items=page1, page=1,
             total=30, occurred_at=at1),
        dict(search_id="s1", visitor_id="v1", arm="popularity", query="lamp", items=page2, page=2,
             total=30, occurred_at=at1 + timedelta(seconds=5)),
        dict(search_id="s2", visitor_id="v1", arm="popularity", query="desk", items=[], page=1,
             total=0, occurred_at=at2),
    ]  # fmt: skip
    acted = [
        dict(type="click", sku="A15", visitor_id="v1", arm="popularity", search_id="s1", position=15,
             query="lamp", occurred_at=at1 + timedelta(seconds=9)),
        dict(type="click", sku="A20", visitor_id="v1", arm="popularity", search_id="s1", position=20,
             query="lamp", occurred_at=at1 + timedelta(seconds=12)),
        dict(type="add_to_cart", sku="A15", visitor_id="v1", arm="popularity", search_id="s1", position=15,
             query="lamp", occurred_at=at1 + timedelta(seconds=20)),
    ]  # fmt: skip
    await _load(engine, shown, acted)
    rollup = SqlAnalyticsRollup(engine)
    for day in (DAY2, DAY1):  # the later day first: the visitor's last day stays DAY2
        await rollup.rollup_day(day)
    totals = (await rollup.totals(DAY1))["popularity"]
    assert (totals.searches, totals.searches_with_results, totals.zero_result_searches) == (2, 1, 1)
    assert (totals.impressions, totals.clicks, totals.add_to_cart) == (24, 2, 1)
    assert (totals.searches_with_click, totals.searches_with_cart, totals.users) == (1, 1, 1)
    assert totals.first_click_rr_sum == pytest.approx(1 / 15)
    assert (await rollup.totals(DAY2))["popularity"].users == 1
    async with engine.connect() as connection:
        visitor = (await connection.execute(sa.select(analytics_visitors))).one()
        shown_at = dict(
            (await connection.execute(
                sa.select(analytics_positions.c.position, analytics_positions.c.impressions)
            )).tuples().all()
        )  # fmt: skip
        lamp = (await connection.execute(
            sa.select(analytics_queries.c.searches, analytics_queries.c.clicks)
            .where(analytics_queries.c.query == "lamp")
        )).one()  # fmt: skip
    assert (visitor.first_seen, visitor.last_seen) == (DAY1, DAY2)
    assert shown_at == {n: 1 for n in range(1, 25)}
    assert tuple(lamp) == (1, 2)
