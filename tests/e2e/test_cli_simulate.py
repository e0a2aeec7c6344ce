"""`ecomsearch demo seed` with traffic and `ecomsearch demo simulate`, as a user runs them."""

import asyncio
import json
import os
import re
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
