"""`ecomsearch demo seed` with traffic and `ecomsearch demo simulate`, as a user runs them."""

import asyncio
import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from entrypoints.cli.main import main
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings


def password_hash(url: str, username: str) -> str | None:
    async def read() -> str | None:
        container = build_container(load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull)))
        try:
            found = await container.users().credentials(username)
            return found.password_hash if found else None
        finally:
            await close_container(container)

    return asyncio.run(read())


def stored_shoppers(url: str) -> tuple[int, int]:
    async def read() -> tuple[int, int]:
        container = build_container(load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull)))
        try:
            profiles = await container.profiles().all()
            return len(profiles), len(await container.describe_clusters()())
        finally:
            await close_container(container)

    return asyncio.run(read())


def test_seed_makes_the_catalog_the_shoppers_and_their_traffic(cli_database: str, capsys) -> None:
    # Three sessions each: with two, whether ten of the twelve shoppers click anything (the
    # clustering's minimum) turned on single clicks, which any change to ranking moves.
    args = ["demo", "seed", "--products", "400", "--shoppers", "12", "--sessions", "3", "--days", "7"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "demo shop seeded: 400 products" in out
    assert "simulated 12 shoppers, 36 sessions" in out and "events/minute" in out
    stored = password_hash(cli_database, "shopper00012")
    assert stored is not None and stored.startswith("$2b$04$")  # the cheap cost, for simulated accounts only
    assert password_hash(cli_database, "shopper00013") is None
    # The shoppers arrive with profiles and are clustered, as the worker would leave them.
    profiles, clusters = stored_shoppers(cli_database)
    assert profiles == 12
    assert int(out.split(" shopper clusters")[0].rsplit(" ", 1)[1]) == clusters >= 2
    # ... and a ranking model was trained on the traffic and put through the gate.
    assert re.search(r"ranking model (promoted|kept_champion|skipped); ", out)
    # ... and the analytics are rolled up: the readout shows the seeded traffic before any job ran.
    assert int(re.findall(r"analytics rolled up for (\d+) days", out)[0]) >= 7
    assert main(["analytics", "--json", "--days", "7"]) == 0
    arms = json.loads(capsys.readouterr().out)["arms"]
    assert sum(arm["searches"] for arm in arms.values()) >= 36
    # Seeding again leaves the shop alone.
    assert main(args) == 0
    assert "not seeded again" in capsys.readouterr().out


def test_simulate_again_reuses_the_accounts(cli_database: str, capsys) -> None:
    assert main(["demo", "seed", "--products", "300", "--shoppers", "0"]) == 0
    assert "simulated" not in capsys.readouterr().out
    for _ in range(2):
        assert main(["demo", "simulate", "--shoppers", "5", "--sessions", "1", "--days", "2"]) == 0
        assert "simulated 5 shoppers, 5 sessions" in capsys.readouterr().out


def model_versions(url: str) -> list:
    async def read() -> list:
        container = build_container(load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull)))
        try:
            return await container.model_store().versions()
        finally:
            await close_container(container)

    return asyncio.run(read())


def test_the_last_days_of_a_seed_are_ranked_by_a_model_trained_before_them(
    cli_database: str, monkeypatch, capsys
) -> None:
    # A gate that any model passes, and few impressions needed: the part-way retrain promotes.
    monkeypatch.setenv("TRAIN_MIN_IMPRESSIONS", "20")
    monkeypatch.setenv("TRAIN_PROMOTION_TOLERANCE", "1000")
    before = datetime.now(UTC)
    args = ["demo", "seed", "--products", "300", "--shoppers", "10", "--sessions", "4", "--days", "9"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "retrained 3 days before the end: promoted;" in out
    versions = sorted(model_versions(cli_database), key=lambda v: v.created_at)
    assert len(versions) == 2  # the part-way one, then the one after the traffic
    part_way = versions[0].created_at
    # Trained on the simulated clock, at the first search of the last three days.
    assert before - timedelta(days=3) <= part_way <= before - timedelta(days=2)
    assert versions[0].window_end is not None and versions[0].window_end <= part_way
