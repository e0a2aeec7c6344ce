"""Cart, review and recommendation benchmark: use-case latency on PostgreSQL under concurrency.

    .venv/bin/python bench/cart.py --products 100000 --users 200 --concurrency 20

Loads a generated catalog into a fresh PostgreSQL database through the real import use case,
makes users, then runs the real use cases in process with `--concurrency` tasks at a time:
product views (recorded), cart adds (a quarter of them racing on one hot sku per user), review
writes (many users on few products, so they queue on the product row) and recommendations.
Prints p50/p95/p99 and throughput per operation and checks no add was lost. Never fails on timing.
"""

import argparse
import asyncio
import os
import random
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from search import fresh_postgres

from domain.identity.model import NewUser
from entrypoints.cli.db import upgrade
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from simulation.catalog.generator import generate_catalog


async def timed(name: str, calls: list[Callable[[], Awaitable[object]]], concurrency: int) -> None:
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []

    async def one(call: Callable[[], Awaitable[object]]) -> None:
        async with gate:
            start = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - start)

    began = time.perf_counter()
    await asyncio.gather(*(one(c) for c in calls))
    wall = time.perf_counter() - began
    ms = np.array(latencies) * 1000
    print(
        f"{name:<16} n={len(ms):>6}  p50 {np.percentile(ms, 50):6.1f} ms  p95 {np.percentile(ms, 95):6.1f} ms"
        f"  p99 {np.percentile(ms, 99):6.1f} ms  {len(ms) / wall:7.0f}/s"
    )


async def main(args: argparse.Namespace) -> None:
    url = await fresh_postgres("ecomsearch_bench_cart")
    await asyncio.to_thread(upgrade, url)
    settings = load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull))
    c = build_container(settings)
    rows = list(generate_catalog(args.products, seed=7))
    await c.import_catalog()([(i + 2, row) for i, row in enumerate(rows)])
    skus = [str(r["sku"]) for r in rows]
    users = [
        (
            await c.users().add(
                NewUser(username=f"b{i}", email=None, password_hash="x", created_at=c.clock().now())
            )
        ).id
        for i in range(args.users)
    ]
    rng = random.Random(1)
    n = args.users * args.ops
    views = [(rng.choice(users), rng.choice(skus)) for _ in range(n)]
    await timed("view product", [lambda u=u, s=s: c.view_product()(s, u) for u, s in views], args.concurrency)
    hot = {u: rng.choice(skus) for u in users}
    adds = [(u, hot[u] if rng.random() < 0.25 else rng.choice(skus)) for u in users for _ in range(args.ops)]
    await timed(
        "add to cart",
        [lambda u=u, s=s: c.add_to_cart()(u, s, 1, "control") for u, s in adds],
        args.concurrency,
    )
    expected: dict[tuple[int, str], int] = {}
    for key in adds:
        expected[key] = min(99, expected.get(key, 0) + 1)
    stored = {(u, line.sku): line.quantity for u in users for line in (await c.get_cart()(u)).items}
    print(
        f"cart lines {len(stored)}, lost quantities: {sum(expected[k] - stored.get(k, 0) for k in expected)}"
    )
    await timed("get cart", [lambda u=u: c.get_cart()(u) for u in users], args.concurrency)
    few = skus[:10]
    reviews = [(u, s) for u in users for s in few]
    await timed(
        "put review",
        [lambda u=u, s=s: c.put_review()(u, s, rng.randint(1, 5)) for u, s in reviews],
        args.concurrency,
    )
    counts = [
        (await c.products().get(s)).review_count - int(rows[i].get("review_count") or 0)
        for i, s in enumerate(few)
    ]  # type: ignore[union-attr]
    print(f"user reviews counted per product: {counts} (expected {len(users)} each)")
    await timed("recommend", [lambda u=u: c.recommend()(u, 10) for u in users], args.concurrency)
    await timed("recommend anon", [lambda: c.recommend()(None, 10) for _ in users], args.concurrency)
    await close_container(c)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--ops", type=int, default=10, help="views and adds per user")
    parser.add_argument("--concurrency", type=int, default=20)
    asyncio.run(main(parser.parse_args()))
