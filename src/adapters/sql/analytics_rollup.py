"""SqlAnalyticsRollup: rewrites one day's summaries from the raw logs; sums them for a readout window.

A day is aggregated by the database (analytics_day.py; a background job, never a request), then its
summary rows are deleted and inserted in one transaction, so recomputing a day is idempotent.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sql.analytics_day import COUNTS as _COUNTS
from adapters.sql.analytics_day import aggregate_day, see_visitors
from adapters.sql.tables import (
    analytics_daily,
    analytics_positions,
    analytics_queries,
    analytics_visitor_days,
    analytics_visitors,
    events,
    impressions,
)
from application.analytics.rollup_analytics import LogMark, TouchedDays
from domain.analytics.readout import ArmTotals


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


def _utc_day(moment: datetime) -> date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).date()


class SqlAnalyticsRollup:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def rollup_day(self, day: date) -> None:
        start, end = _bounds(day)
        async with self._engine.begin() as connection:
            daily, positions, queries = await aggregate_day(connection, start, end)
            await self._replace(connection, day, daily, positions, queries)
            await self._recount_visitor_days(connection, await see_visitors(connection, day, start, end))

    async def _replace(
        self, connection: AsyncConnection, day: date, daily: dict[str, dict[str, Any]],
        positions: dict[tuple[str, int], list[int]], queries: dict[str, list[int]],
    ) -> None:  # fmt: skip
        for table in (analytics_daily, analytics_positions, analytics_queries):
            await connection.execute(sa.delete(table).where(table.c.day == day))
        if daily:
            await connection.execute(
                sa.insert(analytics_daily), [{"day": day, "arm": arm, **row} for arm, row in daily.items()]
            )
        if positions:
            await connection.execute(
                sa.insert(analytics_positions),
                [{"day": day, "arm": arm, "position": pos, "impressions": shown, "clicks": clicked}
                 for (arm, pos), (shown, clicked) in positions.items()],
            )  # fmt: skip
        if queries:
            await connection.execute(
                sa.insert(analytics_queries),
                [{"day": day, "query": query, "searches": n, "zero_results": zero, "clicks": clicked}
                 for query, (n, zero, clicked) in queries.items()],
            )  # fmt: skip

    async def _recount_visitor_days(self, connection: AsyncConnection, days: set[date]) -> None:
        v = analytics_visitors.c
        counts = (
            await connection.execute(
                sa.select(v.last_seen, v.arm, sa.func.count())
                .where(v.last_seen.in_(days))
                .group_by(v.last_seen, v.arm)
            )
        ).all()
        await connection.execute(
            sa.delete(analytics_visitor_days).where(analytics_visitor_days.c.day.in_(days))
        )
        if counts:
            await connection.execute(
                sa.insert(analytics_visitor_days),
                [{"day": seen, "arm": arm, "visitors": int(n)} for seen, arm, n in counts],
            )

    async def touched_since(self, mark: LogMark) -> TouchedDays:
        """The first and last UTC day of the rows logged after `mark`, and the new mark."""
        spans: list[date] = []
        ids: list[int] = []
        async with self._engine.connect() as connection:
            for table, after in ((events, mark.event_id), (impressions, mark.impression_id)):
                top = (await connection.execute(sa.select(sa.func.max(table.c.id)))).scalar()
                if after and (top is None or top < after):
                    after = 0  # a mark beyond the log: the database was replaced, so read it all
                row = (
                    await connection.execute(
                        sa.select(
                            sa.func.min(table.c.occurred_at),
                            sa.func.max(table.c.occurred_at),
                            sa.func.max(table.c.id),
                        ).where(table.c.id > after)
                    )
                ).one()
                ids.append(after if row[2] is None else int(row[2]))
                if row[0] is not None:
                    spans.extend((_utc_day(row[0]), _utc_day(row[1])))
        return TouchedDays(
            first=min(spans, default=None),
            last=max(spans, default=None),
            mark=LogMark(event_id=ids[0], impression_id=ids[1]),
        )

    async def totals(self, since: date) -> dict[str, ArmTotals]:
        """Per-arm totals from `since` on: sums of the daily rows; visitors counted once, by last day seen."""
        async with self._engine.connect() as connection:
            summed = (
                await connection.execute(
                    sa.select(
                        analytics_daily.c.arm,
                        *(sa.func.sum(analytics_daily.c[name]).label(name) for name in _COUNTS),
                        sa.func.sum(analytics_daily.c.first_click_rr_sum).label("rr"),
                    )
                    .where(analytics_daily.c.day >= since)
                    .group_by(analytics_daily.c.arm)
                )
            ).all()
            users: dict[str, int] = {
                arm: int(count)
                for arm, count in (
                    await connection.execute(
                        sa.select(
                            analytics_visitor_days.c.arm, sa.func.sum(analytics_visitor_days.c.visitors)
                        )
                        .where(analytics_visitor_days.c.day >= since)
                        .group_by(analytics_visitor_days.c.arm)
                    )
                ).tuples()
            }
        result = {
            row.arm: ArmTotals(
                users=int(users.get(row.arm, 0)),
                first_click_rr_sum=float(row.rr or 0.0),
                **{name: int(getattr(row, name) or 0) for name in _COUNTS},
            )
            for row in summed
        }
        for arm, count in users.items():
            result.setdefault(arm, ArmTotals(users=int(count)))
        return result
