"""Sizing figures for docs/deployment.md: what one API process, one core and PostgreSQL do.

    .venv/bin/python -u bench/sizing.py --database shop_100k --redis-db 8
    .venv/bin/python -u bench/sizing.py --products 100000 --redis-db 8        # load a scratch catalog first
    .venv/bin/python -u bench/sizing.py --database shop_1m --processes 1 --phases search

Over a PostgreSQL database holding a catalog (`--database`, left as it was but for the events
the events phase adds; or `--products N`: the generator's catalog imported into a scratch database
that is dropped at the end), with `REDIS_URL` on `--redis-db` (flushed before every run and at the
end):

- **search**: for each count in `--processes`, that many `ecomsearch serve` processes, one per
  port (as behind a load balancer), each driven by its own `wrk` with `--connections` keep-alive
  connections, `GET /api/search?q=…&per_page=12` from `bench/search_load.py`'s query log (Zipf
  repeats), for `--seconds`, `--passes` times, in three cache modes:
  `off` (`SEARCH_RESULT_TTL=0`: every search computed; a query's counts cached, as by default),
  `on` (the default caches, Redis empty at the start of each pass: the hit ratio is measured from
  the processes' `/metrics`, searches computed against searches answered) and `hot` (200 distinct
  queries answered three times before the pass, so nearly every search is a hit).
- **events**: the same for `POST /api/events` (clicks, views and cart adds on random products from
  1,000 anonymous visitors; no rate limit), with one `ecomsearch worker` running, which the event
  triggers hand the retrain and recluster jobs.
- **memory**: each process's resident memory (`VmRSS` now and `VmHWM`, its peak) after its runs.

What it reads for each run: requests a second and latency from `wrk`; the CPU seconds of the API
processes (`/proc/PID/stat`) and of the PostgreSQL backends connected to this database
(`pg_stat_activity`, then `/proc`), and the database's buffer reads (`pg_stat_database`
`blks_hit`, `blks_read`), each divided by the requests answered; the whole machine's busy cores
(`/proc/stat`) and load average, since the machine may be shared. CPU per request is what sizing
rests on: a run starved by other work answers fewer requests a second, but each costs about the
same CPU. Per figure, the median of the passes.

A benchmark, not a test: it prints figures and never fails on them. Load goes to 127.0.0.1 only.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import asyncpg
import httpx
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from search_load import (  # bench/search_load.py
    PG,
    WRK_SCRIPT,
    Run,
    build_query_log,
    create_database,
    drive,
    drop_database,
    ecomsearch,
    free_port,
    memory_mib,
    process_tree,
    running,
    wait_ready,
)

from simulation.catalog.generator import write_catalog

HOST = "127.0.0.1"
CLK_TCK = os.sysconf("SC_CLK_TCK")
CACHE_MODES = {"off": {"SEARCH_RESULT_TTL": "0"}, "on": {}, "hot": {}}
EVENTS_SCRIPT = r"""
-- POSTs the JSON bodies of a file in turn, each thread from its own offset, as one of 1,000
-- anonymous visitors.
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  bodies = {}
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  local threads = tonumber(args[2]) or 1
  i = math.floor(#bodies * (id or 0) / threads)
end
function request()
  i = i % #bodies + 1
  local headers = {["Content-Type"] = "application/json",
                   ["Cookie"] = string.format("anon_id=sizingvisitor%010d", i % 1000)}
  return wrk.format("POST", "/api/events", headers, bodies[i])
end
"""
EVENTS_SCRIPT += "function done" + WRK_SCRIPT.split("function done", 1)[1]  # the same figures


# --------------------------------------------------------------------------- what a run costs


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def machine_jiffies() -> tuple[float, float]:
    fields = [float(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


class Database:
    """The backends of one database: their CPU and the database's buffer reads."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def _read(self) -> tuple[list[int], int, int]:
        connection = await asyncpg.connect(database="postgres", **PG)
        try:
            pids = await connection.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", self.name
            )
            hit, read = await connection.fetchrow(
                "SELECT blks_hit, blks_read FROM pg_stat_database WHERE datname = $1", self.name
            )
        finally:
            await connection.close()
        return [int(r["pid"]) for r in pids], int(hit), int(read)

    def snapshot(self) -> tuple[dict[int, float], int, int]:
        pids, hit, read = asyncio.run(self._read())
        return {pid: cpu_seconds(pid) for pid in pids}, hit, read


class Meter:
    """Everything a run costs, between `start()` and `stop()`."""

    def __init__(self, database: Database, pids: list[int]) -> None:
        self.database, self.pids = database, pids

    def _processes(self) -> dict[int, float]:
        return {pid: cpu_seconds(pid) for root in self.pids for pid in process_tree(root)}

    def start(self) -> None:
        self.t0 = time.perf_counter()
        self.api0 = self._processes()
        self.pg0, self.hit0, self.read0 = self.database.snapshot()
        self.machine0 = machine_jiffies()
        self.load0 = load_average()

    def stop(self) -> dict[str, float]:
        seconds = time.perf_counter() - self.t0
        api1 = self._processes()
        pg1, hit1, read1 = self.database.snapshot()
        busy1, total1 = machine_jiffies()
        api = sum(v - self.api0.get(pid, 0.0) for pid, v in api1.items())
        # A backend that started during the run counts from zero: its start-up is part of the load.
        pg = sum(v - self.pg0.get(pid, 0.0) for pid, v in pg1.items())
        busy = (busy1 - self.machine0[0]) / (total1 - self.machine0[1]) * (os.cpu_count() or 1)
        return {
            "seconds": seconds,
            "api_cpu": api,
            "pg_cpu": pg,
            "buffers_hit": hit1 - self.hit0,
            "buffers_read": read1 - self.read0,
            "machine_busy": busy,
            "load": (self.load0 + load_average()) / 2,
        }


def metric(port: int, name: str, **labels: str) -> float:
    """The sum of one metric's samples with these labels in one process's `/metrics`."""
    from prometheus_client.parser import text_string_to_metric_families

    text = httpx.get(f"http://{HOST}:{port}/metrics", timeout=30).text
    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                total += sample.value
    return total


def computed_and_answered(ports: list[int]) -> tuple[float, float]:
    computed = sum(metric(p, "ecomsearch_search_stage_seconds_count", stage="parse") for p in ports)
    answered = sum(
        metric(p, "ecomsearch_http_requests_total", route="/api/search", status="200") for p in ports
    )
    return computed, answered


# --------------------------------------------------------------------------- runs


def together(ports: list[int], paths: Path, script: Path, connections: int, seconds: int, kind: str) -> dict:
    """One wrk a process at once; their requests added up, the p50 averaged, the worst p99."""
    with ThreadPoolExecutor(len(ports)) as pool:
        runs: list[Run] = list(
            pool.map(lambda p: drive("Ecomsearch", kind, p, paths, script, connections, seconds), ports)
        )
    return {
        "requests": sum(r.requests for r in runs),
        "rps": sum(r.rps for r in runs),
        "p50_ms": statistics.fmean(r.p50_ms for r in runs),
        "p99_ms": max(r.p99_ms for r in runs),
        "errors": sum(r.errors for r in runs),
    }


def per_request(run: dict, cost: dict) -> dict:
    n = max(run["requests"], 1)
    return {
        **run,
        "api_cpu_ms": cost["api_cpu"] / n * 1000,
        "pg_cpu_ms": cost["pg_cpu"] / n * 1000,
        "buffers": (cost["buffers_hit"] + cost["buffers_read"]) / n,
        "buffers_read": cost["buffers_read"] / n,
        "api_busy": cost["api_cpu"] / cost["seconds"],
        "pg_busy": cost["pg_cpu"] / cost["seconds"],
        "machine_busy": cost["machine_busy"],
        "load": cost["load"],
    }


def median_of(passes: list[dict]) -> dict:
    keys = [k for k, v in passes[0].items() if isinstance(v, int | float)]
    out = {k: statistics.median(p[k] for p in passes) for k in keys}
    out["passes"] = len(passes)
    return out


class Servers:
    """`count` single-process `ecomsearch serve`s, one port each."""

    def __init__(self, stack: ExitStack, count: int, env: dict[str, str], work: Path, tag: str) -> None:
        self.ports = [free_port() for _ in range(count)]
        self.servers = [
            stack.enter_context(
                running(
                    f"{tag}-{n}", ecomsearch("serve", "--host", HOST, "--port", str(port)), port, env, work
                )
            )
            for n, port in enumerate(self.ports)
        ]
        for server, port in zip(self.servers, self.ports, strict=True):
            wait_ready(server, f"http://{HOST}:{port}/health")

    @property
    def pids(self) -> list[int]:
        return [s.process.pid for s in self.servers]

    def memory(self) -> list[tuple[float, float]]:
        return [memory_mib(pid) for pid in self.pids]

    def stop(self) -> None:
        from search_load import stop

        for s in self.servers:
            stop(s.process)


def warm(port: int, paths: list[str]) -> None:
    with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=60) as client:
        for path in paths:
            client.get(path)
            client.cookies.clear()  # a new visitor each time, in either arm, as wrk's requests are


def search_phase(args, env, work, stack, database, flush, log: list[str]) -> tuple[list[dict], list[dict]]:
    paths = [f"/api/search?q={urllib.parse.quote_plus(q)}&per_page=12" for q in log]
    full, hot = work / "search.paths", work / "hot.paths"
    full.write_text("\n".join(paths) + "\n")
    distinct = list(dict.fromkeys(paths))[:200]
    hot.write_text("\n".join(distinct) + "\n")
    script = work / "search.lua"
    script.write_text(WRK_SCRIPT)
    rows, memory = [], []
    for count in args.processes:
        for mode in args.modes:
            extra = CACHE_MODES[mode]
            flush()
            servers = Servers(stack, count, {**env, **extra}, work, f"search-{mode}-{count}")
            for port in servers.ports:
                warm(port, paths[-20:])
            passes = []
            for n in range(args.passes):
                flush()
                if mode == "hot":  # each query three times: new visitors fall in either arm
                    for port in servers.ports:
                        warm(port, distinct * 3)
                computed0, answered0 = computed_and_answered(servers.ports)
                meter = Meter(database, servers.pids)
                meter.start()
                run = together(servers.ports, hot if mode == "hot" else full, script, args.connections,
                               args.seconds, mode)  # fmt: skip
                cost = meter.stop()
                computed1, answered1 = computed_and_answered(servers.ports)
                answered = max(answered1 - answered0, 1)
                row = per_request(run, cost)
                row["hit_ratio"] = 1 - (computed1 - computed0) / answered
                passes.append(row)
                print(f"  search {mode} x{count} pass {n + 1}: {fmt(row)}", flush=True)
            rows.append({"phase": "search", "mode": mode, "processes": count, **median_of(passes)})
            memory += [
                {"what": f"API process, search {mode}", "rss": r, "peak": p} for r, p in servers.memory()
            ]
            servers.stop()
    return rows, memory


def events_phase(args, env, work, stack, database, flush, skus: list[str]) -> tuple[list[dict], list[dict]]:
    rng = random.Random(args.seed)
    kinds = ["click"] * 6 + ["view"] * 3 + ["add_to_cart"]
    bodies = work / "events.bodies"
    bodies.write_text(
        "\n".join(
            json.dumps({"type": rng.choice(kinds), "sku": rng.choice(skus), "position": rng.randint(1, 24)})
            for _ in range(20_000)
        )
        + "\n"
    )
    script = work / "events.lua"
    script.write_text(EVENTS_SCRIPT)
    rows, memory = [], []
    for count in args.processes:
        flush()
        worker_log = work / f"worker-{count}.log"
        with worker_log.open("wb") as out:
            worker = subprocess.Popen(
                ecomsearch("worker"), env={**env, "LOG_LEVEL": "INFO"}, cwd=work, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        servers = Servers(stack, count, env, work, f"events-{count}")
        passes = []
        try:
            for n in range(args.passes):
                meter = Meter(database, servers.pids)
                meter.start()
                run = together(servers.ports, bodies, script, args.connections, args.seconds, "events")
                row = per_request(run, meter.stop())
                passes.append(row)
                print(f"  events x{count} pass {n + 1}: {fmt(row)}", flush=True)
            time.sleep(5)  # let the worker take the jobs the events triggered
            memory += [{"what": "API process, events", "rss": r, "peak": p} for r, p in servers.memory()]
            rss, peak = memory_mib(worker.pid)
            memory.append({"what": "worker", "rss": rss, "peak": peak, "cpu_s": cpu_seconds(worker.pid)})
        finally:
            servers.stop()
            from search_load import stop

            stop(worker)
        rows.append({"phase": "events", "mode": "-", "processes": count, **median_of(passes)})
        jobs = [ln for ln in worker_log.read_text(errors="replace").splitlines() if "job" in ln.lower()]
        print(f"  worker log, job lines: {len(jobs)}; last: {jobs[-1][:200] if jobs else '-'}", flush=True)
    return rows, memory


def fmt(row: dict) -> str:
    out = (
        f"{row['rps']:.1f}/s p50 {row['p50_ms']:.1f} p99 {row['p99_ms']:.1f} ms, errors {row['errors']:.0f}; "
        f"CPU a request: API {row['api_cpu_ms']:.1f} ms, PostgreSQL {row['pg_cpu_ms']:.1f} ms; "
        f"buffers {row['buffers']:.0f} ({row['buffers_read']:.2f} from outside shared_buffers); "
        f"API busy {row['api_busy']:.2f} cores, machine {row['machine_busy']:.2f}, load {row['load']:.1f}"
    )
    if "hit_ratio" in row:
        out += f"; result-cache hits {row['hit_ratio']:.0%}"
    return out


def print_sizing(rows: list[dict], memory: list[dict], products: int) -> None:
    print(f"\n{products:,} products; medians of the passes")
    print(
        f"{'phase':<8}{'cache':<6}{'proc':>5}{'req/s':>8}{'p50':>7}{'p99':>8}{'hits':>6}{'API ms':>8}{'PG ms':>7}"
        f"{'buffers':>9}{'API busy':>9}{'machine':>8}{'load':>6}{'per proc':>9}{'per core':>9}"
    )
    for r in rows:
        api, pg = r["api_cpu_ms"], r["pg_cpu_ms"]
        hits = f"{r['hit_ratio']:.0%}" if "hit_ratio" in r else "-"
        print(
            f"{r['phase']:<8}{r['mode']:<6}{r['processes']:>5}{r['rps']:>8.1f}{r['p50_ms']:>7.1f}{r['p99_ms']:>8.1f}"
            f"{hits:>6}{api:>8.2f}{pg:>7.2f}{r['buffers']:>9.0f}{r['api_busy']:>9.2f}{r['machine_busy']:>8.2f}"
            f"{r['load']:>6.1f}{1000 / api if api else 0:>9.0f}{1000 / (api + pg) if api + pg else 0:>9.0f}"
        )
    print("per proc: requests a second one API process can answer with a core to itself (1000 / API ms);")
    print(
        "per core: the same for a core shared by the API process and its PostgreSQL work (1000 / (API + PG ms))."
    )
    for r in rows:
        if r["phase"] == "search":
            print(
                f"PostgreSQL per 100 searches/s, cache {r['mode']}, {r['processes']} process(es): "
                f"{r['pg_cpu_ms'] / 10:.2f} CPU s/s, {r['buffers'] * 100:,.0f} buffer reads/s "
                f"({r['buffers_read'] * 100:,.1f}/s from outside shared_buffers)"
            )
    for m in memory:
        extra = f", CPU {m['cpu_s']:.1f} s" if "cpu_s" in m else ""
        print(f"memory: {m['what']}: RSS {m['rss']:.0f} MiB, peak {m['peak']:.0f} MiB{extra}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default=None, help="a PostgreSQL database holding a catalog")
    parser.add_argument("--products", type=int, default=None, help="without --database: load this many")
    parser.add_argument("--redis-db", type=int, required=True, help="flushed before each run and at the end")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--modes", nargs="+", choices=list(CACHE_MODES), default=list(CACHE_MODES))
    parser.add_argument("--connections", type=int, default=4, help="wrk connections per API process")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--phases", nargs="+", choices=["search", "events"], default=["search", "events"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    flush = redis.Redis(host=HOST, port=6379, db=args.redis_db).flushdb
    rows: list[dict] = []
    memory: list[dict] = []
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sizing-")))
        stack.callback(flush)
        base = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "LOG_LEVEL": "WARNING",
            "REDIS_URL": f"redis://{HOST}:6379/{args.redis_db}",
            "SEARCH_RATE_LIMIT": "0",  # every client is 127.0.0.1
            "EVENT_RATE_LIMIT": "0",
        }
        if args.database:
            name = args.database
        else:
            name = f"bench_sizing_{os.getpid()}"
            url = asyncio.run(create_database(name))
            stack.callback(lambda: asyncio.run(drop_database(name)))
            catalog = work / "catalog.jsonl"
            write_catalog(catalog, args.products or 100_000, args.seed)
            env = {**base, "DATABASE_URL": url}
            subprocess.run(ecomsearch("db", "upgrade"), env=env, cwd=work, check=True, capture_output=True)
            subprocess.run(
                ecomsearch("catalog", "import", str(catalog), "--quiet"), env=env, cwd=work, check=True
            )
        env = {**base, "DATABASE_URL": f"postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{name}"}
        database = Database(name)
        products, skus, sample = asyncio.run(read_catalog(name))
        log = build_query_log(sample, 50_000, args.seed).queries
        print(
            f"{name}: {products:,} products; query log {len(log):,} queries, {len(set(log)):,} distinct",
            flush=True,
        )
        if "search" in args.phases:
            r, m = search_phase(args, env, work, stack, database, flush, log)
            rows += r
            memory += m
        if "events" in args.phases:
            r, m = events_phase(args, env, work, stack, database, flush, skus)
            rows += r
            memory += m
    print_sizing(rows, memory, products)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    out = Path(args.out) / f"sizing_{products}.json"
    out.write_text(json.dumps({"products": products, "rows": rows, "memory": memory}, indent=2))
    print(f"figures written to {out}")
    return 0


async def read_catalog(name: str) -> tuple[int, list[str], list[dict]]:
    """The product count, every 50th sku (events pick from them) and a sample of about 5,000 products."""
    connection = await asyncpg.connect(database=name, **PG)
    try:
        count = int(await connection.fetchval("SELECT count(*) FROM products"))
        step = max(1, count // 5000)
        rows = await connection.fetch(
            "SELECT sku, title, description, category, brand FROM products WHERE id % $1 = 0 LIMIT 6000", step
        )
    finally:
        await connection.close()
    sample = [dict(r) for r in rows]
    return count, [r["sku"] for r in sample], sample


if __name__ == "__main__":
    sys.exit(main())
