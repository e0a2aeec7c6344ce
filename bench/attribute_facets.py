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
    classes: dict[str, list[SearchRequest]] = {"whole catalog": [], "category page": [], "one word": []}
    filtered: list[SearchRequest] = []
    for i in range(n):
        classes["whole catalog"].append(SearchRequest(q="", sort=rng.choice(["relevance", "price_asc"])))
        classes["category page"].append(SearchRequest(q="", category=rng.choice(categories)))
        classes["one word"].append(SearchRequest(q=rng.choice(WORDS)))
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
    return {**classes, "attr.* filtered": filtered}


def figures(timings: list[float], totals: list[int], facets: list[int]) -> dict:
    ms = np.array(timings)
    return {
        "n": len(ms),
        "p50": round(float(np.percentile(ms, 50)), 1),
        "p95": round(float(np.percentile(ms, 95)), 1),
        "p99": round(float(np.percentile(ms, 99)), 1),
        "matches": round(float(np.mean(totals))),
        "facets": round(float(np.mean(facets)), 1),
    }


async def timed(searches: list, requests: list[SearchRequest]) -> list[dict]:
    """Each request by every search in turn (the order alternating), so that a busier moment of a
    shared machine favours none of them."""
    for request in requests[:10]:  # warm plans and the attribute profile
        for search in searches:
            await search(request)
    runs: list[tuple[list[float], list[int], list[int]]] = [([], [], []) for _ in searches]
    for i, request in enumerate(requests):
        order = list(range(len(searches)))
        if i % 2:
            order.reverse()
        for k in order:
            t0 = time.perf_counter()
            result = await searches[k](request)
            runs[k][0].append((time.perf_counter() - t0) * 1000)
            runs[k][1].append(result.total)
            runs[k][2].append(len(result.facets.attributes))
    return [figures(*run) for run in runs]


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
    # The same searches by a container whose search has no attribute facets: the search before them.
    bare = build_container(load_settings(env, dotenv=Path(os.devnull)))
    bare.facet_attributes.override(providers.Object(None))
    rows_out = []
    for name, requests in classes.items():
        if name == "attr.* filtered":
            (on,) = await timed([container.search_products()], requests)
            rows_out.append((f"{name}, facets on", on))
            continue
        on, off = await timed([container.search_products(), bare.search_products()], requests)
        rows_out += [(f"{name}, attribute facets off", off), (f"{name}, attribute facets on", on)]
    await close_container(bare)
    await close_container(container)
    print(f"\nPostgreSQL, {size:,} products, caches off; milliseconds per search")
    print(f"{'class':<40}{'n':>5}{'p50':>8}{'p95':>8}{'p99':>8}{'matches':>9}{'facets':>8}")
    for label, r in rows_out:
        print(
            f"{label:<40}{r['n']:>5}{r['p50']:>8}{r['p95']:>8}{r['p99']:>8}{r['matches']:>9}{r['facets']:>8}"
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
    parser.add_argument("--queries", type=int, default=60, help="queries per class")
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
