"""Breakdowns beside the experiment readout: the daily series, click-through by position, query lists."""

from datetime import date

import msgspec

MAX_POSITION = 20  # click-through by position is reported for the first 20 results
MAX_QUERY_ROWS = 10
MIN_QUERY_SEARCHES = 5  # a query's click-through is listed only from this many searches with results


class SeriesPoint(msgspec.Struct, frozen=True, kw_only=True):
    day: date
    arm: str
    searches: int
    clicks: int
    add_to_cart: int


class PositionCtr(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    arm: str
    impressions: int
    clicks: int
    ctr: float


class QueryCount(msgspec.Struct, frozen=True, kw_only=True):
    query: str
    count: int


class QueryCtr(msgspec.Struct, frozen=True, kw_only=True):
    """Clicks per search with results for one query (clicks are click events, so it can exceed 1)."""

    query: str
    searches: int
    clicks: int
    ctr: float


def position_ctr(position: int, arm: str, impressions: int, clicks: int) -> PositionCtr:
    return PositionCtr(
        position=position,
        arm=arm,
        impressions=impressions,
        clicks=clicks,
        ctr=clicks / impressions if impressions else 0.0,
    )


def query_ctr(query: str, searches: int, clicks: int) -> QueryCtr:
    return QueryCtr(query=query, searches=searches, clicks=clicks, ctr=clicks / searches if searches else 0.0)
