"""ReadAnalytics: the experiment readout over the last `days` days, from the rollup summaries only."""

from collections.abc import Awaitable, Callable, Mapping
from datetime import date, timedelta
from typing import Protocol

import msgspec

from application.shoppers.clusters import ClusterSummary
from domain.analytics.breakdowns import (
    MAX_POSITION,
    MAX_QUERY_ROWS,
    MIN_QUERY_SEARCHES,
    PositionCtr,
    QueryCount,
    QueryCtr,
    SeriesPoint,
)
from domain.analytics.readout import ArmMetrics, ArmTotals, Comparison, SampleRatio, build_readout

MIN_DAYS, MAX_DAYS = 1, 365
DEFAULT_DAYS = 30


class AnalyticsSummaries(Protocol):
    """Reads the rollup tables; every method covers the days from `since` on."""

    async def totals(self, since: date) -> dict[str, ArmTotals]: ...

    async def series(self, since: date) -> list[SeriesPoint]: ...

    async def positions(self, since: date, max_position: int) -> list[PositionCtr]: ...

    async def top_queries(self, since: date, limit: int) -> list[QueryCount]: ...

    async def zero_result_queries(self, since: date, limit: int) -> list[QueryCount]: ...

    async def lowest_ctr_queries(self, since: date, min_searches: int, limit: int) -> list[QueryCtr]: ...


class InvalidWindow(ValueError):
    pass


class AnalyticsReport(msgspec.Struct, frozen=True, kw_only=True):
    """The whole `GET /api/analytics` body."""

    days: int
    since: date
    until: date
    method: str
    verdict: str
    arms: dict[str, ArmMetrics]
    comparison: dict[str, Comparison]
    sample_ratio: SampleRatio
    series: list[SeriesPoint]
    positions: list[PositionCtr]
    top_queries: list[QueryCount]
    zero_result_queries: list[QueryCount]
    lowest_ctr_queries: list[QueryCtr]
    clusters: list[ClusterSummary]


def parse_days(raw: object) -> int:
    """The window from user input (query string or CLI): an integer in MIN_DAYS..MAX_DAYS."""
    message = f"days must be a whole number between {MIN_DAYS} and {MAX_DAYS}"
    if isinstance(raw, bool):
        raise InvalidWindow(message)
    if isinstance(raw, str):
        raw = raw.strip()
        if not raw.isdigit():
            raise InvalidWindow(message)
        raw = int(raw)
    if not isinstance(raw, int) or not MIN_DAYS <= raw <= MAX_DAYS:
        raise InvalidWindow(message)
    return raw


class ReadAnalytics:
    def __init__(
        self,
        summaries: AnalyticsSummaries,
        clusters: Callable[[], Awaitable[list[ClusterSummary]]],
        split: Mapping[str, float],
        today: Callable[[], date],
    ) -> None:
        self.summaries = summaries
        self.clusters = clusters
        self.split = dict(split)
        self.today = today

    async def __call__(self, days: int = DEFAULT_DAYS) -> AnalyticsReport:
        days = parse_days(days)
        until = self.today()
        since = until - timedelta(days=days - 1)
        readout = build_readout(await self.summaries.totals(since), self.split)
        return AnalyticsReport(
            days=days,
            since=since,
            until=until,
            method=readout.method,
            verdict=readout.verdict,
            arms=readout.arms,
            comparison=readout.comparison,
            sample_ratio=readout.sample_ratio,
            series=await self.summaries.series(since),
            positions=await self.summaries.positions(since, MAX_POSITION),
            top_queries=await self.summaries.top_queries(since, MAX_QUERY_ROWS),
            zero_result_queries=await self.summaries.zero_result_queries(since, MAX_QUERY_ROWS),
            lowest_ctr_queries=await self.summaries.lowest_ctr_queries(
                since, MIN_QUERY_SEARCHES, MAX_QUERY_ROWS
            ),
            clusters=await self.clusters(),
        )
