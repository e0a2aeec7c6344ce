"""The simulator driving the real use cases on SQLite and PostgreSQL."""

import os
from pathlib import Path

import pytest

from application.demo.catalog_generator import generate_catalog
from entrypoints.cli.simulate import run_simulation
from entrypoints.container import build_container, close_container
from entrypoints.settings import Settings, load_settings


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
    for _ in range(2):
        settings = await demo_shop(make_database, kind)
        runs.append(await run_simulation(settings, shoppers=20, sessions=3, days=10, seed=4, quiet=True))
    first, second = runs
    assert first.accounts == 20 and first.stats.sessions == 60
    assert first.stats.searches >= 60 and first.stats.clicks > 0
    assert first.stats == second.stats
    assert set(first.stats.clicks_by_arm) <= {"personalized", "popularity"}
