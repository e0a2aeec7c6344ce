"""ReadAnalytics: the experiment readout over the last `days` days, from the rollup summaries only."""

from collections.abc import Awaitable, Callable, Mapping
from datetime import date, timedelta
from typing import Protocol

import msgspec

from application.analytics.errors import InvalidWindow
from application.analytics.rollup_analytics import GENERATION_KEY
from application.cached import read_through
from application.ports import Cache
from application.shoppers.cluster_shoppers import ClusterSummary
from domain.analytics.breakdowns import (
    MAX_POSITION,
    MAX_QUERY_ROWS,
    MIN_QUERY_SEARCHES,
    PositionCtr,
    QueryCount,
    QueryCtr,
    QueryLists,
    SeriesPoint,
)
from domain.analytics.readout import ArmMetrics, ArmTotals, Comparison, SampleRatio, build_readout

MIN_DAYS, MAX_DAYS = 1, 365
DEFAULT_DAYS = 30
# The summaries change only when the rollup job runs, which moves GENERATION_KEY; the TTL bounds how
# stale a process-local cache can be when the job ran in another process.
READOUT_TTL_SECONDS = 300.0


class AnalyticsSummaries(Protocol):
    """Reads the rollup tables; every method covers the days from `since` on."""

    async def totals(self, since: date) -> dict[str, ArmTotals]: ...

    async def series(self, since: date) -> list[SeriesPoint]: ...

    async def positions(self, since: date, max_position: int) -> list[PositionCtr]: ...

    async def queries(self, since: date, limit: int, min_searches: int) -> QueryLists:
        """Top and zero-result queries by count; lowest click-through among those with `min_searches`."""


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
        if not (raw.isascii() and raw.isdigit()):  # "³" and "١" are digits to isdigit, not to int
            raise InvalidWindow(message)
        raw = int(raw)
    if not isinstance(raw, int) or not MIN_DAYS <= raw <= MAX_DAYS:
        raise InvalidWindow(message)
    return raw


class ReadAnalytics:
    """The readout; with a cache, summaries are read once per window, day and rollup run."""

    def __init__(
        self,
        summaries: AnalyticsSummaries,
        clusters: Callable[[], Awaitable[list[ClusterSummary]]],
        split: Mapping[str, float],
        today: Callable[[], date],
        cache: Cache | None = None,
    ) -> None:
        self.summaries = summaries
        self.clusters = clusters
        self.split = dict(split)
        self.today = today
        self.cache = cache

    async def __call__(self, days: int = DEFAULT_DAYS) -> AnalyticsReport:
        days = parse_days(days)
        until = self.today()
        if self.cache is None:
            report = await self._from_summaries(days, until)
        else:
            report = await self._cached(days, until, self.cache)
        # Clusters come from their own job, not the rollup, so they are always read fresh.
        return msgspec.structs.replace(report, clusters=await self.clusters())

    async def _cached(self, days: int, until: date, cache: Cache) -> AnalyticsReport:
        generation = (await cache.get(GENERATION_KEY) or b"0").decode()
        key = f"analytics:readout:{generation}:{until.isoformat()}:{days}"
        return await read_through(
            cache, key, READOUT_TTL_SECONDS, AnalyticsReport, lambda: self._from_summaries(days, until)
        )

    async def _from_summaries(self, days: int, until: date) -> AnalyticsReport:
        since = until - timedelta(days=days - 1)
        readout = build_readout(await self.summaries.totals(since), self.split)
        queries = await self.summaries.queries(since, MAX_QUERY_ROWS, MIN_QUERY_SEARCHES)
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
            top_queries=queries.top,
            zero_result_queries=queries.zero_results,
            lowest_ctr_queries=queries.lowest_ctr,
            clusters=[],
        )
