"""The cost of tiered matching: the same queries, alternately with the lower tiers on (fill target
100) and off (0), in one process over one loaded PostgreSQL catalog, so machine load hits both alike.

    .venv/bin/python bench/search.py --sizes 100000   # leaves ecomsearch_bench_100000 loaded
    .venv/bin/python bench/tiers_cost.py --database ecomsearch_bench_100000 --size 100000

Queries come from `bench/search.py`'s classes (drawn from the generated catalog's own words).
Prints p50/p99 per class, on and off, and of the queries the tiers actually served; never fails.
"""

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from search import build_queries

from application.search.dto import SearchRequest
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from simulation.catalog.generator import generate_catalog


async def main(database: str, size: int, per_class: int) -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}"
    step = max(1, size // 5000)
    sample = [row for line, row in enumerate(generate_catalog(size, 7), start=1) if line % step == 0]
    categories = sorted({str(r["category"]) for r in sample})
    brands = sorted({str(r["brand"]) for r in sample})
    classes = build_queries(sample, categories, brands, per_class, 7)
    arms = {}
    for name, fill in (("tiers", "100"), ("off", "0")):
        env = {"DATABASE_URL": url, "SEARCH_RESULT_TTL": "0", "SEARCH_FILL_TARGET": fill}
        arms[name] = build_container(load_settings(env, dotenv=Path(os.devnull)))
    searches = {name: c.search_products() for name, c in arms.items()}
    print(f"PostgreSQL, {size:,} products; ms per query, tiers on (fill target 100) and off (0), interleaved")
    print(
        f"{'class':<14}{'n':>5}{'tiered':>8}{'on p50':>9}{'on p99':>9}{'off p50':>9}{'off p99':>9}  tiered p50/p99"
    )
    for cls, queries in classes.items():
        for params in queries[:10]:  # warm both
            for search in searches.values():
                await search(SearchRequest(**params))
        times: dict[str, list[float]] = {name: [] for name in searches}
        tiered = []
        for i, params in enumerate(queries):
            for name in list(searches) if i % 2 == 0 else reversed(list(searches)):
                started = time.perf_counter()
                result = await searches[name](SearchRequest(**params))
                times[name].append((time.perf_counter() - started) * 1000)
                if name == "tiers":
                    tiered.append(result.query.relaxed)
        on, off, mask = np.array(times["tiers"]), np.array(times["off"]), np.array(tiered)
        served = on[mask] if mask.any() else np.array([0.0])
        print(
            f"{cls:<14}{len(on):>5}{int(mask.sum()):>8}{np.percentile(on, 50):>9.1f}{np.percentile(on, 99):>9.1f}"
            f"{np.percentile(off, 50):>9.1f}{np.percentile(off, 99):>9.1f}"
            f"  {np.percentile(served, 50):.1f}/{np.percentile(served, 99):.1f}"
        )
    for container in arms.values():
        await close_container(container)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a loaded PostgreSQL database on 127.0.0.1")
    parser.add_argument("--size", type=int, required=True, help="the catalog size it was loaded with")
    parser.add_argument("--per-class", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.database, args.size, args.per_class))
