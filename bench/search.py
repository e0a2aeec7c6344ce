"""Search benchmark: import rate and search latency per query class at stated catalog sizes.

    .venv/bin/python bench/search.py --sizes 100000 1000000

Loads a generated catalog into a fresh PostgreSQL database (or SQLite with --sqlite) through the
real import use case, then times the real search use case in process, one query at a time,
and prints p50/p95/p99 per query class. Queries are drawn at random (seeded) from the generated
catalog's own words; nothing here is tuned to particular queries. Prints figures; never fails.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from typing import get_args

import asyncpg
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from application.search.dto import SearchRequest
from domain.search.sorting import SortKey
from domain.search.text import STOPWORDS, words
from entrypoints.cli.db import upgrade
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from simulation.catalog.generator import generate_catalog

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
FILLER = ["good", "for", "my", "a", "with", "that", "is", "and", "nice", "really", "looking", "need"]


async def fresh_postgres(name: str) -> str:
    admin = await asyncpg.connect(database="postgres", **PG)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return f"postgresql+asyncpg://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


async def existing_postgres(name: str) -> str:
    admin = await asyncpg.connect(database="postgres", **PG)
    found = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
    await admin.close()
    return (
        f"postgresql+asyncpg://{PG['user']}@{PG['host']}:{PG['port']}/{name}"
        if found
        else await fresh_postgres(name)
    )


def build_queries(sample: list[dict], categories: list[str], brands: list[str], n: int, seed: int) -> dict:
    rng = random.Random(seed)
    title_words = Counter(
        w for row in sample for w in words(str(row["title"])) if w not in STOPWORDS and not w.isdigit()
    )
    common = [w for w, _ in title_words.most_common(40)]
    body_words = [w for row in sample for w in words(str(row["description"])) if w not in STOPWORDS]

    def fragment(k: int) -> str:
        title = [w for w in words(str(rng.choice(sample)["title"])) if w not in STOPWORDS]
        start = rng.randrange(max(1, len(title) - k + 1))
        return " ".join(title[start : start + k])

    classes: dict[str, list[dict]] = {
        "broad": [],
        "words_2_4": [],
        "filtered": [],
        "sorted": [],
        "long_natural": [],
    }
    for _ in range(n):
        classes["broad"].append({"q": rng.choice(common)})
        classes["words_2_4"].append({"q": fragment(rng.randint(2, 4))})
        classes["filtered"].append(
            rng.choice(
                [
                    {"q": fragment(1), "category": rng.choice(categories)},
                    {"q": rng.choice(common), "brand": rng.choice(brands)},
                    {"q": fragment(2), "min_price": 20.0, "max_price": float(rng.choice([50, 100, 300]))},
                    {"q": rng.choice(common), "min_rating": 4.0},
                ]
            )
        )
        classes["sorted"].append(
            {
                "q": rng.choice(common),
                "sort": rng.choice([s for s in get_args(SortKey) if s != "relevance"]),
            }
        )
        natural = fragment(3).split() + rng.sample(body_words, 3) + rng.sample(FILLER, 3)
        rng.shuffle(natural)
        classes["long_natural"].append({"q": " ".join(natural)})
    return classes


async def run(size: int, url: str, per_class: int, seed: int, reuse: bool) -> dict:
    await asyncio.to_thread(upgrade, url)
    # The result cache is off: these figures are the engine's, not cache hits.
    settings = load_settings({"DATABASE_URL": url, "SEARCH_RESULT_TTL": "0"}, dotenv=Path(os.devnull))
    container = build_container(settings)
    importer = container.import_catalog()
    sample: list[dict] = []
    started = time.perf_counter()

    def rows():
        for line, row in enumerate(generate_catalog(size, seed), start=1):
            if line % max(1, size // 5000) == 0:
                sample.append(row)
            yield line, row

    if reuse and await container.products().count() == size:
        for _ in rows():
            pass
        loaded, import_seconds = 0, 0.0
    else:
        loaded = (await importer(rows())).loaded
        import_seconds = time.perf_counter() - started
    if url.startswith("postgresql") and loaded:
        engine = container.engine()
        async with engine.connect() as connection:
            await connection.exec_driver_sql("COMMIT")
            await connection.exec_driver_sql("VACUUM ANALYZE")
    categories = sorted({str(r["category"]) for r in sample})
    brands = sorted({str(r["brand"]) for r in sample})
    classes = build_queries(sample, categories, brands, per_class, seed)
    search = container.search_products()
    results: dict[str, dict] = {}
    for name, queries in classes.items():
        for params in queries[: min(10, len(queries))]:  # warm caches and plans
            await search(SearchRequest(**params))
        timings = []
        totals = []
        for params in queries:
            t0 = time.perf_counter()
            result = await search(SearchRequest(**params))
            timings.append((time.perf_counter() - t0) * 1000)
            totals.append(result.total)
        ms = np.array(timings)
        results[name] = {
            "queries": len(ms),
            "p50_ms": round(float(np.percentile(ms, 50)), 2),
            "p95_ms": round(float(np.percentile(ms, 95)), 2),
            "p99_ms": round(float(np.percentile(ms, 99)), 2),
            "mean_matches": round(float(np.mean(totals)), 1),
            "qps_sequential": round(1000 / float(np.mean(ms)), 1),
        }
    suggest = container.suggest()
    rng = random.Random(seed)
    prefixes = []
    for _ in range(per_class):
        title = [w for w in words(str(rng.choice(sample)["title"])) if len(w) >= 4]
        if title:
            word = rng.choice(title)
            prefixes.append(word[: rng.randint(2, min(5, len(word)))])
    timings = []
    for prefix in prefixes:
        t0 = time.perf_counter()
        await suggest(prefix, 8)
        timings.append((time.perf_counter() - t0) * 1000)
    ms = np.array(timings)
    results["suggest"] = {
        "queries": len(ms),
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
        "mean_matches": 8.0,
        "qps_sequential": round(1000 / float(np.mean(ms)), 1),
    }
    await close_container(container)
    return {
        "products": size,
        "imported": loaded,
        "import_seconds": round(import_seconds, 1),
        "import_rate_per_s": round(loaded / import_seconds) if loaded else None,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "classes": results,
    }


def print_result(result: dict, backend: str) -> None:
    if result["imported"]:
        loaded = (
            f"imported {result['imported']:,} in {result['import_seconds']} s = "
            f"{result['import_rate_per_s']:,} products/s"
        )
    else:
        loaded = "catalog reused (import not measured)"
    print(f"\n{backend}, {result['products']:,} products: {loaded}; max RSS {result['max_rss_mb']} MB")
    print(f"{'class':<14}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'matches':>10}{'q/s':>8}")
    for name, r in result["classes"].items():
        print(
            f"{name:<14}{r['queries']:>6}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}"
            f"{r['mean_matches']:>10}{r['qps_sequential']:>8}"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200, help="queries per class")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sqlite", action="store_true", help="benchmark the SQLite adapter instead")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded catalog of that size")
    args = parser.parse_args()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        if args.sqlite:
            path = Path(args.out) / f"bench_{size}.db"
            path.unlink(missing_ok=True)
            url, backend = f"sqlite+aiosqlite:///{path}", "SQLite"
        else:
            name = f"ecomsearch_bench_{size}"
            url = await (existing_postgres(name) if args.reuse else fresh_postgres(name))
            backend = "PostgreSQL"
        result = await run(size, url, args.queries, args.seed, args.reuse)
        print_result(result, backend)
        (Path(args.out) / f"search_{backend.lower()}_{size}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
