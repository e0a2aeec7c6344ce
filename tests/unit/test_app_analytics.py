from datetime import date

import pytest

from application.analytics.readout import InvalidWindow, ReadAnalytics, parse_days
from application.shoppers.clusters import ClusterSummary
from domain.analytics.breakdowns import PositionCtr, QueryCount, QueryCtr, SeriesPoint, position_ctr
from domain.analytics.readout import ArmTotals

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

    async def top_queries(self, since: date, limit: int) -> list[QueryCount]:
        self.asked.append(("top", limit))
        return [QueryCount(query="mug", count=9)]

    async def zero_result_queries(self, since: date, limit: int) -> list[QueryCount]:
        self.asked.append(("zero", limit))
        return [QueryCount(query="zzz", count=2)]

    async def lowest_ctr_queries(self, since: date, min_searches: int, limit: int) -> list[QueryCtr]:
        self.asked.append(("lowest", (min_searches, limit)))
        return [QueryCtr(query="cup", searches=6, clicks=0, ctr=0.0)]


async def _clusters() -> list[ClusterSummary]:
    return [ClusterSummary(0, 12, ["kitchen", "garden"])]


async def test_the_window_ends_today_and_every_part_comes_from_the_summaries() -> None:
    summaries = FakeSummaries()
    report = await ReadAnalytics(summaries, _clusters, SPLIT, lambda: TODAY)(7)
    assert (report.days, report.since, report.until) == (7, date(2026, 5, 24), TODAY)
    assert ("totals", date(2026, 5, 24)) in summaries.asked
    assert ("positions", 20) in summaries.asked
    assert ("top", 10) in summaries.asked and ("zero", 10) in summaries.asked
    assert ("lowest", (5, 10)) in summaries.asked
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


@pytest.mark.parametrize("days", [0, -1, 366, "abc", "", "1.5", True, 2.0])
async def test_a_window_out_of_range_is_refused_before_reading(days: object) -> None:
    summaries = FakeSummaries()
    with pytest.raises(InvalidWindow, match="between 1 and 365"):
        await ReadAnalytics(summaries, _clusters, SPLIT, lambda: TODAY)(days)  # type: ignore[arg-type]
    assert summaries.asked == []


@pytest.mark.parametrize(("raw", "days"), [("1", 1), (" 365 ", 365), (30, 30)])
def test_days_parse_from_text_or_numbers(raw: object, days: int) -> None:
    assert parse_days(raw) == days
