from datetime import date, timedelta

import pytest

from application.analytics.errors import InvalidWindow
from application.analytics.read_analytics import READOUT_TTL_SECONDS, ReadAnalytics, parse_days
from application.analytics.rollup_analytics import GENERATION_KEY
from application.shoppers.cluster_shoppers import ClusterSummary
from domain.analytics.breakdowns import (
    PositionCtr,
    QueryCount,
    QueryCtr,
    QueryLists,
    SeriesPoint,
    position_ctr,
)
from domain.analytics.readout import ArmTotals
from tests.unit.fakes import FakeCache

TODAY = date(2026, 5, 30)
SPLIT = {"personalized": 0.5, "popularity": 0.5}


class FakeSummaries:
    """Answers every read from fixed rows and records which window and limits were asked for."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, object]] = []

    async def totals(self, since: date) -> dict[str, ArmTotals]:
        self.asked.append(("totals", since))
        return {
            "personalized": ArmTotals(users=3, searches=10, searches_with_results=8, searches_with_click=4),
            "popularity": ArmTotals(users=1, searches=4, searches_with_results=4, searches_with_click=1),
        }

    async def series(self, since: date) -> list[SeriesPoint]:
        self.asked.append(("series", since))
        return [SeriesPoint(day=since, arm="personalized", searches=10, clicks=5, add_to_cart=1)]

    async def positions(self, since: date, max_position: int) -> list[PositionCtr]:
        self.asked.append(("positions", max_position))
        return [position_ctr(1, "personalized", 8, 2)]

    async def queries(self, since: date, limit: int, min_searches: int) -> QueryLists:
        self.asked.append(("queries", (limit, min_searches)))
        return QueryLists(
            top=[QueryCount(query="mug", count=9)],
            zero_results=[QueryCount(query="zzz", count=2)],
            lowest_ctr=[QueryCtr(query="cup", searches=6, clicks=0, ctr=0.0)],
        )


async def _clusters() -> list[ClusterSummary]:
    return [ClusterSummary(0, 12, ["kitchen", "garden"])]


async def test_the_window_ends_today_and_every_part_comes_from_the_summaries() -> None:
    summaries = FakeSummaries()
    report = await ReadAnalytics(summaries, _clusters, SPLIT, lambda: TODAY)(7)
    assert (report.days, report.since, report.until) == (7, date(2026, 5, 24), TODAY)
    assert ("totals", date(2026, 5, 24)) in summaries.asked
    assert ("positions", 20) in summaries.asked
    assert ("queries", (10, 5)) in summaries.asked
    assert report.arms["personalized"].ctr == pytest.approx(0.5)
    assert report.arms["popularity"].ctr == pytest.approx(0.25)
    assert report.sample_ratio.observed == {"personalized": 0.75, "popularity": 0.25}
    assert report.sample_ratio.expected_share == {"personalized": 0.5, "popularity": 0.5}
    assert report.verdict.startswith("not enough data")
    assert report.series[0].day == report.since
    assert report.positions[0].ctr == pytest.approx(0.25)
    assert [q.query for q in report.top_queries] == ["mug"]
    assert [q.query for q in report.zero_result_queries] == ["zzz"]
    assert report.lowest_ctr_queries[0].searches == 6
    assert report.clusters == [ClusterSummary(0, 12, ["kitchen", "garden"])]


async def test_the_default_window_is_30_days() -> None:
    report = await ReadAnalytics(FakeSummaries(), _clusters, SPLIT, lambda: TODAY)()
    assert report.since == date(2026, 5, 1)


@pytest.mark.parametrize("days", [0, -1, 366, "abc", "", "1.5", True, 2.0, "³", "١٢"])
async def test_a_window_out_of_range_is_refused_before_reading(days: object) -> None:
    summaries = FakeSummaries()
    with pytest.raises(InvalidWindow, match="between 1 and 365"):
        await ReadAnalytics(summaries, _clusters, SPLIT, lambda: TODAY)(days)  # type: ignore[arg-type]
    assert summaries.asked == []


@pytest.mark.parametrize(("raw", "days"), [("1", 1), (" 365 ", 365), (30, 30)])
def test_days_parse_from_text_or_numbers(raw: object, days: int) -> None:
    assert parse_days(raw) == days


async def test_a_cached_readout_reads_the_summaries_once_per_window_day_and_rollup_run() -> None:
    summaries, cache = FakeSummaries(), FakeCache()
    today = [TODAY]
    shown = [ClusterSummary(0, 12, ["kitchen"])]

    async def clusters() -> list[ClusterSummary]:
        return list(shown)

    read = ReadAnalytics(summaries, clusters, SPLIT, lambda: today[0], cache)
    first = await read(7)
    reads = len(summaries.asked)
    assert await read(7) == first and len(summaries.asked) == reads  # served from the cache
    assert all(ttl == READOUT_TTL_SECONDS for ttl in cache.ttls.values())

    shown.append(ClusterSummary(1, 3, ["garden"]))  # a recluster shows at once: clusters are not cached
    assert [c.cluster for c in (await read(7)).clusters] == [0, 1]
    assert len(summaries.asked) == reads

    await read(30)  # another window is another entry
    assert len(summaries.asked) == 2 * reads
    await cache.incr(GENERATION_KEY)  # what every finished rollup run does
    await read(7)
    assert len(summaries.asked) == 3 * reads
    today[0] = TODAY + timedelta(days=1)  # a new day moves the window
    assert (await read(7)).until == today[0]
    assert len(summaries.asked) == 4 * reads


async def test_an_unreadable_cached_readout_is_recomputed() -> None:
    summaries, cache = FakeSummaries(), FakeCache()
    read = ReadAnalytics(summaries, _clusters, SPLIT, lambda: TODAY, cache)
    first = await read(7)
    reads = len(summaries.asked)
    for key in cache.data:
        cache.data[key] = b"\xc1 not msgpack"
    assert await read(7) == first
    assert len(summaries.asked) == 2 * reads
