"""Synonym benchmark: search latency with 1,000 synonyms loaded against none, on the demo catalog.

    .venv/bin/python bench/synonyms.py [--products 5000] [--synonyms 1000] [--sqlite]

Loads the demo catalog into a fresh database (PostgreSQL by default, `bench_synonyms`), draws
shopper queries from the simulator (seeded), and times the real search use case in process, one
query at a time, with the result and count caches off, first without synonyms and then with a
generated set: multi-way and one-way rules over the catalog's own words (so that they widen what
queries match) and over invented words. Prints p50/p95/mean; never fails.
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

from application.search.current_synonyms import FixedSynonyms
from application.search.dto import SearchRequest
from domain.search.query import parse_query
from domain.search.synonyms import Synonym, new_synonym
from domain.search.text import STOPWORDS, words
from domain.search.thesaurus import Thesaurus
from entrypoints.cli.db import upgrade
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from simulation.catalog.generator import generate_catalog
from simulation.queries import make_query
from simulation.shoppers import make_population

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


async def fresh_postgres(name: str) -> str:
    admin = await asyncpg.connect(database="postgres", **PG)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return f"postgresql+asyncpg://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


def make_synonyms(vocabulary: list[str], count: int, seed: int) -> list[Synonym]:
    rng = random.Random(seed)
    made: list[Synonym] = []
    while len(made) < count:
        terms = list(dict.fromkeys(rng.choice(vocabulary) for _ in range(rng.choice((2, 3)))))
        terms += [f"zq{rng.randrange(10**6)}" for _ in range(rng.choice((0, 1)))]  # a word no product has
        try:
            if rng.random() < 0.3:
                made.append(new_synonym(terms[1:], terms[0]))
            elif len(terms) > 1:
                made.append(new_synonym(terms))
        except ValueError:
            continue  # two words with one stem
    return made


async def timed(searches: list, queries: list[str]) -> list[np.ndarray]:
    """Per search, each query's latency; the searches take turns on each query, so that a warmer
    cache or a busier machine favours none of them."""
    for q in queries[:20]:  # warm the connections and the statistics
        for search in searches:
            await search(SearchRequest(q=q))
    times: list[list[float]] = [[] for _ in searches]
    for q in queries:
        for search, kept in zip(searches, times, strict=True):
            started = time.perf_counter()
            await search(SearchRequest(q=q))
            kept.append((time.perf_counter() - started) * 1000)
    return [np.array(t) for t in times]


async def run(url: str, products: int, count: int, queries: int, seed: int) -> None:
    await asyncio.to_thread(upgrade, url)
    env = {"DATABASE_URL": url, "SEARCH_RESULT_TTL": "0", "SEARCH_COUNTS_TTL": "0"}
    settings = load_settings(env, dotenv=Path(os.devnull))
    rows = list(generate_catalog(products, seed))
    container = build_container(settings)
    await container.import_catalog()(list(enumerate(rows, start=1)))
    vocabulary = sorted(
        {w for r in rows for w in words(str(r["title"])) if w not in STOPWORDS and w.isalpha()}
    )
    shoppers = make_population(200, seed)
    rng = random.Random(seed)
    asked = [make_query(rng.choice(shoppers), rng).text for _ in range(queries)]
    synonyms = make_synonyms(vocabulary, count, seed)
    expanded = Thesaurus(synonyms)
    touched = sum(expanded.expand(parse_query(q)) != parse_query(q) for q in asked)
    print(f"{products} products, {len(asked)} simulated shopper queries, database {url.split(':')[0]}")
    print(f"{len(synonyms)} synonyms give {touched} of the queries ({touched / len(asked):.0%}) alternatives")
    searches = []
    for given in ([], synonyms):
        container.current_synonyms.override(providers.Object(FixedSynonyms(given)))
        container.search_products.reset()
        searches.append(container.search_products())
    for label, ms in zip(
        ("no synonyms", f"{len(synonyms)} synonyms"), await timed(searches, asked), strict=True
    ):
        p50, p95 = np.percentile(ms, [50, 95])
        print(f"{label:<14} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  mean {ms.mean():6.1f} ms")
    await close_container(container)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--synonyms", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()

    async def go() -> None:
        if args.sqlite:
            path = ROOT / "data" / "bench_synonyms.db"
            path.parent.mkdir(exist_ok=True)
            path.unlink(missing_ok=True)
            url = f"sqlite+aiosqlite:///{path}"
        else:
            url = await fresh_postgres("bench_synonyms")
        await run(url, args.products, args.synonyms, args.queries, args.seed)

    asyncio.run(go())


if __name__ == "__main__":
    main()
