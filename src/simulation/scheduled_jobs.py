"""The worker's schedule, replayed on the simulated clock while simulated shoppers shop.

`ecomsearch demo simulate` starts no jobs, so its shoppers never get a profile. An experiment
needs the personalized arm to see what production would: profiles rebuilt every few minutes for
the shoppers active since the last run, and clusters refitted every few hours. This storefront
wraps another and, before a search, runs whichever of those jobs is due at the simulated time,
once the previous page's log writes are stored. An A/B replay also retrains the ranker as the
worker's triggers would (`schedule_retrain`: after so many click and cart events, or when the last
retrain is a day old), in line, so the replay stays deterministic.
"""

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from application.ports import Clock
from domain.experiments.assignment import user_visitor_id
from simulation.simulator import Page, ShopperAccount, Storefront


class SettlingStorefront(Storefront, Protocol):
    async def settle(self) -> None:
        """Wait until every log write started so far is stored."""
        ...


RefreshProfilesJob = Callable[[Sequence[str]], Awaitable[int]]
ReclusterJob = Callable[[], Awaitable[object]]
RetrainJob = Callable[[], Awaitable[object]]


class ScheduledJobsStorefront:
    def __init__(
        self,
        inner: SettlingStorefront,
        clock: Clock,
        refresh_profiles: RefreshProfilesJob,
        recluster: ReclusterJob,
        *,
        profiles_every: timedelta = timedelta(minutes=5),
        recluster_every: timedelta = timedelta(hours=6),
    ) -> None:
        self._inner = inner
        self._clock = clock
        self._refresh_profiles = refresh_profiles
        self._recluster = recluster
        self._profiles_every = profiles_every
        self._recluster_every = recluster_every
        self._active: set[str] = set()
        self._profiles_at: datetime | None = None
        self._clustered_at: datetime | None = None
        self.profile_runs = 0
        self.recluster_runs = 0
        self.retrain_runs = 0
        self._retrain: RetrainJob | None = None
        self._retrain_events = 0
        self._retrain_every = timedelta(days=1)
        self._events = 0
        self._retrained_at: datetime | None = None

    def schedule_retrain(self, job: RetrainJob, every_events: int, every: timedelta) -> None:
        """From now on, run `job` after every `every_events` events (0: never) or once `every` passed."""
        self._retrain, self._retrain_events, self._retrain_every = job, every_events, every
        self._events, self._retrained_at = 0, self._clock.now()

    async def _run_due(self) -> None:
        now = self._clock.now()
        profiles_due = self._profiles_at is None or now - self._profiles_at >= self._profiles_every
        if profiles_due and self._active:
            await self._inner.settle()
            active, self._active = sorted(self._active), set()
            await self._refresh_profiles(active)
            self._profiles_at = now
            self.profile_runs += 1
        if self._clustered_at is None or now - self._clustered_at >= self._recluster_every:
            await self._inner.settle()
            await self._recluster()
            self._clustered_at = now
            self.recluster_runs += 1
        if self._retrain is not None and self._retrained_at is not None:
            by_count = 0 < self._retrain_events <= self._events
            if by_count or now - self._retrained_at >= self._retrain_every:
                await self._inner.settle()
                await self._retrain()
                self._events, self._retrained_at = 0, now
                self.retrain_runs += 1

    async def settle(self) -> None:
        await self._inner.settle()

    async def search(self, account: ShopperAccount, query: str) -> Page:
        await self._run_due()
        return await self._inner.search(account, query)

    async def click(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> None:
        self._active.add(user_visitor_id(account.user_id))
        self._events += 1
        await self._inner.click(account, sku, search_id, position, query)

    async def add_to_cart(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> bool:
        self._active.add(user_visitor_id(account.user_id))
        added = await self._inner.add_to_cart(account, sku, search_id, position, query)
        self._events += added
        return added
