"""SimulateShoppers: sessions of simulated shoppers, played against the shop through a port.

Every session is planned first (who, when: uniformly over the past `days`), then the sessions are
played in time order with a controllable clock set to each action's moment, so whatever the shop
logs (impressions, clicks, carts, popularity) carries simulated timestamps and accrues in the
order it would have. A session is one to three searches (a few begin with a planted reformulation, see
`simulation.reformulations`); on each result page the click model
decides clicks and cart adds. All randomness is seeded per shopper and session, so a seed
replays the same shoppers making the same decisions on the same pages.
"""

import random
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

import msgspec

from simulation.clicks import browse
from simulation.queries import Query, make_query
from simulation.reformulations import planted_pair
from simulation.shoppers import ProductView, Shopper

FIT_BUCKETS = 5  # taste fit histogram of clicks and carts: [0, .2), [.2, .4) ...


class ShopperAccount(NamedTuple):
    shopper: Shopper
    user_id: int
    arm: str


class Page(NamedTuple):
    search_id: str
    products: list[ProductView]


class Storefront(Protocol):
    """The shop as a simulated shopper uses it; the entrypoint binds it to the real use cases."""

    async def search(self, account: ShopperAccount, query: str) -> Page: ...

    async def click(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> None: ...

    async def add_to_cart(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> bool:
        """True when the product went into the cart (a shop may refuse, e.g. a full line)."""
        ...


class SimulatedClock:
    """The Clock port, moved by the simulator to the moment of each simulated action.

    The time lives in a context variable: an asyncio task started for an action (a log write the
    simulator does not wait for) copies the context it was started in, so it keeps that action's
    moment however far the simulation has moved on when the task gets to read the clock.
    """

    def __init__(self, start: datetime) -> None:
        self._now: ContextVar[datetime] = ContextVar(f"simulated_now_{id(self)}", default=start)

    def now(self) -> datetime:
        return self._now.get()

    def set(self, moment: datetime) -> None:
        self._now.set(moment)


class SimulationStats(msgspec.Struct, kw_only=True):
    sessions: int = 0
    searches: int = 0
    impressions: int = 0
    clicks: int = 0
    carts: int = 0
    impressions_by_position: list[int] = msgspec.field(default_factory=list)
    clicks_by_position: list[int] = msgspec.field(default_factory=list)
    clicks_by_fit: list[int] = msgspec.field(default_factory=lambda: [0] * FIT_BUCKETS)
    carts_by_fit: list[int] = msgspec.field(default_factory=lambda: [0] * FIT_BUCKETS)
    clicks_by_arm: dict[str, int] = msgspec.field(default_factory=dict)

    @property
    def events(self) -> int:
        """Everything the shop logs: one impression per result shown, clicks and cart adds."""
        return self.impressions + self.clicks + self.carts


class SessionPlan(NamedTuple):
    start: datetime
    account: int  # index into the accounts
    number: int  # the shopper's k-th session


def plan_sessions(
    accounts: Sequence[ShopperAccount], sessions_each: int, days: float, end: datetime, seed: int
) -> list[SessionPlan]:
    plans = []
    for index, account in enumerate(accounts):
        rng = random.Random(f"plan:{seed}:{account.shopper.number}")
        for number in range(sessions_each):
            start = end - timedelta(seconds=rng.uniform(0, days * 86400))
            plans.append(SessionPlan(start, index, number))
    plans.sort(key=lambda p: (p.start, p.account, p.number))
    return plans


class SimulateShoppers:
    def __init__(self, storefront: Storefront, clock: SimulatedClock, seed: int = 0) -> None:
        self._shop = storefront
        self._clock = clock
        self._seed = seed

    async def __call__(
        self,
        accounts: Sequence[ShopperAccount],
        *,
        sessions_each: int,
        days: float,
        end: datetime,
        progress: Callable[[int], object] | None = None,
    ) -> SimulationStats:
        stats = SimulationStats()
        for plan in plan_sessions(accounts, sessions_each, days, end, self._seed):
            await self._session(accounts[plan.account], plan, stats)
            if progress is not None:
                progress(1)
        return stats

    async def _session(self, account: ShopperAccount, plan: SessionPlan, stats: SimulationStats) -> None:
        shopper = account.shopper
        rng = random.Random(f"session:{self._seed}:{shopper.number}:{plan.number}")
        moment = plan.start
        searches = 1 + (rng.random() < 0.35) + (rng.random() < 0.15)
        stats.sessions += 1
        # A planted reformulation draws from its own generator: the rest of the session is the
        # same with or without it.
        own = random.Random(f"reformulation:{self._seed}:{shopper.number}:{plan.number}")
        planted = planted_pair(shopper, own)
        steps: list[tuple[Query | None, random.Random]] = [(q, own) for q in planted or ()]
        for given, chance in [*steps, *[(None, rng)] * searches]:
            query = given or make_query(shopper, rng)
            self._clock.set(moment)
            page = await self._shop.search(account, query.text)
            stats.searches += 1
            decisions = browse(shopper, page.products, query.intent, chance)
            _grow(stats.impressions_by_position, len(decisions))
            _grow(stats.clicks_by_position, len(decisions))
            for d in decisions:
                stats.impressions += 1
                stats.impressions_by_position[d.position - 1] += 1
                if not d.clicked:
                    continue
                moment += timedelta(seconds=chance.uniform(3, 30))
                self._clock.set(moment)
                await self._shop.click(account, d.sku, page.search_id, d.position, query.text)
                stats.clicks += 1
                stats.clicks_by_position[d.position - 1] += 1
                stats.clicks_by_arm[account.arm] = stats.clicks_by_arm.get(account.arm, 0) + 1
                bucket = min(FIT_BUCKETS - 1, int(d.fit * FIT_BUCKETS))
                stats.clicks_by_fit[bucket] += 1
                if d.carted:
                    moment += timedelta(seconds=chance.uniform(5, 60))
                    self._clock.set(moment)
                    if await self._shop.add_to_cart(account, d.sku, page.search_id, d.position, query.text):
                        stats.carts += 1
                        stats.carts_by_fit[bucket] += 1
            moment += timedelta(seconds=chance.uniform(10, 90))


def _grow(counts: list[int], size: int) -> None:
    if len(counts) < size:
        counts.extend([0] * (size - len(counts)))
