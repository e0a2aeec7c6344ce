"""Attribute facets on real databases: SQLite and PostgreSQL count alike, the import path writes the
filter rows, and migration 0019 builds them for products stored before it."""

import asyncio
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from adapters.sql.engine import make_engine
from application.search.dto import SearchRequest
from domain.search.attributes import parse_attribute_filters
from entrypoints.cli.db import alembic_config
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from simulation.catalog.generator import generate_catalog

ROWS = list(generate_catalog(300, 3))
REQUESTS = [
    SearchRequest(q=""),
    SearchRequest(q="", category="Sofas"),
    SearchRequest(q="black", attributes=parse_attribute_filters([("attr.color", "Black")])),
    SearchRequest(q="", attributes=parse_attribute_filters([("attr.seats", "3"), ("attr.seats", "4")])),
    SearchRequest(q="", sort="price_asc", attributes=parse_attribute_filters([("attr.width_cm", "..200")])),
]


async def _answers(url: str, load: bool) -> list[tuple[int, dict[str, list[tuple[str, int]]]]]:
    # Cache off: every answer is counted by the database itself.
    env = {"DATABASE_URL": url, "SEARCH_RESULT_TTL": "0", "SEARCH_COUNTS_TTL": "0"}
    container = build_container(load_settings(env, dotenv=Path(os.devnull)))
    try:
        if load:
            report = await container.import_catalog()(list(enumerate(ROWS, start=2)))
            assert report.rejected == 0, report.rejected_rows
        answers = []
        for request in REQUESTS:
            result = await container.search_products()(request)
            facets = {n: [(f.value, f.count) for f in fs] for n, fs in result.facets.attributes.items()}
            answers.append((result.total, facets))
        return answers
    finally:
        await close_container(container)


async def _attribute_rows(url: str) -> int:
    engine = make_engine(url)
    async with engine.connect() as db:
        count = (await db.execute(sa.text("SELECT count(*) FROM product_attributes"))).scalar_one()
    await engine.dispose()
    return int(count)


async def test_both_databases_count_alike_and_the_migration_builds_the_rows(make_database) -> None:
    expected = sum(1 for row in ROWS for k, v in row.items() if k not in _KNOWN and v not in (None, ""))
    answers = {}
    for kind in ("sqlite", "postgresql"):
        url = await make_database(kind)
        answers[kind] = await _answers(url, load=True)
        assert await _attribute_rows(url) == expected
        config = alembic_config(url)
        await asyncio.to_thread(command.downgrade, config, "0021")
        await asyncio.to_thread(command.upgrade, config, "head")
        assert await _attribute_rows(url) == expected
        assert await _answers(url, load=False) == answers[kind], kind
    assert answers["sqlite"] == answers["postgresql"]
    everything, sofas, black, seats, narrow = answers["sqlite"]
    assert "color" in everything[1] and "seats" in sofas[1]
    assert black[0] > 0 and seats[0] > 0 and narrow[0] > 0
    # The chosen values of an attribute count what choosing each alone gives: together, the total.
    assert sum(c for v, c in seats[1]["seats"] if v in ("3", "4")) == seats[0]


_KNOWN = {
    "sku", "title", "price", "description", "category", "brand", "rating", "review_count",
    "popularity", "image_url", "created_at",
}  # fmt: skip
