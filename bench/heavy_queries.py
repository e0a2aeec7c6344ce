"""The cost of very long queries, and what they do to everyone else's searches.

    .venv/bin/python bench/heavy_queries.py --database-url sqlite+aiosqlite:///shop.db
    .venv/bin/python bench/heavy_queries.py --database-url postgresql+asyncpg://postgres@127.0.0.1/demo

Over a loaded catalog (e.g. `ecomsearch demo seed`), in process, with the result cache off:
1. the time of one 240-word query (the longest the 500-character limit allows: short words drawn
   from the catalog's titles, seeded), several times;
2. six heavy queries sent at once: how long until the last answers (the server is held that long);
3. the p50/p99 of normal searches (2-4 words of a title) alone, then while six other clients run:
   six normal ones back to back (the baseline: any six closed-loop clients load two cores), six
   heavy ones back to back (no limit at all), and six heavy ones each paced at the per-client
   search limit (SEARCH_RATE_LIMIT a minute, as six addresses each at its limit would be).
Both arms run in one process, one after the other: the words cap on (MAX_QUERY_WORDS) and off
(`--arms` picks them). Prints figures; never fails.
"""

import argparse
import asyncio
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from application.search.dto import SearchRequest
from domain.search import query as query_module
from domain.search.query import MAX_QUERY_LENGTH, MAX_QUERY_WORDS
from domain.search.text import STOPWORDS, words
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings


def heavy_query(titles: list[str], rng: random.Random, n_words: int = 240) -> str:
    """`n_words` words of the catalog's titles, two letters where the length allows, one otherwise."""
    vocabulary = {w for t in titles for w in words(t)}
    one = sorted(w for w in vocabulary if len(w) == 1) or list("abcdefghijklmnopqrstuvwxyz0123456789")
    two = sorted(w for w in vocabulary if len(w) == 2)
    picked: list[str] = []
    length = -1
    for i in range(n_words):
        spare = MAX_QUERY_LENGTH - length - 2 * (n_words - i)  # room left if every later word had one letter
        word = rng.choice(two) if two and spare >= 2 else rng.choice(one)
        picked.append(word)
        length += len(word) + 1
    return " ".join(picked)


def normal_queries(titles: list[str], rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        title = [w for w in words(rng.choice(titles)) if w not in STOPWORDS]
        k = rng.randint(2, 4)
        start = rng.randrange(max(1, len(title) - k + 1))
        out.append(" ".join(title[start : start + k]))
    return out


def ms(values: list[float]) -> str:
    return (
        f"p50 {np.percentile(values, 50):7.1f} ms  p99 {np.percentile(values, 99):7.1f} ms  (n={len(values)})"
    )


async def main(url: str, normal_n: int, repeats: int, arms: list[str], limit: int) -> None:
    env = {"DATABASE_URL": url, "SEARCH_RESULT_TTL": "0", "SEARCH_COUNTS_TTL": "0", "REDIS_URL": ""}
    container = build_container(load_settings(env, dotenv=Path(os.devnull)))
    search = container.search_products()
    engine = container.engine()
    async with engine.connect() as conn:
        titles = [r[0] for r in await conn.execute(sa.text("SELECT title FROM products"))]
    rng = random.Random(7)
    heavy = [heavy_query(titles, rng) for _ in range(6)]
    normal = normal_queries(titles, rng, normal_n)
    print(f"{url.split(':', 1)[0]}, {len(titles):,} products; heavy query: {len(heavy[0].split())} words")
    for arm in arms:
        query_module.MAX_QUERY_WORDS = MAX_QUERY_WORDS if arm == "capped" else 10_000  # type: ignore[misc]
        print(f"-- words cap {'on' if arm == 'capped' else 'off'}")
        await _arm(search, heavy, normal, repeats, limit)
    await close_container(container)


async def _arm(search, heavy: list[str], normal: list[str], repeats: int, limit: int) -> None:  # type: ignore[no-untyped-def]
    for q in normal[:20]:
        await search(SearchRequest(q=q))
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        await search(SearchRequest(q=heavy[0]))
        times.append((time.perf_counter() - started) * 1000)
    print(f"one heavy query, {repeats} runs: min {min(times):.0f} ms  median {np.median(times):.0f} ms")

    async def timed_normals() -> list[float]:
        out = []
        for q in normal:
            started = time.perf_counter()
            await search(SearchRequest(q=q))
            out.append((time.perf_counter() - started) * 1000)
        return out

    started = time.perf_counter()
    await asyncio.gather(*(search(SearchRequest(q=q)) for q in heavy))
    print(f"six heavy queries at once: all answered in {(time.perf_counter() - started) * 1000:.0f} ms")
    print("normal searches alone:        ", ms(await timed_normals()))
    loads = [("6 normal, back to back", normal[:6], 0), ("6 heavy, back to back", heavy, 0)]
    loads.append((f"6 heavy, paced {limit}/min each", heavy, limit))
    for label, queries, per_minute in loads:
        stop = asyncio.Event()
        heavy_done = 0

        async def hammer(q: str, interval: float, stop: asyncio.Event) -> None:
            nonlocal heavy_done
            while not stop.is_set():
                began = time.perf_counter()
                await search(SearchRequest(q=q))
                heavy_done += 1
                await asyncio.sleep(max(0.0, interval - (time.perf_counter() - began)))

        started = time.perf_counter()
        interval = 60 / per_minute if per_minute else 0.0
        hammers = [asyncio.create_task(hammer(q, interval, stop)) for q in queries]
        under_load = await timed_normals()
        stop.set()
        await asyncio.gather(*hammers)
        elapsed = time.perf_counter() - started
        print(
            f"normal searches, {label}:",
            ms(under_load),
            f"; {heavy_done} of theirs in {elapsed:.1f} s",
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--normal", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--arms", nargs="+", default=["uncapped", "capped"], choices=["uncapped", "capped"])
    parser.add_argument(
        "--limit", type=int, default=300, help="per-client searches a minute (SEARCH_RATE_LIMIT)"
    )
    args = parser.parse_args()
    asyncio.run(main(args.database_url, args.normal, args.repeats, args.arms, args.limit))
