"""Event ingestion and login throughput through the real HTTP server on PostgreSQL.

    .venv/bin/python bench/events.py --products 20000 --clients 32 --events 20000 --seconds 20

Loads a generated catalog into a fresh PostgreSQL database, starts `uvicorn` on 127.0.0.1 in a
separate process (as `ecomsearch serve` does), and drives it with N concurrent keep-alive
clients: first POST /api/events (clicks, add-to-carts and views on random products, anonymous
visitors), then POST /api/auth/login at the configured bcrypt cost. Each phase stops at its
count or its time budget, whichever comes first. The client is a minimal HTTP/1.1 writer on
asyncio streams, so that it takes as little of the machine's CPU as it can. Prints figures;
never fails on timing.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from search import PG, fresh_postgres

from entrypoints.cli.db import upgrade
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from simulation.catalog.generator import generate_catalog

PASSWORD = "bench passphrase 2026"


async def load_catalog(url: str, size: int, seed: int) -> list[str]:
    await asyncio.to_thread(upgrade, url)
    settings = load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull))
    container = build_container(settings)
    skus: list[str] = []

    def rows():
        for line, row in enumerate(generate_catalog(size, seed), start=1):
            skus.append(str(row["sku"]))
            yield line, row

    await container.import_catalog()(rows())
    await close_container(container)
    return skus


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    url: str, port: int, workers: int, bcrypt_rounds: int, group_commit: bool, redis_url: str | None
) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BCRYPT_ROUNDS": str(bcrypt_rounds),
        "EVENT_GROUP_COMMIT": "true" if group_commit else "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
        # Every client comes from 127.0.0.1: the per-client event limit would measure only itself.
        "EVENT_RATE_LIMIT": "0",
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    command = [
        sys.executable, "-m", "uvicorn", "entrypoints.http.app:app_factory", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)


async def wait_ready(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET /health HTTP/1.1\r\nHost: bench\r\n\r\n")
            await writer.drain()
            status = await reader.readline()
            writer.close()
            if b" 200 " in status:
                return
        except OSError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("the server did not come up")


class Connection:
    """One keep-alive HTTP/1.1 connection: enough of the protocol for JSON requests."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes, headers: str = "") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(
            f"{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{headers}\r\n".encode()
            + body
        )
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def drive(port: int, clients: int, count: int, seconds: float, make_request) -> dict:
    """Run `count` requests over `clients` connections, or for `seconds`, whichever ends first."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    issued = 0
    deadline = time.monotonic() + seconds

    async def client(index: int) -> None:
        nonlocal issued
        connection = Connection(port)
        try:
            while issued < count and time.monotonic() < deadline:
                issued += 1
                method, path, body, headers = make_request(index)
                t0 = time.perf_counter()
                status, _ = await connection.request(method, path, body, headers)
                latencies.append((time.perf_counter() - t0) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    ms = np.array(latencies) if latencies else np.array([0.0])
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
        "statuses": statuses,
    }


async def popularity_total(url: str) -> float:
    connection = await asyncpg.connect(database=url.rsplit("/", 1)[1], **PG)
    try:
        return float(await connection.fetchval("SELECT coalesce(sum(popularity), 0) FROM products"))
    finally:
        await connection.close()


async def event_count(url: str) -> int:
    connection = await asyncpg.connect(database=url.rsplit("/", 1)[1], **PG)
    try:
        return int(await connection.fetchval("SELECT count(*) FROM events"))
    finally:
        await connection.close()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--events", type=int, default=20_000, help="at most this many events")
    parser.add_argument("--seconds", type=float, default=20.0, help="at most this long per phase")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--logins", type=int, default=60)
    parser.add_argument(
        "--bcrypt-rounds",
        type=int,
        default=load_settings().bcrypt_rounds,
        help="default: BCRYPT_ROUNDS or 12",
    )
    parser.add_argument("--no-group-commit", action="store_true", help="one transaction per event")
    parser.add_argument("--redis", default=None, help="REDIS_URL for the server (default: in-process cache)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()

    url = await fresh_postgres("ecomsearch_bench_events")
    t0 = time.perf_counter()
    skus = await load_catalog(url, args.products, args.seed)
    print(f"loaded {len(skus):,} products in {time.perf_counter() - t0:.1f} s")
    port = free_port()
    server = start_server(url, port, args.workers, args.bcrypt_rounds, not args.no_group_commit, args.redis)
    try:
        await wait_ready(port)
        rng = random.Random(args.seed)
        kinds = ["click"] * 6 + ["view"] * 3 + ["add_to_cart"]
        anonymous = [f"anon_id=bench{n:020d}" for n in range(args.clients)]

        def event_request(index: int) -> tuple[str, str, bytes, str]:
            body = {"type": rng.choice(kinds), "sku": rng.choice(skus), "position": rng.randint(1, 24)}
            return "POST", "/api/events", json.dumps(body).encode(), f"Cookie: {anonymous[index]}\r\n"

        popularity_before = await popularity_total(url)
        await drive(port, args.clients, min(500, args.events), 5, event_request)  # warm-up
        warm_events = await event_count(url)
        popularity_warm = await popularity_total(url)
        events = await drive(port, args.clients, args.events, args.seconds, event_request)
        stored = await event_count(url) - warm_events
        bumped = await popularity_total(url) - popularity_warm

        signup = Connection(port)
        user = json.dumps({"username": "benchuser", "password": PASSWORD}).encode()
        status, _ = await signup.request("POST", "/api/auth/signup", user)
        signup.close()
        assert status == 201, status

        def login_request(_: int) -> tuple[str, str, bytes, str]:
            return "POST", "/api/auth/login", user, ""

        logins = await drive(port, max(2, args.workers * 2), args.logins, args.seconds, login_request)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    result = {
        "products": len(skus),
        "clients": args.clients,
        "workers": args.workers,
        "group_commit": not args.no_group_commit,
        "redis": bool(args.redis),
        "events": events,
        "events_stored": stored,
        "popularity_added": bumped,
        "popularity_start": popularity_before,
        "logins": logins,
        "bcrypt_rounds": args.bcrypt_rounds,
    }
    print(
        f"events: {events['requests']:,} in {events['seconds']} s = {events['per_second']:,}/s with "
        f"{args.clients} clients, {args.workers} workers, group commit {'on' if result['group_commit'] else 'off'}, "
        f"cache {'redis' if args.redis else 'in-process'}; "
        f"p50 {events['p50_ms']} ms, p95 {events['p95_ms']} ms, p99 {events['p99_ms']} ms; "
        f"statuses {events['statuses']}; stored {stored:,}"
    )
    print(
        f"logins: {logins['requests']} in {logins['seconds']} s = {logins['per_second']}/s at bcrypt cost "
        f"{args.bcrypt_rounds}; p50 {logins['p50_ms']} ms, p95 {logins['p95_ms']} ms; statuses {logins['statuses']}"
    )
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "events_postgresql.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
