"""Attribute facets benchmark: search latency with and without attribute facets and filters.

    .venv/bin/python bench/attribute_facets.py --size 100000

Loads a generated catalog (its products carry the demo shop's attributes: colour, sizes,
capacities...) into a fresh PostgreSQL database named `facets_bench` (dropped at the end unless
--keep), or reuses it with --reuse. Then times the real search use case in process, one query at
a time, with every cache off (result and counts), so each search counts its facets in the
database: once with attribute facets off (the search as it was before them), once with them on,
and a class of searches filtered by attributes. Prints p50/p95/p99 per class; never fails.
"""

import argparse
import asyncio
import os
import random
import sys
import time
from pathlib import Path

import asyncpg
import numpy as np
from dependency_injector import providers

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from application.search.dto import SearchRequest
from domain.search.attributes import parse_attribute_filters
from entrypoints.cli.db import upgrade
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings, unbounded_statements
from simulation.catalog.generator import generate_catalog

NAME = "facets_bench"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
WORDS = ["wireless", "black", "leather", "steel", "pro", "compact", "classic", "waterproof", "lightweight"]


async def database(reuse: bool) -> str:
    admin = await asyncpg.connect(database="postgres", **PG)
    found = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", NAME)
    if not (reuse and found):
        await admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{NAME}"')
    await admin.close()
    return f"postgresql+asyncpg://{PG['user']}@{PG['host']}:{PG['port']}/{NAME}"


def build_queries(sample: list[dict], n: int, seed: int) -> dict[str, list[SearchRequest]]:
    rng = random.Random(seed)
    categories = sorted({str(r["category"]) for r in sample})
    with_color = [r for r in sample if r.get("color")]
    numeric = [
        (k, v) for r in sample for k, v in r.items() if k.endswith(("_in", "_cm", "_l", "_watts")) and v
    ]
    plain: list[SearchRequest] = []
    filtered: list[SearchRequest] = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            plain.append(SearchRequest(q="", category=rng.choice(categories)))
        elif kind == 1:
            plain.append(SearchRequest(q=rng.choice(WORDS)))
        else:
            plain.append(SearchRequest(q=""))
        row = rng.choice(with_color)
        name, value = rng.choice(numeric)
        params = [("attr.color", str(row["color"]))]
        if i % 2:
            params.append((f"attr.{name}", f"{float(value) * 0.8:g}..{float(value) * 1.2:g}"))
        filtered.append(
            SearchRequest(
                q=rng.choice(["", *WORDS]),
                category=str(row["category"]) if i % 3 == 0 else None,
                attributes=parse_attribute_filters(params),
            )
        )
    return {"plain": plain, "attr_filtered": filtered}


async def timed(search, requests: list[SearchRequest]) -> dict:
    for request in requests[:10]:  # warm plans and the attribute profile
        await search(request)
    timings, totals, facets = [], [], []
    for request in requests:
        t0 = time.perf_counter()
        result = await search(request)
        timings.append((time.perf_counter() - t0) * 1000)
        totals.append(result.total)
        facets.append(len(result.facets.attributes))
    ms = np.array(timings)
    return {
        "n": len(ms),
        "p50": round(float(np.percentile(ms, 50)), 1),
        "p95": round(float(np.percentile(ms, 95)), 1),
        "p99": round(float(np.percentile(ms, 99)), 1),
        "matches": round(float(np.mean(totals))),
        "facets": round(float(np.mean(facets)), 1),
    }


async def run(size: int, per_class: int, seed: int, reuse: bool) -> None:
    url = await database(reuse)
    await asyncio.to_thread(upgrade, url)
    env = {"DATABASE_URL": url, "SEARCH_RESULT_TTL": "0", "SEARCH_COUNTS_TTL": "0"}
    container = build_container(load_settings(env, dotenv=Path(os.devnull)))
    sample: list[dict] = []

    def rows():
        for line, row in enumerate(generate_catalog(size, seed), start=1):
            if line % max(1, size // 5000) == 0:
                sample.append(row)
            yield line, row

    # As `ecomsearch catalog import` does: batch work (the load, VACUUM) without the statement timeout.
    loader = build_container(unbounded_statements(load_settings(env, dotenv=Path(os.devnull))))
    if reuse and await container.products().count() == size:
        for _ in rows():
            pass
        print(f"reusing {size:,} products")
    else:
        started = time.perf_counter()
        loaded = (await loader.import_catalog()(rows())).loaded
        print(f"imported {loaded:,} products in {time.perf_counter() - started:.0f} s")
    async with loader.engine().connect() as connection:
        await connection.exec_driver_sql("COMMIT")
        await connection.exec_driver_sql("VACUUM ANALYZE")
    await close_container(loader)
    classes = build_queries(sample, per_class, seed)
    with_facets = await timed(container.search_products(), classes["plain"])
    filtered = await timed(container.search_products(), classes["attr_filtered"])
    await close_container(container)
    # The same searches by a container whose search has no attribute facets: the search before them.
    bare = build_container(load_settings(env, dotenv=Path(os.devnull)))
    bare.facet_attributes.override(providers.Object(None))
    without = await timed(bare.search_products(), classes["plain"])
    await close_container(bare)
    print(f"\nPostgreSQL, {size:,} products, caches off; milliseconds per search")
    print(f"{'class':<34}{'n':>5}{'p50':>8}{'p95':>8}{'p99':>8}{'matches':>9}{'facets':>8}")
    for label, r in (
        ("plain, attribute facets off", without),
        ("plain, attribute facets on", with_facets),
        ("attr.* filtered, facets on", filtered),
    ):
        print(
            f"{label:<34}{r['n']:>5}{r['p50']:>8}{r['p95']:>8}{r['p99']:>8}{r['matches']:>9}{r['facets']:>8}"
        )


async def drop() -> None:
    admin = await asyncpg.connect(database="postgres", **PG)
    await admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
    await admin.close()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=150, help="queries per class")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded catalog of that size")
    parser.add_argument("--keep", action="store_true", help="leave the database for a --reuse run")
    args = parser.parse_args()
    try:
        await run(args.size, args.queries, args.seed, args.reuse)
    finally:
        if not args.keep:
            await drop()


if __name__ == "__main__":
    asyncio.run(main())
