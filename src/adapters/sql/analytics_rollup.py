"""SqlAnalyticsRollup: rewrites one day's summaries from the raw logs; sums them for a readout window.

A day is aggregated in Python from that day's rows (a background job, never a request), then its
summary rows are deleted and inserted in one transaction, so recomputing a day is idempotent.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sql.tables import (
    analytics_daily,
    analytics_positions,
    analytics_queries,
    analytics_visitors,
    events,
    impressions,
)
from application.analytics.rollup import LogMark, TouchedDays
from domain.analytics.readout import ArmTotals

_COUNTS = (
    "searches", "searches_with_results", "zero_result_searches", "impressions", "clicks", "add_to_cart",
    "searches_with_click", "searches_with_cart",
)  # fmt: skip


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
            shown = (
                await connection.execute(
                    sa.select(
                        impressions.c.search_id,
                        impressions.c.visitor_id,
                        impressions.c.arm,
                        impressions.c.query,
                        impressions.c["items"],
                        impressions.c.total,
                    ).where(impressions.c.occurred_at >= start, impressions.c.occurred_at < end)
                )
            ).all()
            acted = (
                await connection.execute(
                    sa.select(
                        events.c.type,
                        events.c.visitor_id,
                        events.c.arm,
                        events.c.search_id,
                        events.c.position,
                        events.c.query,
                    ).where(events.c.occurred_at >= start, events.c.occurred_at < end)
                )
            ).all()
            daily, positions, queries, visitors = _aggregate(shown, acted)
            await self._replace(connection, day, daily, positions, queries)
            await self._see_visitors(connection, day, visitors)

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

    async def _see_visitors(self, connection: AsyncConnection, day: date, visitors: dict[str, str]) -> None:
        if not visitors:
            return
        known = {
            row.visitor_id: row
            for row in (
                await connection.execute(
                    sa.select(analytics_visitors).where(analytics_visitors.c.visitor_id.in_(list(visitors)))
                )
            ).all()
        }
        fresh = [
            {"visitor_id": v, "arm": arm, "first_seen": day, "last_seen": day}
            for v, arm in visitors.items()
            if v not in known
        ]
        if fresh:
            await connection.execute(sa.insert(analytics_visitors), fresh)
        for visitor_id, row in known.items():
            await connection.execute(
                sa.update(analytics_visitors)
                .where(analytics_visitors.c.visitor_id == visitor_id)
                .values(first_seen=min(row.first_seen, day), last_seen=max(row.last_seen, day))
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
        """Per-arm totals from `since` on: sums of the daily rows, visitors counted once by last_seen."""
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
                        sa.select(analytics_visitors.c.arm, sa.func.count())
                        .where(analytics_visitors.c.last_seen >= since)
                        .group_by(analytics_visitors.c.arm)
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


def _aggregate(shown: Any, acted: Any) -> tuple[Any, Any, Any, dict[str, str]]:
    daily: dict[str, dict[str, Any]] = defaultdict(
        lambda: dict.fromkeys(_COUNTS, 0) | {"first_click_rr_sum": 0.0}
    )
    positions: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    queries: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    visitors: dict[str, str] = {}
    search_arm: dict[str, str] = {}
    for row in shown:
        visitors.setdefault(row.visitor_id, row.arm)
        arm = daily[row.arm]
        items = list(row.items or [])
        arm["impressions"] += len(items)
        for _sku, position in items:
            positions[(row.arm, int(position))][0] += 1
        if row.search_id in search_arm:
            continue  # a later page of a search already counted
        search_arm[row.search_id] = row.arm
        arm["searches"] += 1
        stats = queries[row.query[:200]]
        stats[0] += 1
        if row.total > 0:
            arm["searches_with_results"] += 1
        else:
            arm["zero_result_searches"] += 1
            stats[1] += 1
    first_click: dict[str, int] = {}
    carted: set[str] = set()
    for row in acted:
        visitors.setdefault(row.visitor_id, row.arm)
        if row.type == "click":
            daily[row.arm]["clicks"] += 1
            if row.position is not None:
                positions[(row.arm, int(row.position))][1] += 1
            if row.search_id in search_arm and row.position is not None:
                first_click[row.search_id] = min(first_click.get(row.search_id, row.position), row.position)
            if row.query:
                queries[row.query[:200]][2] += 1
        elif row.type == "add_to_cart":
            daily[row.arm]["add_to_cart"] += 1
            if row.search_id in search_arm:
                carted.add(row.search_id)
    for search_id, position in first_click.items():
        arm = daily[search_arm[search_id]]
        arm["searches_with_click"] += 1
        arm["first_click_rr_sum"] += 1.0 / max(1, position)
    for search_id in carted:
        daily[search_arm[search_id]]["searches_with_cart"] += 1
    return daily, positions, queries, visitors
