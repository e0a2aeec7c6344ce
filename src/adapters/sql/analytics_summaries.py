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
    QueryLists,
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

    async def queries(self, since: date, limit: int, min_searches: int) -> QueryLists:
        """The three query lists from one aggregation of the window (a CTE), each cut to `limit` rows."""
        per_query = (
            sa.select(
                _q.query,
                sa.func.sum(_q.searches).label("searches"),
                sa.func.sum(_q.zero_results).label("zero"),
                sa.func.sum(_q.clicks).label("clicks"),
            )
            .where(_q.day >= since)
            .group_by(_q.query)
            .cte("per_query")
        )
        answered = per_query.c.searches - per_query.c.zero

        def ranked(kind: str, where: Any, *order: Any) -> Any:
            inner = (
                sa.select(sa.literal(kind).label("kind"), per_query)
                .where(where)
                .order_by(*order)
                .limit(limit)
            )
            return sa.select(inner.subquery())  # SQLite allows ORDER BY/LIMIT in a UNION only in a subquery

        rows = await self._rows(
            sa.union_all(
                ranked("top", per_query.c.searches > 0, per_query.c.searches.desc(), per_query.c.query),
                ranked("zero", per_query.c.zero > 0, per_query.c.zero.desc(), per_query.c.query),
                ranked(
                    "lowest",
                    answered >= min_searches,
                    sa.cast(per_query.c.clicks, sa.Float) / answered,
                    per_query.c.query,
                ),
            )
        )
        lists: dict[str, list[Any]] = {"top": [], "zero": [], "lowest": []}
        for row in rows:
            lists[row.kind].append(row)
        # A UNION does not promise its members' order: sort each list again (same keys).
        top = sorted(lists["top"], key=lambda r: (-r.searches, r.query))
        zero = sorted(lists["zero"], key=lambda r: (-r.zero, r.query))
        lowest = sorted(lists["lowest"], key=lambda r: (r.clicks / (r.searches - r.zero), r.query))
        return QueryLists(
            top=[QueryCount(query=r.query, count=int(r.searches)) for r in top],
            zero_results=[QueryCount(query=r.query, count=int(r.zero)) for r in zero],
            lowest_ctr=[query_ctr(r.query, int(r.searches - r.zero), int(r.clicks)) for r in lowest],
        )
