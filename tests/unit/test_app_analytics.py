from datetime import date

import pytest

from application.analytics.readout import InvalidWindow, ReadAnalytics
from domain.analytics.readout import ArmTotals

TODAY = date(2026, 5, 30)


class FakeRollups:
    def __init__(self) -> None:
        self.asked: list[date] = []

    async def totals(self, since: date) -> dict[str, ArmTotals]:
        self.asked.append(since)
        return {
            "personalized": ArmTotals(users=3, searches=10, searches_with_results=8, searches_with_click=4)
        }


async def test_the_window_ends_today_and_reads_the_summaries() -> None:
    rollups = FakeRollups()
    readout = await ReadAnalytics(rollups, {"personalized": 0.5, "popularity": 0.5}, lambda: TODAY)(7)
    assert rollups.asked == [date(2026, 5, 24)]
    assert readout.arms["personalized"].ctr == pytest.approx(0.5)
    assert readout.arms["popularity"].users == 0


@pytest.mark.parametrize("days", [0, -1, 366])
async def test_a_window_out_of_range_is_refused_before_reading(days: int) -> None:
    rollups = FakeRollups()
    with pytest.raises(InvalidWindow):
        await ReadAnalytics(rollups, {"personalized": 0.5, "popularity": 0.5}, lambda: TODAY)(days)
    assert rollups.asked == []
