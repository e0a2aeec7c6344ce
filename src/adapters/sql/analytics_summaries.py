"""SqlAnalyticsSummaries: the readout's reads, all from the rollup tables (never the raw logs).

Each query filters on `day >= :since`, the leading column of every rollup table's primary key.
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.analytics_rollup import SqlAnalyticsRollup
from adapters.sql.tables import analytics_daily, analytics_positions, analytics_queries
from domain.analytics.breakdowns import (
    PositionCtr,
    QueryCount,
    QueryCtr,
    SeriesPoint,
    position_ctr,
    query_ctr,
)
from domain.analytics.readout import ArmTotals

_q = analytics_queries.c


class SqlAnalyticsSummaries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._rollup = SqlAnalyticsRollup(engine)

    async def _rows(self, statement: Any) -> list[Any]:
        async with self._engine.connect() as connection:
            return list((await connection.execute(statement)).all())

    async def totals(self, since: date) -> dict[str, ArmTotals]:
        return await self._rollup.totals(since)

    async def series(self, since: date) -> list[SeriesPoint]:
        d = analytics_daily.c
        rows = await self._rows(
            sa.select(d.day, d.arm, d.searches, d.clicks, d.add_to_cart)
            .where(d.day >= since)
            .order_by(d.day, d.arm)
        )
        return [
            SeriesPoint(day=r.day, arm=r.arm, searches=r.searches, clicks=r.clicks, add_to_cart=r.add_to_cart)
            for r in rows
        ]

    async def positions(self, since: date, max_position: int) -> list[PositionCtr]:
        p = analytics_positions.c
        rows = await self._rows(
            sa.select(p.position, p.arm, sa.func.sum(p.impressions).label("shown"), sa.func.sum(p.clicks).label("clicked"))
            .where(p.day >= since, p.position.between(1, max_position))
            .group_by(p.position, p.arm)
            .order_by(p.position, p.arm)
        )  # fmt: skip
        return [position_ctr(r.position, r.arm, int(r.shown or 0), int(r.clicked or 0)) for r in rows]

    async def top_queries(self, since: date, limit: int) -> list[QueryCount]:
        return await self._counted(sa.func.sum(_q.searches), since, limit)

    async def zero_result_queries(self, since: date, limit: int) -> list[QueryCount]:
        return await self._counted(sa.func.sum(_q.zero_results), since, limit)

    async def _counted(self, total: Any, since: date, limit: int) -> list[QueryCount]:
        count = total.label("count")
        rows = await self._rows(
            sa.select(_q.query, count)
            .where(_q.day >= since)
            .group_by(_q.query)
            .having(total > 0)
            .order_by(count.desc(), _q.query)
            .limit(limit)
        )
        return [QueryCount(query=r.query, count=int(r.count)) for r in rows]

    async def lowest_ctr_queries(self, since: date, min_searches: int, limit: int) -> list[QueryCtr]:
        with_results = sa.func.sum(_q.searches) - sa.func.sum(_q.zero_results)
        clicks = sa.func.sum(_q.clicks)
        rows = await self._rows(
            sa.select(_q.query, with_results.label("searches"), clicks.label("clicks"))
            .where(_q.day >= since)
            .group_by(_q.query)
            .having(with_results >= min_searches)
            .order_by(sa.cast(clicks, sa.Float) / with_results, _q.query)
            .limit(limit)
        )
        return [query_ctr(r.query, int(r.searches), int(r.clicks)) for r in rows]
