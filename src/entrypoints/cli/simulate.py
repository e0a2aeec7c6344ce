"""`ecomsearch demo simulate`: simulated shoppers using the shop through its real use cases.

Shopper accounts are made by the real `Signup` (username `shopper00001`...; a random password
nobody is told) with bcrypt at its cheapest cost (4) for these accounts only: a thousand accounts
at the production cost would take minutes of hashing and prove nothing. Searches go through
`SearchProducts` with the shopper's visitor id and experiment arm, clicks and cart adds through
the same use cases the HTTP API calls (`RecordImpression` for each page served, `RecordEvent`
for clicks and cart adds, `ViewProduct` for the product page a click opens, `AddToCart`), with
the container's clock replaced by the simulator's, so everything is logged with simulated
timestamps over the past `--days`.
"""

import argparse
import asyncio
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import msgspec
from dependency_injector import providers
from tqdm import tqdm

from application.events.record_events import EventIn, VisitorRef
from application.search.dto import SearchRequest
from domain.cart.errors import InvalidQuantity
from domain.experiments.assignment import assign_arm, user_visitor_id
from domain.identity.errors import UsernameTaken
from entrypoints.container import Container, build_container, close_container
from entrypoints.settings import Settings, load_settings
from simulation.shoppers import ProductView, make_population
from simulation.simulator import (
    Page,
    ShopperAccount,
    SimulatedClock,
    SimulateShoppers,
    SimulationStats,
)

SIMULATED_BCRYPT_ROUNDS = 4
# The last days of a seed are served by a model trained on the days before (at most a third of them).
MODEL_DAYS = 3.0


def username(number: int) -> str:
    return f"shopper{number:05d}"


def visitor(account: ShopperAccount) -> VisitorRef:
    return VisitorRef(visitor_id=user_visitor_id(account.user_id), arm=account.arm, user_id=account.user_id)


class UseCaseStorefront:
    """The Storefront port over the use cases the HTTP API calls, in the order a browser would."""

    def __init__(self, container: Container) -> None:
        self._search = container.search_products()
        self._impression = container.record_impression()
        self._event = container.record_event()
        self._view = container.view_product()
        self._cart = container.add_to_cart()
        self._pending: list[asyncio.Future[object]] = []

    async def _defer(self, write: Awaitable[object]) -> None:
        """Start a log write and let it take its timestamp now, without waiting for it to be stored.

        The writes of one result page then share a group commit. `settle` waits for all of them
        before the next search, so every search reads a database holding everything logged before
        it, whatever the timing: the replay stays deterministic.
        """
        self._pending.append(asyncio.ensure_future(write))
        await asyncio.sleep(0)  # the write's first step reads the clock, before it awaits anything

    async def settle(self) -> None:
        pending, self._pending = self._pending, []
        if pending:
            await asyncio.gather(*pending)

    async def search(self, account: ShopperAccount, query: str) -> Page:
        await self.settle()
        who = visitor(account)
        result = await self._search(SearchRequest(q=query, visitor_id=who.visitor_id, arm=who.arm))
        await self._defer(self._impression(result, who))
        views = [
            ProductView(h.product.sku, h.product.category, h.product.brand, h.product.price, h.product.rating)
            for h in result.items
        ]
        return Page(result.search_id, views)

    async def click(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> None:
        event = EventIn(type="click", sku=sku, search_id=search_id, position=position, query=query)
        await self._defer(self._event(event, visitor(account)))
        # The product page the click opens: a logged-in shopper's view is remembered for recommendations.
        await self._view(sku, account.user_id)

    async def add_to_cart(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> bool:
        try:
            await self._cart(account.user_id, sku, 1, account.arm)
        except InvalidQuantity:
            return False  # the line is at its limit already; the shop refused, nothing is logged
        event = EventIn(type="add_to_cart", sku=sku, search_id=search_id, position=position, query=query)
        await self._defer(self._event(event, visitor(account)))
        return True


class TrainPartWay:
    """A storefront that, before the first search at or after `at`, waits for the traffic so far
    to be stored and runs `train` (profiles rebuilt, the model retrained and loaded), as the
    worker's schedule would have by then; it runs on the simulated clock, so the replay stays the
    same whatever the machine's speed. The searches after it are ranked by what it promoted."""

    def __init__(
        self,
        inner: UseCaseStorefront,
        clock: SimulatedClock,
        at: datetime,
        train: Callable[[], Awaitable[str]],
    ) -> None:
        self._inner = inner
        self._clock = clock
        self._at = at
        self._train = train
        self.status = "not trained"  # what the gate said, once trained

    async def search(self, account: ShopperAccount, query: str) -> Page:
        if self.status == "not trained" and self._clock.now() >= self._at:
            await self._inner.settle()
            self.status = await self._train()
        return await self._inner.search(account, query)

    async def click(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> None:
        await self._inner.click(account, sku, search_id, position, query)

    async def add_to_cart(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> bool:
        return await self._inner.add_to_cart(account, sku, search_id, position, query)


def simulation_settings(settings: Settings) -> Settings:
    """Cheap hashes for the simulated accounts, and no jobs started by the event count: a retrain
    or recluster running in the middle would make the replay depend on the machine's speed (run
    `ecomsearch train` / `cluster` afterwards, or let the server's schedule do it)."""
    return msgspec.structs.replace(
        settings,
        bcrypt_rounds=SIMULATED_BCRYPT_ROUNDS,
        retrain_trigger=msgspec.structs.replace(settings.retrain_trigger, every_events=0),
        cluster_trigger=msgspec.structs.replace(settings.cluster_trigger, every_events=0),
    )


async def shopper_accounts(container: Container, count: int, seed: int) -> list[ShopperAccount]:
    """Sign the population up, or find the accounts an earlier run made."""
    signup, users = container.signup(), container.users()
    experiment = container.settings().experiment
    accounts = []
    for shopper in make_population(count, seed):
        name = username(shopper.number)
        try:
            user = (await signup(name, secrets.token_urlsafe(18))).user
        except UsernameTaken:
            found = await users.credentials(name)
            if found is None:
                raise
            user = found.user
        arm = assign_arm(user_visitor_id(user.id), experiment)
        accounts.append(ShopperAccount(shopper, user.id, arm))
    return accounts


class SimulationReport(msgspec.Struct, frozen=True):
    stats: SimulationStats
    accounts: int
    seconds: float
    end: datetime  # the simulated present: sessions fall in the `days` before it
    clusters: int = 0  # shopper clusters fitted after the run (0: too few profiles)
    model: str = "skipped"  # the retrain after the run: promoted, kept_champion or skipped
    rolled_up: int = 0  # analytics days rolled up after the run
    part_way: str = "not trained"  # the retrain before the last days: promoted, kept_champion, skipped
    model_days: float = 0.0  # how many last days it served

    @property
    def events_per_minute(self) -> float:
        return self.stats.events / self.seconds * 60 if self.seconds > 0 else 0.0


async def run_simulation(
    settings: Settings,
    *,
    shoppers: int,
    sessions: int,
    days: float,
    seed: int,
    quiet: bool = False,
    end: datetime | None = None,
) -> SimulationReport:
    """Simulated traffic over the `days` before `end` (now unless given: a replay of the same seed
    is the same traffic only on the same simulated days)."""
    end = end or datetime.now(UTC)
    clock = SimulatedClock(end)
    container = build_container(simulation_settings(settings))
    container.clock.override(providers.Object(clock))
    try:
        clock.set(end - timedelta(days=days))  # the accounts exist before their first session
        accounts = await shopper_accounts(container, shoppers, seed)
        started = time.perf_counter()
        storefront = UseCaseStorefront(container)
        visitors = [user_visitor_id(a.user_id) for a in accounts]

        async def train() -> str:
            await container.refresh_profiles()(visitors)
            report = await container.retrain_ranker()()
            await container.ranker().refresh()  # serve it from the next search on
            return report.status

        model_days = min(MODEL_DAYS, days / 3)
        part_way = TrainPartWay(storefront, clock, end - timedelta(days=model_days), train)
        simulate = SimulateShoppers(part_way, clock, seed)
        with tqdm(
            total=shoppers * sessions, desc="simulating", unit=" sessions", disable=quiet, file=sys.stderr
        ) as bar:
            stats = await simulate(accounts, sessions_each=sessions, days=days, end=end, progress=bar.update)
        await storefront.settle()
        # Leave profiles and clusters as the worker would, so the seeded shop shows them at once.
        await container.refresh_profiles()(visitors)
        clustered = await container.recluster_shoppers()()
        # ... and a ranking model trained on the traffic (promoted only if it passes the gate).
        trained = await container.retrain_ranker()()
        # ... and the analytics rolled up to today, so the dashboard shows the traffic at once
        # instead of after the server's first rollup (up to 10 minutes later).
        clock.set(end)
        rolled = await container.rollup_analytics()()
        return SimulationReport(
            stats,
            len(accounts),
            time.perf_counter() - started,
            end,
            clustered.k,
            trained.status,
            len(rolled.days),
            part_way.status,
            model_days,
        )
    finally:
        await close_container(container)


def print_simulation(report: SimulationReport) -> None:
    s = report.stats
    print(
        f"simulated {report.accounts} shoppers, {s.sessions} sessions: {s.searches} searches "
        f"(result pages logged), {s.impressions} results shown, {s.clicks} clicks (and product views), "
        f"{s.carts} cart adds; {s.events} events (results shown + clicks + cart adds) in "
        f"{report.seconds:.1f} s = {report.events_per_minute:,.0f} events/minute; "
        f"{report.clusters} shopper clusters; retrained {report.model_days:g} days before the end: "
        f"{report.part_way}; ranking model {report.model}; "
        f"analytics rolled up for {report.rolled_up} days"
    )


async def demo_simulate_command(args: argparse.Namespace) -> int:
    report = await run_simulation(
        load_settings(), shoppers=args.shoppers, sessions=args.sessions, days=args.days, seed=args.seed
    )
    print_simulation(report)
    return 0
