"""The simulator driving the real use cases on SQLite and PostgreSQL: what the shop logs."""

import os
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from domain.experiments.assignment import assign_arm, user_visitor_id
from entrypoints.cli.simulate import run_simulation
from entrypoints.container import build_container, close_container
from entrypoints.settings import Settings, load_settings
from simulation.catalog.generator import generate_catalog
from simulation.shoppers import ProductView, make_population, taste_fit


async def demo_shop(make_database, kind: str, products: int = 500) -> Settings:
    settings = load_settings({"DATABASE_URL": await make_database(kind)}, dotenv=Path(os.devnull))
    container = build_container(settings)
    try:
        report = await container.import_catalog()(enumerate(generate_catalog(products), start=1))
        assert report.rejected == 0
    finally:
        await close_container(container)
    return settings


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_a_seed_replays_the_same_traffic_on_a_fresh_shop(make_database, kind: str) -> None:
    runs = []
    end = datetime.now(UTC)  # both replays on the same simulated days
    for _ in range(2):
        settings = await demo_shop(make_database, kind)
        runs.append(
            await run_simulation(settings, shoppers=20, sessions=3, days=10, seed=4, quiet=True, end=end)
        )
    first, second = runs
    assert first.accounts == 20 and first.stats.sessions == 60
    assert first.stats.searches >= 60 and first.stats.clicks > 0
    assert first.stats == second.stats
    assert set(first.stats.clicks_by_arm) <= {"personalized", "popularity"}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_every_search_click_and_cart_add_is_logged_like_real_traffic(make_database, kind: str) -> None:
    settings = await demo_shop(make_database, kind, products=800)
    report = await run_simulation(settings, shoppers=80, sessions=4, days=14, seed=2, quiet=True)
    stats = report.stats
    container = build_container(settings)
    try:
        log = container.event_log()
        now = report.end
        events = await log.events_between(now - timedelta(days=15), now + timedelta(hours=2), limit=100_000)
        impressions = await log.impressions_between(
            now - timedelta(days=15), now + timedelta(hours=2), limit=100_000
        )
        users = {u.id: u for u in [await container.users().get(i) for i in {e.user_id for e in events}] if u}
        products = await container.products().get_many(list({e.sku for e in events}))
        carts = {uid: await container.get_cart()(uid) for uid in users}
    finally:
        await close_container(container)

    kinds = Counter(e.type for e in events)
    assert kinds["click"] == stats.clicks and kinds["add_to_cart"] == stats.carts
    assert len(impressions) == stats.searches
    assert sum(len(i.items) for i in impressions) == stats.impressions
    # Events carry the search id and the position the product had on that page, and the arm.
    shown = {(i.search_id, s.sku): s.position for i in impressions for s in i.items}
    experiment = settings.experiment
    for e in events:
        assert shown[(e.search_id, e.sku)] == e.position
        assert e.user_id is not None and e.arm == assign_arm(user_visitor_id(e.user_id), experiment)
        assert e.visitor_id == user_visitor_id(e.user_id)
    # Every logged cart add put the product in that shopper's cart.
    added = Counter((e.user_id, e.sku) for e in events if e.type == "add_to_cart")
    in_carts = Counter({(uid, i.sku): i.quantity for uid, cart in carts.items() for i in cart.items})
    assert in_carts == added
    # Spread over the past days by the simulated clock.
    moments = sorted(e.occurred_at for e in events)
    assert moments[0] >= now - timedelta(days=14) and moments[-1] <= now + timedelta(hours=2)
    assert moments[-1] - moments[0] > timedelta(days=10)

    # Position bias, measured in the logged clicks: click-through by rank on the page.
    shown_at = Counter(s.position for i in impressions for s in i.items)
    clicked_at = Counter(e.position for e in events if e.type == "click")
    ctr = np.array([clicked_at[r] / shown_at[r] for r in range(1, 13)])
    assert ctr[0] > 2 * ctr[5:].mean() and ctr[:3].mean() > ctr[3:6].mean() > ctr[9:].mean()

    # Taste fit, measured in the logged add-to-cart rate per click.
    shoppers = {f"shopper{s.number:05d}": s for s in make_population(80, 2)}
    by_user = {uid: shoppers[u.username] for uid, u in users.items()}
    carted = {(e.search_id, e.sku) for e in events if e.type == "add_to_cart"}
    high, low = [], []
    for e in events:
        if e.type != "click":
            continue
        p = products[e.sku]
        fit = taste_fit(by_user[e.user_id], ProductView(p.sku, p.category, p.brand, p.price, p.rating))
        (high if fit >= 0.7 else low).append((e.search_id, e.sku) in carted)
    assert len(high) >= 30 and len(low) >= 30
    assert np.mean(high) > 1.5 * np.mean(low)
