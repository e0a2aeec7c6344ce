"""Measurements, sizes and compounds are found however they are written, alike on both databases;
and re-analysing the catalog (migration 0010) rebuilds an index written by an older analyser."""

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from adapters.sql.engine import make_engine
from adapters.sql.reanalysis import reanalyse_catalog
from adapters.sql.tables import products, search_stats, search_terms, search_words
from application.search.dto import SearchRequest
from entrypoints.cli.db import alembic_config
from entrypoints.container import Container, build_container, close_container
from entrypoints.settings import load_settings


def _row(sku: str, title: str, category: str = "Hardware") -> dict[str, Any]:
    return {
        "sku": sku,
        "title": title,
        "price": 20.0,
        "category": category,
        "brand": "Acme",
        "description": "A sturdy product.",
        "rating": 4.0,
        "review_count": 10,
        "popularity": 10,
        "created_at": "2026-01-01T00:00:00+00:00",
    }


ROWS = [
    _row("MON-27", "27 in. Monitor"),
    _row("CHG-65", "Charger 65 W"),
    _row("MOT-34", "3/4 HP Motor"),
    _row("CBL-C", "USB-C Cable"),
    _row("FRM-1216", "12 in. x 16 in. Frame"),
    # the same measurements written the other way
    _row("STD-27", "27inch Monitor Stand"),
    _row("CHG-65B", "65W Travel Charger"),
    _row("PMP-34", "3/4hp Sump Pump"),
    _row("HUB-C", "USBC Hub"),
    _row("PST-1216", "12x16 Poster"),
    # near misses: the same numbers, not the same measurement
    _row("SET-27", "27 Piece Tool Set"),
    _row("ENG-34", "34 HP Engine"),
    _row("PAN-16", "16 in. Skillet with 12 Eggs Holder"),
    _row("CHG-45", "Charger 45 W"),
]

# query -> the products that must come first (any order among them), and none of the near misses
EXPECTED = {
    "27in": {"MON-27", "STD-27"},
    '27"': {"MON-27", "STD-27"},
    "27 inch monitor": {"MON-27", "STD-27"},
    "65w charger": {"CHG-65", "CHG-65B"},
    "65 watt": {"CHG-65", "CHG-65B"},
    "3/4hp": {"MOT-34", "PMP-34"},
    "3/4 hp": {"MOT-34", "PMP-34"},
    "usbc": {"CBL-C", "HUB-C"},
    "usbc cable": {"CBL-C"},
    "usb-c": {"CBL-C", "HUB-C"},
    "usb c cable": {"CBL-C"},
    "12x16": {"FRM-1216", "PST-1216"},
    '12" x 16"': {"FRM-1216", "PST-1216"},
    "12 x 16 frame": {"FRM-1216"},
}
NEAR_MISSES = {"SET-27", "ENG-34", "PAN-16", "CHG-45"}


@asynccontextmanager
async def shop(url: str, rows: list[dict[str, Any]] | None = None) -> AsyncIterator[Container]:
    container = build_container(load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull)))
    try:
        if rows:
            report = await container.import_catalog()([(i + 2, row) for i, row in enumerate(rows)])
            assert report.rejected == 0, report.rejected_rows
        yield container
    finally:
        await close_container(container)


async def found(container: Container, query: str) -> list[str]:
    result = await container.search_products()(SearchRequest(q=query, per_page=20))
    return [hit.product.sku for hit in result.items]


def assert_found_first(query: str, skus: list[str]) -> None:
    wanted = EXPECTED[query]
    assert set(skus[: len(wanted)]) == wanted, (query, skus)
    assert not NEAR_MISSES & set(skus[: len(wanted)]), (query, skus)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_measurements_and_compounds_match_however_written(kind: str, make_database) -> None:
    async with shop(await make_database(kind), ROWS) as container:
        for query in EXPECTED:
            assert_found_first(query, await found(container, query))


async def test_both_databases_find_the_same_products(make_database) -> None:
    results = {}
    for kind in ("sqlite", "postgresql"):
        async with shop(await make_database(kind), ROWS) as container:
            results[kind] = [await found(container, query) for query in EXPECTED]
    assert results["sqlite"] == results["postgresql"]


async def snapshot(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        tables = {
            table.name: sorted(map(tuple, (await connection.execute(sa.select(table))).all()))
            for table in (search_terms, search_words, search_stats)
        }
        columns = (products.c.sku, products.c.search_title, products.c.search_meta, products.c.search_body)
        tables["products"] = sorted(map(tuple, (await connection.execute(sa.select(*columns))).all()))
    await engine.dispose()
    return tables


async def write_a_stale_index(url: str) -> None:
    """What an older analyser left: words neither split nor stemmed alike, and counters to match."""
    engine = make_engine(url)
    async with engine.begin() as connection:
        rows = (await connection.execute(sa.select(products.c.id, products.c.title))).all()
        for row in rows:
            stale = row.title.lower().replace(".", "")
            await connection.execute(
                sa.update(products).where(products.c.id == row.id).values(search_title=stale)
            )
        await connection.execute(sa.delete(search_terms))
        await connection.execute(sa.insert(search_terms).values(term="stale", df=99))
        await connection.execute(sa.update(search_stats).values(title_len=1))
        await connection.execute(sa.delete(search_words).where(search_words.c.word == "usbc"))
    await engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_migration_0010_reanalyses_a_stale_index(kind: str, make_database) -> None:
    url = await make_database(kind)
    async with shop(url, ROWS):
        pass
    fresh = await snapshot(url)
    await write_a_stale_index(url)
    async with shop(url) as container:
        # the stale index misses what only the new analysis finds
        assert "STD-27" not in await found(container, "27in")
        assert "CBL-C" not in await found(container, "usbc")
    config = alembic_config(url)
    await asyncio.to_thread(command.downgrade, config, "0009")
    await asyncio.to_thread(command.upgrade, config, "head")
    assert await snapshot(url) == fresh
    async with shop(url) as container:
        for query in ("27in", "usbc", "3/4hp", "12x16"):
            assert_found_first(query, await found(container, query))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_reanalysis_leaves_a_current_index_as_it_is(kind: str, make_database) -> None:
    url = await make_database(kind)
    async with shop(url, ROWS):
        pass
    before = await snapshot(url)
    engine = make_engine(url)
    async with engine.begin() as connection:
        changed = await connection.run_sync(reanalyse_catalog, 5)  # batches smaller than the catalog
    await engine.dispose()
    assert changed == 0
    assert await snapshot(url) == before
