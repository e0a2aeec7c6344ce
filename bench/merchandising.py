"""Search latency through HTTP with 1,000 synonyms and 100 curation rules, against none.

    .venv/bin/python -u bench/merchandising.py                          # PostgreSQL, 100,000 products
    .venv/bin/python -u bench/merchandising.py --template shop_100k     # copy a loaded catalog
    .venv/bin/python -u bench/merchandising.py --sqlite --products 100000

What it does:
1. One database per arm with the same catalog, `PREFIX_none`, `PREFIX_synonyms`, `PREFIX_rules`
   and `PREFIX_both` (PostgreSQL: the generator's catalog imported with `ecomsearch catalog
   import`, or copies of `--template`; SQLite: one import, the file copied).
2. A query log as `bench/search_load.py` builds it (simulated shoppers and title fragments, Zipf
   repeats) and the shop's category pages. A server on the `none` database (`ecomsearch serve`,
   one process) answers the queries the rules are written for, so that the rules name products
   those queries really show, as a merchandiser would pick them:
   - 30 `query` rules on the log's most frequent queries: pin one of the results from further
     down (or a product the query does not match) at positions 1-3, hide a shown product, boost
     a brand of the results or a price range;
   - 25 `contains` rules on the most common title words and brands: boost or bury a brand or a
     price band, some hide;
   - one `category` rule per category page (pins of that category's products, a brand boost);
   - 15 rules with time windows on frequent queries: 5 open now, 5 ended, 5 not started;
   - the rest on queries nobody in the log types;
   - one worst case: a common word whose rule hides 100 of its results, pins 20 products without
     the word in their titles (mostly not matched: read from the catalog) and has 10 boosts.
   Synonyms: 1,000 generated as `bench/synonyms.py` does (the catalog's title words, two or three
   terms, 30 % one-way). They are written through the use cases: the synonyms to `synonyms` and
   `both`, the rules to `rules` and `both`.
3. A server per arm, each one process with the result and count caches off
   (`SEARCH_RESULT_TTL=0`, `SEARCH_COUNTS_TTL=0`) and no rate limit. One client sends each request
   to every server in turn (the first rotating), so load from outside favours none of them;
   `--passes` times over the log. Then the worst case: its word at page 1 (12 a page: the first
   132 ranked products are read and curated) and at page 8 of 100 a page (920 read).
4. Prints p50/p95/p99 per kind of request and arm, the share of requests a rule fired on and that
   got synonym alternatives, and the machine's load; drops the databases.

A benchmark, not a test: it prints figures and never fails on them. Load goes to 127.0.0.1 only.
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from search_load import (  # bench/search_load.py
    PG,
    build_query_log,
    create_database,
    drop_database,
    ecomsearch,
    free_port,
    running,
    wait_ready,
)
from synonyms import make_synonyms  # bench/synonyms.py

from domain.audit.model import LOCAL, Actor
from domain.search.query import parse_query
from domain.search.rules import Boost, BoostFilter, Pin, Rule
from domain.search.text import STOPWORDS, words
from domain.search.thesaurus import Thesaurus
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from simulation.catalog.generator import write_catalog

HOST = "127.0.0.1"
ACTOR = Actor(name="bench", address=LOCAL)
PER_PAGE = 12
ARMS = ("none", "synonyms", "rules", "both")  # what each server's database holds
UNCACHED = {"SEARCH_RESULT_TTL": "0", "SEARCH_COUNTS_TTL": "0", "SEARCH_RATE_LIMIT": "0"}


def load_line() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine since boot."""
    fields = [float(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


# --------------------------------------------------------------------------- databases


async def copy_postgres(template: str, name: str) -> str:
    admin = await asyncpg.connect(database="postgres", **PG)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await admin.close()
    return f"postgresql+asyncpg://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


def catalog_sample(url: str, every: int) -> list[dict]:
    """Every `every`-th product (title, description, category, brand, price), in id order."""
    sql = "SELECT sku, title, description, category, brand, price FROM products ORDER BY id"
    if url.startswith("sqlite"):
        with sqlite3.connect(url.split("///", 1)[1]) as db:
            rows = db.execute(sql).fetchall()
    else:

        async def fetch() -> list:
            c = await asyncpg.connect(database=url.rsplit("/", 1)[1], **PG)
            try:
                return list(await c.fetch(sql))
            finally:
                await c.close()

        rows = asyncio.run(fetch())
    keys = ("sku", "title", "description", "category", "brand", "price")
    return [dict(zip(keys, r, strict=True)) for n, r in enumerate(rows) if n % every == 0]


def prepare(args: argparse.Namespace, work: Path, stack: ExitStack) -> dict[str, str]:
    """One database per arm, each holding the same catalog: its URL by arm."""
    names = {arm: f"{args.prefix}_{arm}" for arm in args.arms}
    first = names[args.arms[0]]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LOG_LEVEL": "WARNING"}
    if args.sqlite:
        files = {arm: work / f"{name}.db" for arm, name in names.items()}
        url = f"sqlite+aiosqlite:///{files[args.arms[0]]}"
        catalog = work / "catalog.jsonl"
        write_catalog(catalog, args.products, args.seed)
        run_cli(["db", "upgrade"], {**env, "DATABASE_URL": url}, work)
        started = time.perf_counter()
        run_cli(["catalog", "import", str(catalog), "--quiet"], {**env, "DATABASE_URL": url}, work)
        print(f"SQLite: imported {args.products:,} in {time.perf_counter() - started:.0f} s", flush=True)
        for path in list(files.values())[1:]:
            shutil.copyfile(files[args.arms[0]], path)
        return {arm: f"sqlite+aiosqlite:///{path}" for arm, path in files.items()}
    for name in names.values():
        stack.callback(lambda n=name: asyncio.run(drop_database(n)))
    if args.template:
        return {arm: asyncio.run(copy_postgres(args.template, name)) for arm, name in names.items()}
    url = asyncio.run(create_database(first))
    catalog = work / "catalog.jsonl"
    write_catalog(catalog, args.products, args.seed)
    run_cli(["db", "upgrade"], {**env, "DATABASE_URL": url}, work)
    started = time.perf_counter()
    run_cli(["catalog", "import", str(catalog), "--quiet"], {**env, "DATABASE_URL": url}, work)
    print(f"PostgreSQL: imported {args.products:,} in {time.perf_counter() - started:.0f} s", flush=True)
    return {
        arm: url if name == first else asyncio.run(copy_postgres(first, name)) for arm, name in names.items()
    }


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> None:
    import subprocess

    done = subprocess.run(ecomsearch(*args), env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ecomsearch {' '.join(args)} exited {done.returncode}:\n{done.stderr[-2000:]}")


# --------------------------------------------------------------------------- the rules


def shown(client: httpx.Client, params: dict, per_page: int = 30) -> list[dict]:
    answer = client.get("/api/search", params={**params, "per_page": per_page})
    answer.raise_for_status()
    return list(answer.json()["items"])


def make_rules(client: httpx.Client, log: list[str], sample: list[dict], seed: int) -> tuple[list[Rule], str]:
    """100 rules as described in the module's docstring, and the worst case's word."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    frequent = [q for q, _ in Counter(log).most_common()]
    title_words = Counter(
        w for r in sample for w in words(str(r["title"])) if w not in STOPWORDS and w.isalpha()
    )
    common = [w for w, _ in title_words.most_common(60)]
    brands = [b for b, _ in Counter(str(r["brand"]) for r in sample).most_common()]
    categories = sorted({str(r["category"]) for r in sample})
    rules: list[Rule] = []

    def actions(items: list[dict], query: str) -> dict:
        """Pins, a hide and boosts a merchandiser would set after looking at these results."""
        out: dict = {"pins": (), "hides": (), "boosts": ()}
        if len(items) > 5:
            lifted = rng.choice(items[5:])["sku"]
            pins = [Pin(lifted, 1)]
            if rng.random() < 0.3:  # a product the query does not show: read from the catalog
                other = rng.choice(sample)["sku"]
                if other not in {i["sku"] for i in items}:
                    pins.append(Pin(other, rng.randint(2, 3)))
            out["pins"] = tuple(pins)
        if len(items) > 2 and rng.random() < 0.5:
            out["hides"] = (rng.choice(items[:4])["sku"],)
        if items and rng.random() < 0.6:
            boost = (
                BoostFilter(brand=rng.choice(items)["brand"])
                if rng.random() < 0.6
                else BoostFilter(max_price=float(rng.choice([50, 100, 200])))
            )
            out["boosts"] = (Boost(boost, rng.choice([1.0, 2.0, 3.0])),)
        if not any(out.values()):
            out["boosts"] = (Boost(BoostFilter(brand=rng.choice(brands)), 1.0),)
        return out

    worst = common[0]
    targets = iter(q for q in frequent if q != worst)
    while len(rules) < 30:
        q = next(targets)
        rules.append(Rule(name=f"query {q}", query=q, **actions(shown(client, {"q": q}), q)))
    for i in range(25):
        phrase = brands[i // 3].lower() if i % 3 == 2 else common[1 + i]
        boost = (
            Boost(BoostFilter(brand=rng.choice(brands)), rng.choice([1.0, 2.0]))
            if i % 2
            else Boost(BoostFilter(min_price=float(rng.choice([300, 500]))), -2.0)
        )
        hides = tuple(i["sku"] for i in shown(client, {"q": phrase}, 5)[:1]) if i % 4 == 0 else ()
        rules.append(Rule(name=f"contains {phrase}", contains=phrase, boosts=(boost,), hides=hides))
    for category in categories:
        items = shown(client, {"category": category})
        pins = tuple(
            Pin(s["sku"], k + 1) for k, s in enumerate(rng.sample(items[3:], min(3, len(items) - 3)))
        )
        boost = Boost(BoostFilter(brand=rng.choice(items)["brand"]), 1.5) if items else None
        rules.append(
            Rule(name=f"category {category}", category=category, pins=pins, boosts=(boost,) if boost else ())
        )
    windows = [(now - timedelta(days=1), now + timedelta(days=1))] * 5
    windows += [(now - timedelta(days=14), now - timedelta(days=7))] * 5
    windows += [(now + timedelta(days=7), now + timedelta(days=14))] * 5
    for starts, ends in windows:
        q = next(targets)
        rules.append(
            Rule(
                name=f"window {q}",
                query=q,
                starts_at=starts,
                ends_at=ends,
                **actions(shown(client, {"q": q}), q),
            )
        )
    # The worst case: a common word's rule at every bound (100 hides, 20 pins the word does not
    # match, 10 boosts).
    matched = [i["sku"] for page in (1, 2) for i in shown_page(client, worst, page)]
    foreign = [r["sku"] for r in sample if worst not in words(str(r["title"])) and r["sku"] not in matched]
    pins = tuple(Pin(s, k * 5 + 1) for k, s in enumerate(rng.sample(foreign, 20)))
    boosts = tuple(Boost(BoostFilter(brand=b), float(k % 3 + 1)) for k, b in enumerate(brands[:10]))
    worst_rule = Rule(
        name=f"worst case {worst}", query=worst, hides=tuple(matched[:100]), pins=pins, boosts=boosts
    )
    filler = 0
    while len(rules) < 99:
        filler += 1
        rules.append(
            Rule(
                name=f"unused {filler}",
                query=f"seasonal offer {filler}",
                boosts=(Boost(BoostFilter(brand=brands[0]), 1.0),),
            )
        )
    rules.append(worst_rule)
    return rules, worst


def shown_page(client: httpx.Client, q: str, page: int) -> list[dict]:
    answer = client.get("/api/search", params={"q": q, "page": page, "per_page": 100})
    answer.raise_for_status()
    return list(answer.json()["items"])


async def store(url: str, rules: list[Rule], synonyms: list) -> None:
    settings = load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull))
    container = build_container(settings)
    try:
        await container.add_synonyms()(synonyms, actor=ACTOR)
        add = container.add_rule()
        for rule in rules:
            await add(rule, actor=ACTOR)
    finally:
        await close_container(container)


# --------------------------------------------------------------------------- timing


def timed_pairs(
    clients: list[httpx.Client], requests: list[dict], flip: int, watched: int
) -> tuple[list[list[float]], list[dict]]:
    """Each request to every client in turn, the first rotating; latencies per client (ms) and the
    `query` parts of the answers of client `watched`."""
    times: list[list[float]] = [[] for _ in clients]
    answers: list[dict] = []
    for n, params in enumerate(requests):
        first = (n + flip) % len(clients)
        for k in [*range(first, len(clients)), *range(first)]:
            started = time.perf_counter()
            answer = clients[k].get("/api/search", params=params)
            times[k].append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                raise RuntimeError(f"{params}: {answer.status_code} {answer.text[:300]}")
            if k == watched:
                answers.append(answer.json()["query"])
    return times, answers


def line(label: str, ms: list[float]) -> str:
    a = np.array(ms)
    p50, p95, p99 = np.percentile(a, [50, 95, 99])
    return f"{label:<44}{len(a):>6}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{a.mean():>9.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--template", default=None, help="a PostgreSQL database holding the catalog to copy")
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--prefix", default="bench_merch", help="names of the scratch databases")
    parser.add_argument("--synonyms", type=int, default=1000)
    parser.add_argument(
        "--arms",
        nargs="+",
        choices=ARMS,
        default=list(ARMS),
        help="servers compared; the first picks the rules",
    )
    parser.add_argument("--requests", type=int, default=500, help="requests from the log per pass")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--worst", type=int, default=40, help="requests per worst-case kind")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()
    if args.arms[0] != "none":
        parser.error("the first arm is `none`: the rules are picked from its answers")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LOG_LEVEL": "WARNING", **UNCACHED}
    env.pop("REDIS_URL", None)
    result: dict = {"products": args.products, "database": "sqlite" if args.sqlite else "postgresql"}
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="merchandising-")))
        urls = prepare(args, work, stack)
        first = urls[args.arms[0]]
        sample = catalog_sample(first, max(1, args.products // 5000))
        log = build_query_log(sample, 20 * args.requests, args.seed).queries
        categories = sorted({str(r["category"]) for r in sample})
        rng = random.Random(args.seed)
        traffic: list[dict] = []
        for q in log[: args.requests]:
            # One request in ten is a category page, as a shop's navigation sends them.
            traffic.append({"category": rng.choice(categories)} if rng.random() < 0.1 else {"q": q})
        for params in traffic:
            params["per_page"] = PER_PAGE

        def serve(arm: str) -> httpx.Client:
            port = free_port()
            command = ecomsearch("serve", "--host", HOST, "--port", str(port))
            server = stack.enter_context(
                running(arm, command, port, {**env, "DATABASE_URL": urls[arm]}, work)
            )
            wait_ready(server, f"http://{HOST}:{port}/health")
            return stack.enter_context(httpx.Client(base_url=f"http://{HOST}:{port}", timeout=60))

        # The rules are picked from the answers of a database that holds none.
        clients = {args.arms[0]: serve(args.arms[0])}
        rules, worst = make_rules(clients[args.arms[0]], log, sample, args.seed)
        vocabulary = sorted(
            {w for r in sample for w in words(str(r["title"])) if w not in STOPWORDS and w.isalpha()}
        )
        synonyms = make_synonyms(vocabulary, args.synonyms, args.seed)
        for arm in args.arms:
            given = (
                rules if arm in ("rules", "both") else [],
                synonyms if arm in ("synonyms", "both") else [],
            )
            if any(given):
                asyncio.run(store(urls[arm], *given))
            if arm not in clients:
                clients[arm] = serve(arm)
        thesaurus = Thesaurus(synonyms)
        widened = sum(
            1 for p in traffic if "q" in p and thesaurus.expand(parse_query(p["q"])) != parse_query(p["q"])
        )
        print(
            f"{len(rules)} rules and {len(synonyms)} synonyms stored; worst case word '{worst}'", flush=True
        )
        arms = list(args.arms)
        servers = [clients[arm] for arm in arms]
        watched = next((k for k, arm in enumerate(arms) if arm in ("rules", "both")), len(arms) - 1)
        timed_pairs(servers, traffic[-30:], 0, watched)  # warm: connections, statistics, the rule set

        loads: list[str] = [load_line()]
        busy0, total0 = cpu_busy()
        kinds: dict[str, list[list[float]]] = {}
        fired = 0
        for n in range(args.passes):
            times, answers = timed_pairs(servers, traffic, n, watched)
            on = [bool(a.get("rules")) for a in answers]
            fired += sum(on)
            for k, arm in enumerate(arms):
                kinds.setdefault(f"all requests, {arm}", []).append(times[k])
                kinds.setdefault(f"requests a rule fired on, {arm}", []).append(
                    [t for t, f in zip(times[k], on, strict=True) if f]
                )
            loads.append(load_line())
        for kind, params in (
            ("worst case, page 1 of 12", {"q": worst, "per_page": 12}),
            ("worst case, page 8 of 100", {"q": worst, "page": 8, "per_page": 100}),
        ):
            times, answers = timed_pairs(servers, [params] * args.worst, 0, watched)
            if any(arm in ("rules", "both") for arm in arms):
                assert all(a.get("rules") for a in answers), "the worst-case rule did not fire"
            for k, arm in enumerate(arms):
                kinds.setdefault(f"{kind}, {arm}", []).append(times[k])
        loads.append(load_line())
        busy1, total1 = cpu_busy()

    machine = (busy1 - busy0) / (total1 - total0) * (os.cpu_count() or 2)
    share_fired = fired / (len(traffic) * args.passes)
    print(
        f"\n{args.products:,} products, {result['database']}, {len(traffic)} requests x {args.passes} passes "
        f"({sum('category' in p for p in traffic)} category pages), result and count caches off, one process a server"
    )
    print(
        f"rules fired on {share_fired:.0%} of the requests; synonyms gave {widened / len(traffic):.0%} "
        f"alternatives; load average {' -> '.join(loads)}; machine busy {machine:.2f} of {os.cpu_count()} cores"
    )
    print(f"\n{'':<44}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean':>9}")
    table = {}
    for kind, runs in kinds.items():
        pooled = [t for run in runs for t in run]
        print(line(kind, pooled))
        table[kind] = {
            "n": len(pooled),
            **{f"p{p}": round(float(np.percentile(pooled, p)), 1) for p in (50, 95, 99)},
            "pass_p50": [round(float(np.percentile(r, 50)), 1) for r in runs if r],
        }
    result.update(
        arms=arms, rules=len(rules), synonyms=len(synonyms), fired=round(share_fired, 3), widened=round(widened / len(traffic), 3),
        load=loads, machine_busy_cores=round(machine, 2), table=table, worst_word=worst,
    )  # fmt: skip
    Path(args.out).mkdir(parents=True, exist_ok=True)
    out = Path(args.out) / f"merchandising_{result['database']}_{args.products}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"figures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
