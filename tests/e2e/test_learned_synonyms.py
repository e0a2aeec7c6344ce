"""Synonyms learned from the simulator's traffic: its shoppers' planted reformulations are found,
the many unrelated consecutive queries are not, and an accepted suggestion changes search."""

import asyncio
import itertools
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from litestar.testing import AsyncTestClient

from adapters.sql.search_history import SqlSearchHistory
from domain.search.reformulations import MiningRules, ReformulationCounter
from entrypoints.cli.main import main
from entrypoints.container import build_container, close_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from simulation.reformulations import PLANTED
from tests.e2e.test_http_admin_products import bearer, token_for

PLANTED_PAIRS = {(p.said, p.meant) for p in PLANTED}


def candidate_pairs(url: str) -> set[tuple[str, str]]:
    """Every no-click-then-click pair in the log, however few visitors made it."""

    async def read() -> set[tuple[str, str]]:
        container = build_container(load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull)))
        try:
            counter = ReformulationCounter(MiningRules(min_support=1, min_lift=0.0, limit=100_000))
            since = datetime.now(UTC) - timedelta(days=30)
            async for chunk in SqlSearchHistory(container.engine(), visitors_per_chunk=7).searches(since):
                for _, searches in itertools.groupby(chunk, key=lambda s: s.visitor_id):
                    counter.add_visitor(list(searches))
            return {(s.source, s.target) for s in counter.suggestions()}
        finally:
            await close_container(container)

    return asyncio.run(read())


async def accept_and_search(url: str) -> None:
    settings = load_settings({"DATABASE_URL": url, "BCRYPT_ROUNDS": "4"}, dotenv=Path(os.devnull))
    async with AsyncTestClient(app=create_app(settings)) as client:
        admin = bearer(await token_for(client, settings, "curator", admin=True))
        listed = (await client.get("/api/admin/synonyms/suggestions", headers=admin)).json()["suggestions"]
        first, *rest = listed
        assert {(s["from"], s["to"]) for s in listed} <= PLANTED_PAIRS
        assert (await client.get("/api/search", params={"q": first["from"]})).json()["total"] == 0
        accepted = await client.post(f"/api/admin/synonyms/suggestions/{first['id']}/accept", headers=admin)
        assert accepted.status_code == 201, accepted.text
        assert accepted.json() | {"id": 0} == {
            "id": 0, "kind": "one_way", "terms": None, "from": first["from"], "to": [first["to"]]
        }  # fmt: skip
        assert (await client.get("/api/search", params={"q": first["from"]})).json()["total"] > 0
        for other in rest:
            rejected = await client.post(
                f"/api/admin/synonyms/suggestions/{other['id']}/reject", headers=admin
            )
            assert rejected.status_code == 204
        again = await client.get("/api/admin/synonyms/suggestions", params={"refresh": "true"}, headers=admin)
        assert again.json() == {"suggestions": []}  # accepted and rejected pairs are not offered again


def test_planted_reformulations_are_learned_and_unrelated_queries_are_not(cli_database: str, capsys) -> None:
    args = ["demo", "seed", "--products", "1000", "--shoppers", "100", "--sessions", "3", "--days", "7"]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["synonyms", "learn"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    suggested = {tuple(line.split("\t")[1].split(" => ")) for line in lines}
    assert len(suggested) >= 2 and suggested <= PLANTED_PAIRS
    # Plenty of consecutive queries went from no click to a click without meaning the same thing.
    unrelated = candidate_pairs(cli_database) - PLANTED_PAIRS
    assert len(unrelated) >= 20
    asyncio.run(accept_and_search(cli_database))
