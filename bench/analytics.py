"""GET /api/analytics latency with millions of events in the PostgreSQL event log.

    .venv/bin/python bench/analytics.py                    # 10 million events (a few minutes)
    .venv/bin/python bench/analytics.py --events 200000    # a quick run
    .venv/bin/python bench/analytics.py --reuse ecomsearch_bench_analytics --skip-rollup

Creates a throwaway PostgreSQL database, migrates it, loads a small generated catalog, an admin
and shopper accounts, then `--events` rows into `events` (plus one impression per search) with
server-side INSERT ... SELECT statements, one day per chunk (see bench/analytics_load.py). Rolls
up every day with SqlAnalyticsRollup.rollup_day, then times the readout: in process
(ReadAnalytics, from the summaries and through its cache) and over HTTP against `uvicorn` on
127.0.0.1, sequential requests as a logged-in admin (the server caches a readout per window until
the next rollup run, so all but the first request per window are cache hits). Prints figures; never fails on timing.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx
import numpy as np
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from analytics_load import build_queries, load_events, reference_tables, seed_users
from events import PASSWORD, Connection, free_port, load_catalog, start_server, wait_ready
from search import PG, fresh_postgres

from adapters.passwords.bcrypt_hasher import BcryptPasswordHasher
from adapters.sql.analytics_rollup import SqlAnalyticsRollup
from application.analytics.read_analytics import ReadAnalytics
from entrypoints.cli.actor import cli_actor
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings

DB_NAME = "ecomsearch_bench_analytics"
ADMIN = "benchadmin"


def summary(latencies: list[float], seconds: float) -> dict:
    ms = np.array(latencies)
    return {
        "requests": len(latencies),
        "per_second": round(len(latencies) / seconds, 1),
        **{f"p{q}_ms": round(float(np.percentile(ms, q)), 2) for q in (50, 95, 99)},
        "max_ms": round(float(ms.max()), 2),
    }


async def timed(call: Callable[[], Awaitable[object]], warmup: int, count: int) -> dict:
    for _ in range(warmup):
        await call()
    latencies = []
    started = time.perf_counter()
    for _ in range(count):
        t0 = time.perf_counter()
        await call()
        latencies.append((time.perf_counter() - t0) * 1000)
    return summary(latencies, time.perf_counter() - started)


async def create_admin(url: str) -> None:
    settings = load_settings({"DATABASE_URL": url, "BCRYPT_ROUNDS": "4"}, dotenv=Path(os.devnull))
    container = build_container(settings)
    try:
        await container.signup()(ADMIN, PASSWORD, None)
        await container.grant_admin()(ADMIN, actor=cli_actor())
    finally:
        await close_container(container)


async def load(url: str, args: argparse.Namespace) -> dict:
    t0 = time.perf_counter()
    skus = await load_catalog(url, args.products, args.seed)
    await create_admin(url)
    print(f"catalog: {len(skus):,} products and an admin in {time.perf_counter() - t0:.1f} s")
    rng = random.Random(args.seed)
    connection = await asyncpg.connect(database=url.rsplit("/", 1)[1], **PG)
    try:
        users = await seed_users(connection, args.users, BcryptPasswordHasher(4).hash_sync(PASSWORD))
        catalog = await connection.fetch("SELECT title, category, brand FROM products")
        queries = build_queries(
            [r["title"] for r in catalog],
            sorted({r["category"] for r in catalog}),
            sorted({r["brand"] for r in catalog}),
            args.queries,
            rng,
        )
        await reference_tables(connection, args.visitors, users, queries, rng)
        print(f"loading {args.events:,} events over {args.days} days, {args.visitors:,} visitors ...")
        report = await load_events(connection, args.events, args.days, args.visitors, queries)
        t1 = time.perf_counter()
        await connection.execute("VACUUM ANALYZE events")
        await connection.execute("VACUUM ANALYZE impressions")
        vacuum = time.perf_counter() - t1
        size = await connection.fetchval(
            "SELECT pg_size_pretty(pg_total_relation_size('events') + pg_total_relation_size('impressions'))"
        )
    finally:
        await connection.close()
    rows = report.events + report.impressions
    print(
        f"loaded {report.events:,} events and {report.impressions:,} impressions ({report.searches:,} searches) "
        f"in {report.seconds:.1f} s = {rows / report.seconds:,.0f} rows/s; vacuum analyze {vacuum:.1f} s; "
        f"{size} on disk"
    )
    return {
        "events": report.events,
        "impressions": report.impressions,
        "searches": report.searches,
        "load_s": round(report.seconds, 1),
        "rows_per_s": round(rows / report.seconds),
        "vacuum_analyze_s": round(vacuum, 1),
        "size": size,
    }


async def logged_days(url: str) -> list[date]:
    connection = await asyncpg.connect(database=url.rsplit("/", 1)[1], **PG)
    try:
        first, last = await connection.fetchrow(
            "SELECT min(occurred_at)::date, max(occurred_at)::date FROM events"
        )
    finally:
        await connection.close()
    if first is None:
        return []
    return [first + timedelta(days=d) for d in range((last - first).days + 1)]


async def rollup(rollups: SqlAnalyticsRollup, days: list[date], budget: float | None) -> dict:
    """Newest day first, so that a run cut short by `budget` seconds has the short windows whole."""
    per_day = []
    started = time.perf_counter()
    for day in sorted(days, reverse=True):
        if budget is not None and time.perf_counter() - started > budget:
            break
        t0 = time.perf_counter()
        try:
            await rollups.rollup_day(day)
        except Exception as exc:  # reported, not hidden: the readout is then timed on what exists
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            print(f"rollup of {day} FAILED after {time.perf_counter() - t0:.1f} s: {reason}")
            return {"failed_day": str(day), "days_done": len(per_day), "error": reason}
        per_day.append(time.perf_counter() - t0)
        if len(per_day) % 5 == 0:
            print(f"  rolled up {len(per_day)}/{len(days)} days, {time.perf_counter() - started:.0f} s")
    total = time.perf_counter() - started
    result = {
        "days": len(per_day),
        "of_days": len(days),
        "total_s": round(total, 1),
        "p50_day_s": round(statistics.median(per_day), 2),
        "max_day_s": round(max(per_day), 2),
    }
    print(
        f"rollup: {len(per_day)} of {len(days)} days in {total:.1f} s; "
        f"per day p50 {result['p50_day_s']} s, max {result['max_day_s']} s"
    )
    if len(per_day) < len(days):
        result["all_days_estimate_s"] = round(total / len(per_day) * len(days))
        print(
            f"  stopped at --rollup-budget; all {len(days)} days would take about {result['all_days_estimate_s']} s"
        )
    return result


async def in_process(url: str, windows: list[int], warmup: int, count: int) -> dict:
    """ReadAnalytics as the app wires it, without HTTP: straight from the summaries (what the first
    request after each rollup run pays) and through the readout cache (every later request)."""
    container = build_container(load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull)))
    results: dict = {}
    try:
        cached = container.read_analytics()
        uncached = ReadAnalytics(cached.summaries, cached.clusters, cached.split, cached.today)
        for label, readout in (("uncached", uncached), ("cached", cached)):
            for days in windows:
                name = f"{label} days={days}"
                results[name] = await timed(lambda d=days, r=readout: r(d), warmup, count)
                print(f"in process, {name}: {fmt(results[name])}")
    finally:
        await close_container(container)
    return results


def rss_mb(pid: int) -> float:
    """Resident memory of the server's process group (uvicorn and any workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != pid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ProcessLookupError):
            continue
    return round(total / 1024, 1)


async def over_http(url: str, windows: list[int], warmup: int, count: int) -> dict | None:
    port = free_port()
    server = start_server(url, port, 1, 4, True, None)
    try:
        await wait_ready(port)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            login = await client.post("/api/auth/login", json={"username": ADMIN, "password": PASSWORD})
            login.raise_for_status()
            cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
            probe = await client.get("/api/analytics", params={"days": 7})
        if probe.status_code == 404:
            print("HTTP: GET /api/analytics is not in this app yet; skipped")
            return None
        if probe.status_code != 200:
            raise RuntimeError(f"GET /api/analytics answered {probe.status_code}: {probe.text[:300]}")
        connection = Connection(port)
        results: dict = {}
        try:
            for days in windows:

                async def call(days: int = days) -> None:
                    status, body = await connection.request(
                        "GET", f"/api/analytics?days={days}", b"", f"Cookie: {cookie}\r\n"
                    )
                    if status != 200:
                        raise RuntimeError(
                            f"GET /api/analytics?days={days} answered {status}: {body[:300]!r}"
                        )

                results[f"days={days}"] = await timed(call, warmup, count)
                print(f"HTTP days={days}: {fmt(results[f'days={days}'])}")
        finally:
            connection.close()
        results["server_rss_mb"] = rss_mb(server.pid)
        print(f"server RSS {results['server_rss_mb']} MiB")
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def fmt(r: dict) -> str:
    return (
        f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms, max {r['max_ms']} ms, "
        f"{r['per_second']}/s over {r['requests']} requests"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=10_000_000, help="rows in the events table")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--products", type=int, default=5_000)
    parser.add_argument("--visitors", type=int, default=None, help="default: events / 40")
    parser.add_argument("--users", type=int, default=None, help="logged-in shoppers; default visitors / 10")
    parser.add_argument("--queries", type=int, default=400, help="distinct queries")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per window")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--windows", default="7,30,90")
    parser.add_argument("--db", default=DB_NAME, help=f"database to create (default {DB_NAME})")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="NAME", help="measure an already loaded database")
    parser.add_argument("--skip-rollup", action="store_true", help="with --reuse: keep its summaries")
    parser.add_argument("--rollup-budget", type=float, help="stop rolling up after this many seconds")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()
    if args.events < 1 or args.days < 1 or args.requests < 1:
        parser.error("--events, --days and --requests must be positive")
    args.visitors = args.visitors or max(100, args.events // 40)
    args.users = args.users if args.users is not None else args.visitors // 10
    windows = [int(w) for w in args.windows.split(",")]

    result: dict = {"events_flag": args.events}
    name = args.reuse or args.db
    if args.reuse:
        admin = await asyncpg.connect(database="postgres", **PG)
        found = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        await admin.close()
        if not found:
            parser.error(f"--reuse: no database {name}")
        url = f"postgresql+asyncpg://{PG['user']}@{PG['host']}:{PG['port']}/{name}"
    else:
        url = await fresh_postgres(name)
        result["load"] = await load(url, args)
    if not args.skip_rollup:
        engine = create_async_engine(url, pool_size=2)
        try:
            result["rollup"] = await rollup(
                SqlAnalyticsRollup(engine), await logged_days(url), args.rollup_budget
            )
        finally:
            await engine.dispose()
    result["in_process"] = await in_process(url, windows, args.warmup, args.requests)
    result["http"] = await over_http(url, windows, args.warmup, args.requests)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "analytics_postgresql.json").write_text(json.dumps(result, indent=2, default=str))
    if not args.keep and not args.reuse:
        admin = await asyncpg.connect(database="postgres", **PG)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        print(f"dropped {name} (--keep keeps it)")


if __name__ == "__main__":
    asyncio.run(main())
