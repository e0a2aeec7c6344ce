"""RollupAnalytics: the background job that keeps the rollup tables current.

It rolls up every UTC day touched by rows logged since its last run (found by the logs' ids,
remembered in the cache), plus today and yesterday. Rolling a day up rewrites it whole, so
running the job again leaves the same tables; a lost mark only means one longer run.
"""

from datetime import UTC, date, timedelta
from typing import Protocol

import msgspec

from application.ports import Cache, Clock

MARK_KEY = "analytics:rollup:mark"
MARK_TTL_SECONDS = 90 * 24 * 3600
# Moved by every finished run: readouts cached under an older generation are never read again.
GENERATION_KEY = "analytics:rollup:generation"


class LogMark(msgspec.Struct, frozen=True, kw_only=True):
    """The highest event and impression ids already rolled up."""

    event_id: int = 0
    impression_id: int = 0


class TouchedDays(msgspec.Struct, frozen=True, kw_only=True):
    first: date | None
    last: date | None
    mark: LogMark


class DayRollups(Protocol):
    async def touched_since(self, mark: LogMark) -> TouchedDays: ...

    async def rollup_day(self, day: date) -> None: ...


class RollupReport(msgspec.Struct, frozen=True, kw_only=True):
    days: list[date]
    mark: LogMark


class RollupAnalytics:
    def __init__(self, rollups: DayRollups, cache: Cache, clock: Clock) -> None:
        self.rollups = rollups
        self.cache = cache
        self.clock = clock

    async def _mark(self) -> LogMark:
        raw = await self.cache.get(MARK_KEY)
        if raw is None:
            return LogMark()
        try:
            return msgspec.json.decode(raw, type=LogMark)
        except msgspec.DecodeError:
            return LogMark()  # an unreadable mark: roll up the whole log once

    async def __call__(self) -> RollupReport:
        # The mark is taken before rolling up, so rows logged meanwhile are seen by the next run.
        touched = await self.rollups.touched_since(await self._mark())
        today = self.clock.now().astimezone(UTC).date()
        days = {today - timedelta(days=1), today}
        if touched.first is not None and touched.last is not None:
            span = (touched.last - touched.first).days
            days.update(touched.first + timedelta(days=i) for i in range(span + 1))
        ordered = sorted(days)
        for day in ordered:
            await self.rollups.rollup_day(day)
        await self.cache.set(MARK_KEY, msgspec.json.encode(touched.mark), MARK_TTL_SECONDS)
        await self.cache.incr(GENERATION_KEY)
        return RollupReport(days=ordered, mark=touched.mark)
