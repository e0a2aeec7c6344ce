"""`ecomsearch demo simulate`: simulated shoppers using the shop through its real use cases.

Shopper accounts are made by the real `Signup` (username `shopper00001`...; a random password
nobody is told) with bcrypt at its cheapest cost (4) for these accounts only: a thousand accounts
at the production cost would take minutes of hashing and prove nothing. Searches go through
`SearchProducts` with the shopper's visitor id and experiment arm, clicks and cart adds through
the same use cases the HTTP API calls, with the container's clock replaced by the simulator's, so
everything is logged with simulated timestamps over the past `--days`.
"""

import argparse
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta

import msgspec
from dependency_injector import providers
from tqdm import tqdm

from application.demo.shoppers import ProductView, make_population
from application.demo.simulator import (
    Page,
    ShopperAccount,
    SimulatedClock,
    SimulateShoppers,
    SimulationStats,
)
from application.search.dto import SearchRequest
from domain.experiments.assignment import assign_arm, user_visitor_id
from domain.identity.errors import UsernameTaken
from entrypoints.container import Container, build_container, close_container
from entrypoints.settings import Settings, load_settings

SIMULATED_BCRYPT_ROUNDS = 4


def username(number: int) -> str:
    return f"shopper{number:05d}"


class UseCaseStorefront:
    """The Storefront port over the container's use cases."""

    def __init__(self, container: Container) -> None:
        self._search = container.search_products()

    async def search(self, account: ShopperAccount, query: str) -> Page:
        result = await self._search(
            SearchRequest(q=query, visitor_id=user_visitor_id(account.user_id), arm=account.arm)
        )
        views = [
            ProductView(h.product.sku, h.product.category, h.product.brand, h.product.price, h.product.rating)
            for h in result.items
        ]
        return Page(result.search_id, views)

    async def click(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> None:
        return None

    async def add_to_cart(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> None:
        return None


def simulation_settings(settings: Settings) -> Settings:
    return msgspec.structs.replace(settings, bcrypt_rounds=SIMULATED_BCRYPT_ROUNDS)


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

    @property
    def events_per_minute(self) -> float:
        return self.stats.events / self.seconds * 60 if self.seconds > 0 else 0.0


async def run_simulation(
    settings: Settings, *, shoppers: int, sessions: int, days: float, seed: int, quiet: bool = False
) -> SimulationReport:
    end = datetime.now(UTC)
    clock = SimulatedClock(end)
    container = build_container(simulation_settings(settings))
    container.clock.override(providers.Object(clock))
    try:
        clock.set(end - timedelta(days=days))  # the accounts exist before their first session
        accounts = await shopper_accounts(container, shoppers, seed)
        started = time.perf_counter()
        simulate = SimulateShoppers(UseCaseStorefront(container), clock, seed)
        with tqdm(
            total=shoppers * sessions, desc="simulating", unit=" sessions", disable=quiet, file=sys.stderr
        ) as bar:
            stats = await simulate(accounts, sessions_each=sessions, days=days, end=end, progress=bar.update)
        return SimulationReport(stats, len(accounts), time.perf_counter() - started)
    finally:
        await close_container(container)


def print_simulation(report: SimulationReport) -> None:
    s = report.stats
    print(
        f"simulated {report.accounts} shoppers, {s.sessions} sessions: {s.searches} searches, "
        f"{s.impressions} impressions, {s.clicks} clicks, {s.carts} cart adds "
        f"({s.events} events in {report.seconds:.1f} s, {report.events_per_minute:,.0f} events/minute)"
    )


async def demo_simulate_command(args: argparse.Namespace) -> int:
    report = await run_simulation(
        load_settings(), shoppers=args.shoppers, sessions=args.sessions, days=args.days, seed=args.seed
    )
    print_simulation(report)
    return 0
