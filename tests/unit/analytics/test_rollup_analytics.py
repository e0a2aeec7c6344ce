from datetime import UTC, date, datetime

import msgspec

from application.analytics.rollup_analytics import (
    GENERATION_KEY,
    MARK_KEY,
    LogMark,
    RollupAnalytics,
    TouchedDays,
)
from tests.unit.fakes import FakeCache, FakeClock

NOW = datetime(2026, 5, 30, 0, 30, tzinfo=UTC)


class FakeRollups:
    """A log whose rows after a mark span `first..last`; records the days rolled up."""

    def __init__(self, first: date | None, last: date | None, mark: LogMark) -> None:
        self.touched = TouchedDays(first=first, last=last, mark=mark)
        self.marks: list[LogMark] = []
        self.rolled: list[date] = []

    async def touched_since(self, mark: LogMark) -> TouchedDays:
        self.marks.append(mark)
        if mark == self.touched.mark:  # nothing logged since
            return TouchedDays(first=None, last=None, mark=mark)
        return self.touched

    async def rollup_day(self, day: date) -> None:
        self.rolled.append(day)


async def test_first_run_rolls_up_every_touched_day_then_only_today_and_yesterday() -> None:
    cache = FakeCache()
    rollups = FakeRollups(date(2026, 5, 20), date(2026, 5, 23), LogMark(event_id=40, impression_id=9))
    job = RollupAnalytics(rollups, cache, FakeClock(NOW))
    first = await job()
    assert rollups.marks == [LogMark()]
    assert first.days == [date(2026, 5, d) for d in (20, 21, 22, 23, 29, 30)]
    assert rollups.rolled == first.days
    assert msgspec.json.decode(cache.data[MARK_KEY], type=LogMark) == LogMark(event_id=40, impression_id=9)
    assert cache.ttls[MARK_KEY] > 0
    assert cache.data[GENERATION_KEY] == b"1"  # cached readouts of the old summaries go stale

    rollups.rolled.clear()
    second = await job()
    assert rollups.marks[-1] == LogMark(event_id=40, impression_id=9)
    assert second.days == rollups.rolled == [date(2026, 5, 29), date(2026, 5, 30)]
    assert cache.data[GENERATION_KEY] == b"2"


async def test_today_is_a_utc_day_and_overlapping_days_are_rolled_once() -> None:
    rollups = FakeRollups(date(2026, 5, 29), date(2026, 5, 30), LogMark(event_id=1))
    local = datetime.fromisoformat("2026-05-29T22:30:00-03:00")  # already May 30 in UTC
    report = await RollupAnalytics(rollups, FakeCache(), FakeClock(local))()
    assert report.days == rollups.rolled == [date(2026, 5, 29), date(2026, 5, 30)]


async def test_an_unreadable_mark_means_rolling_up_the_whole_log() -> None:
    cache = FakeCache()
    await cache.set(MARK_KEY, b"not json", 60)
    rollups = FakeRollups(date(2026, 5, 1), date(2026, 5, 1), LogMark(event_id=3))
    await RollupAnalytics(rollups, cache, FakeClock(NOW))()
    assert rollups.marks == [LogMark()]
    assert date(2026, 5, 1) in rollups.rolled
