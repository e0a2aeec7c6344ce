"""One UTC day's analytics aggregated in SQL, on PostgreSQL and SQLite alike.

The database groups the day's rows and returns only the summaries (a few rows per arm, position
and query), so a day of a large log is rolled up without reading its rows into Python. A search is
counted once, by its first impression row of the day (later pages add impressions, not searches).
"""

from collections import defaultdict
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.tables import analytics_visitors, events, impressions

COUNTS = (
    "searches", "searches_with_results", "zero_result_searches", "impressions", "clicks", "add_to_cart",
    "searches_with_click", "searches_with_cart",
)  # fmt: skip

Daily = dict[str, dict[str, Any]]
Positions = dict[tuple[str, int], list[int]]
Queries = dict[str, list[int]]

i, e = impressions.c, events.c


def _in_day(table: sa.Table, start: datetime, end: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(table.c.occurred_at >= start, table.c.occurred_at < end)


def _searches(start: datetime, end: datetime) -> sa.CTE:
    """The day's searches: the first impression row of each search id."""
    ranked = (
        sa.select(
            i.search_id,
            i.arm,
            sa.func.substr(i.query, 1, 200).label("query"),
            i.total,
            sa.func.row_number().over(partition_by=i.search_id, order_by=i.id).label("nth"),
        )
        .where(_in_day(impressions, start, end))
        .subquery()
    )
    return (
        sa.select(ranked.c.search_id, ranked.c.arm, ranked.c.query, ranked.c.total)
        .where(ranked.c.nth == 1)
        .cte("day_searches")
    )


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[Any]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _shown_positions(dialect: str, start: datetime, end: datetime) -> sa.Select[Any]:
    """(arm, position, count) over every item of every impression row of the day."""
    if dialect == "postgresql":
        item = sa.func.jsonb_array_elements(i["items"]).table_valued("value")
        position = sa.cast(item.c.value.op("->>")(sa.literal(1)), sa.Integer)
    else:
        item = sa.func.json_each(i["items"]).table_valued("value")
        position = sa.cast(sa.func.json_extract(item.c.value, "$[1]"), sa.Integer)
    return (
        sa.select(i.arm, position.label("position"), sa.func.count())
        .select_from(impressions.join(item, sa.true()))
        .where(_in_day(impressions, start, end))
        .group_by(i.arm, position)
    )


async def aggregate_day(
    connection: AsyncConnection, start: datetime, end: datetime
) -> tuple[Daily, Positions, Queries]:
    dialect = connection.dialect.name
    daily: Daily = defaultdict(lambda: dict.fromkeys(COUNTS, 0) | {"first_click_rr_sum": 0.0})
    searches = _searches(start, end)
    length = sa.func.jsonb_array_length if dialect == "postgresql" else sa.func.json_array_length
    for arm, shown in await connection.execute(
        sa.select(i.arm, sa.func.sum(length(i["items"])))
        .where(_in_day(impressions, start, end))
        .group_by(i.arm)
    ):
        daily[arm]["impressions"] = int(shown or 0)
    for arm, kind, n in await connection.execute(
        sa.select(e.arm, e.type, sa.func.count())
        .where(_in_day(events, start, end), e.type.in_(("click", "add_to_cart")))
        .group_by(e.arm, e.type)
    ):
        daily[arm]["clicks" if kind == "click" else "add_to_cart"] = n
    for arm, outcomes in (await _search_outcomes(connection, searches, start, end)).items():
        daily[arm].update(outcomes)
    return (
        daily,
        await _positions(connection, dialect, start, end),
        await _queries(connection, searches, start, end),
    )


async def _search_outcomes(
    connection: AsyncConnection, searches: sa.CTE, start: datetime, end: datetime
) -> Daily:
    """Per arm, in one pass over the day's searches: how many, with results, with a click (and the
    reciprocal rank of the first), and leading to an add-to-cart."""
    s = searches.c
    first = (
        sa.select(e.search_id, sa.func.min(e.position).label("position"))
        .where(_in_day(events, start, end), e.type == "click", e.position.is_not(None))
        .group_by(e.search_id)
        .subquery()
    )
    carted = (
        sa.select(e.search_id)
        .where(_in_day(events, start, end), e.type == "add_to_cart", e.search_id.is_not(None))
        .distinct()
        .subquery()
    )
    reciprocal = sa.case((first.c.position < 1, 1.0), else_=1.0 / sa.cast(first.c.position, sa.Float))
    rows = await connection.execute(
        sa.select(
            s.arm,
            sa.func.count(),
            _count_if(s.total > 0),
            _count_if(s.total <= 0),
            sa.func.count(first.c.search_id),
            sa.func.sum(reciprocal),
            sa.func.count(carted.c.search_id),
        )
        .select_from(
            searches.outerjoin(first, first.c.search_id == s.search_id).outerjoin(
                carted, carted.c.search_id == s.search_id
            )
        )
        .group_by(s.arm)
    )
    return {
        arm: {
            "searches": n, "searches_with_results": int(with_results), "zero_result_searches": int(zero),
            "searches_with_click": clicked, "first_click_rr_sum": float(rr or 0.0), "searches_with_cart": carts,
        }
        for arm, n, with_results, zero, clicked, rr, carts in rows
    }  # fmt: skip


async def _positions(connection: AsyncConnection, dialect: str, start: datetime, end: datetime) -> Positions:
    positions: Positions = defaultdict(lambda: [0, 0])
    for arm, position, n in await connection.execute(_shown_positions(dialect, start, end)):
        positions[(arm, int(position))][0] = n
    for arm, position, n in await connection.execute(
        sa.select(e.arm, e.position, sa.func.count())
        .where(_in_day(events, start, end), e.type == "click", e.position.is_not(None))
        .group_by(e.arm, e.position)
    ):
        positions[(arm, int(position))][1] = n
    return positions


async def _queries(connection: AsyncConnection, searches: sa.CTE, start: datetime, end: datetime) -> Queries:
    queries: Queries = defaultdict(lambda: [0, 0, 0])
    s = searches.c
    for query, n, zero in await connection.execute(
        sa.select(s.query, sa.func.count(), _count_if(s.total <= 0)).group_by(s.query)
    ):
        queries[query][:2] = [n, int(zero)]
    clicked = sa.func.substr(e.query, 1, 200)
    for query, n in await connection.execute(
        sa.select(clicked, sa.func.count())
        .where(_in_day(events, start, end), e.type == "click", e.query.is_not(None), e.query != "")
        .group_by(clicked)
    ):
        queries[query][2] = n
    return queries


def _day_visitors(start: datetime, end: datetime) -> sa.Subquery:
    """Each visitor seen that day with one arm: their first impression's, else their first event's."""
    seen = sa.union_all(
        sa.select(i.visitor_id, i.arm, sa.literal(0).label("source"), i.id).where(
            _in_day(impressions, start, end)
        ),
        sa.select(e.visitor_id, e.arm, sa.literal(1).label("source"), e.id).where(
            _in_day(events, start, end)
        ),
    ).subquery()
    ranked = sa.select(
        seen.c.visitor_id,
        seen.c.arm,
        sa.func.row_number()
        .over(partition_by=seen.c.visitor_id, order_by=(seen.c.source, seen.c.id))
        .label("nth"),
    ).subquery()
    return sa.select(ranked.c.visitor_id, ranked.c.arm).where(ranked.c.nth == 1).subquery("day_visitors")


async def see_visitors(connection: AsyncConnection, day: date, start: datetime, end: datetime) -> set[date]:
    """Upserts the day's visitors' first and last days seen; returns the last-seen days that changed."""
    v = analytics_visitors.c
    seen = _day_visitors(start, end)
    left = set(
        (
            await connection.execute(
                sa.select(sa.distinct(v.last_seen)).where(
                    v.last_seen < day, v.visitor_id.in_(sa.select(seen.c.visitor_id))
                )
            )
        ).scalars()
    )
    lower: Any
    upper: Any
    if connection.dialect.name == "postgresql":
        upsert: Any = postgresql.insert(analytics_visitors)
        lower, upper = sa.func.least, sa.func.greatest
    else:
        upsert = sqlite.insert(analytics_visitors)
        lower, upper = sa.func.min, sa.func.max
    statement = upsert.from_select(
        ["visitor_id", "arm", "first_seen", "last_seen"],
        sa.select(seen.c.visitor_id, seen.c.arm, sa.literal(day, sa.Date), sa.literal(day, sa.Date)).where(
            sa.true()  # SQLite needs a WHERE to parse INSERT ... SELECT ... ON CONFLICT
        ),
    )
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=[v.visitor_id],
            set_={
                "first_seen": lower(v.first_seen, statement.excluded.first_seen),
                "last_seen": upper(v.last_seen, statement.excluded.last_seen),
            },
        )
    )
    return left | {day}
