"""ReadAnalytics: the experiment readout over the last `days` days, from the rollup summaries only."""

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Protocol

from domain.analytics.readout import ArmTotals, Readout, build_readout

MIN_DAYS, MAX_DAYS = 1, 365


class RollupTotals(Protocol):
    async def totals(self, since: date) -> dict[str, ArmTotals]: ...


class InvalidWindow(ValueError):
    pass


class ReadAnalytics:
    def __init__(self, rollups: RollupTotals, split: Mapping[str, float], today: Callable[[], date]) -> None:
        self.rollups = rollups
        self.split = dict(split)
        self.today = today

    async def __call__(self, days: int = 30) -> Readout:
        if not MIN_DAYS <= days <= MAX_DAYS:
            raise InvalidWindow(f"days must lie between {MIN_DAYS} and {MAX_DAYS}")
        since = self.today() - timedelta(days=days - 1)
        return build_readout(await self.rollups.totals(since), self.split)
