"""Loads a synthetic event log into PostgreSQL with server-side INSERT ... SELECT statements.

Rows look like what SqlEventLog writes: one impression per search (page 1, positions 1..20,
`[[sku, position], ...]`, total 0 for a zero-result search, no feature vector), then click,
view and add-to-cart events carrying the search's id, query, visitor and arm. Python only builds
the small reference tables (visitors with their arm, queries, result pages); every log row is
made by the database, one day per chunk.
"""

import base64
import json
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from domain.experiments.assignment import Experiment, anonymous_visitor_id, assign_arm, user_visitor_id
from domain.experiments.model import PERSONALIZED_ARM, POPULARITY_ARM

PAGE = 20
VARIANTS = 4  # result pages per query and arm, so one query does not always show the same page
BASE_CTR = 0.12  # click chance at position 1 for an average query, decaying as 1 / position**0.8
VIEW_AFTER_CLICK = 0.8
CART_AFTER_CLICK = 0.12
LIFT = 1.05  # personalized clicks and carts a little more, so the readout has something to find
SEARCH_SHARE = 0.55  # of the day's events that follow a search; the rest are browsing views
QUERY_SKEW = 2.5  # query rank = Q * random()**skew: a few head queries, a long tail
VISITOR_SKEW = 1.5
MISSING = [
    "typewriter ribbon", "sourdough starter", "kayak paddle", "piano tuning kit", "horse saddle",
    "snow chains", "aquarium heater", "vinyl record cleaner", "fountain pen ink", "beekeeping suit",
    "chess clock", "telescope eyepiece", "sewing machine needles", "banjo strings", "tent footprint",
    "ski wax", "cast iron wok", "dog agility tunnel", "soldering station", "pottery wheel",
]  # fmt: skip


@dataclass
class LoadReport:
    events: int = 0
    impressions: int = 0
    searches: int = 0
    seconds: float = 0.0
    days: list[date] = field(default_factory=list)


def day_weights(days: int) -> list[float]:
    """Weekends a quarter busier, traffic growing 50% over the window."""
    first = datetime.now(UTC).date() - timedelta(days=days)
    weights = [
        (1.25 if (first + timedelta(days=d)).weekday() >= 5 else 1.0) * (0.8 + 0.4 * d / max(1, days - 1))
        for d in range(days)
    ]
    total = sum(weights)
    return [w / total for w in weights]


def split_counts(total: int, weights: list[float]) -> list[int]:
    counts = [int(total * w) for w in weights]
    counts[-1] += total - sum(counts)
    return counts


def build_queries(titles: list[str], categories: list[str], brands: list[str], n: int, rng: random.Random):
    """(query, zero-result chance, click factor): head queries from the catalog, missing ones in the mix."""
    words = sorted({w for t in titles for w in t.lower().split() if len(w) > 3 and w.isalpha()})
    pool: list[str] = [c.lower() for c in categories] + [b.lower() for b in brands]
    while len(set(pool)) < n - len(MISSING):
        pool.append(f"{rng.choice(words)} {rng.choice(words)}")
    found = list(dict.fromkeys(pool))[: n - len(MISSING)]
    rng.shuffle(found)
    queries = [(q, 0.02, rng.lognormvariate(0, 0.45)) for q in found]
    for q in MISSING:  # scattered through the ranks so some show up among the top zero-result queries
        queries.insert(rng.randrange(len(queries)), (q, 0.85, 0.4))
    return queries


def expected_events_per_search(queries: list[tuple[str, float, float]]) -> float:
    decay = sum(p**-0.8 for p in range(1, PAGE + 1))
    q = len(queries)
    clicks = 0.0
    for i, (_, zero, factor) in enumerate(queries):
        share = ((i + 1) / q) ** (1 / QUERY_SKEW) - (i / q) ** (1 / QUERY_SKEW)
        clicks += share * (1 - zero) * min(1.0, BASE_CTR * factor * (1 + LIFT) / 2) * decay
    return clicks * (1 + VIEW_AFTER_CLICK + CART_AFTER_CLICK * (1 + LIFT) / 2)


async def seed_users(connection: asyncpg.Connection, count: int, password_hash: str) -> list[int]:
    rows = await connection.fetch(
        """
        INSERT INTO users (username, username_key, email, email_key, password_hash, is_admin, created_at)
        SELECT 'shopper' || n, 'shopper' || n, 'shopper' || n || '@bench.test', 'shopper' || n || '@bench.test',
               $2, false, now() - interval '120 days'
        FROM generate_series(1, $1) AS n
        RETURNING id
        """,
        count,
        password_hash,
    )
    return [int(r["id"]) for r in rows]


async def reference_tables(
    connection: asyncpg.Connection, visitors: int, user_ids: list[int], queries, rng: random.Random
) -> None:
    experiment = Experiment()
    skus = [r["sku"] for r in await connection.fetch("SELECT sku FROM products ORDER BY sku")]
    await connection.execute(
        """
        CREATE TEMP TABLE bench_visitors (n int PRIMARY KEY, visitor_id text, user_id bigint, arm text);
        CREATE TEMP TABLE bench_queries (n int PRIMARY KEY, query text, zero_rate float8, ctr float8);
        CREATE TEMP TABLE bench_pages (qn int, arm text, k int, items jsonb, PRIMARY KEY (qn, arm, k));
        CREATE TEMP TABLE bench_skus (n int PRIMARY KEY, sku text);
        """
    )
    rows = []
    for n in range(visitors):
        # Every tenth visitor is logged in; the rest carry an anonymous cookie like the app's.
        if n % 10 == 0 and n // 10 < len(user_ids):
            user_id: int | None = user_ids[n // 10]
            visitor = user_visitor_id(user_ids[n // 10])
        else:
            user_id = None
            visitor = anonymous_visitor_id(base64.urlsafe_b64encode(rng.randbytes(16)).rstrip(b"=").decode())
        rows.append((n, visitor, user_id, assign_arm(visitor, experiment)))
    await connection.copy_records_to_table("bench_visitors", records=rows)
    await connection.copy_records_to_table(
        "bench_queries", records=[(n, q, z, f) for n, (q, z, f) in enumerate(queries)]
    )
    pages = []
    for n in range(len(queries)):
        candidates = rng.sample(skus, min(len(skus), 2 * PAGE))
        for k in range(VARIANTS):
            popular = candidates[:PAGE] if k == 0 else rng.sample(candidates[: PAGE + 5], PAGE)
            personal = rng.sample(candidates, PAGE)
            for arm, chosen in ((POPULARITY_ARM, popular), (PERSONALIZED_ARM, personal)):
                items = [[sku, pos] for pos, sku in enumerate(chosen, start=1)]
                pages.append((n, arm, k, json.dumps(items)))
    await connection.copy_records_to_table("bench_pages", records=pages)
    await connection.copy_records_to_table("bench_skus", records=list(enumerate(skus)))
    await connection.execute(
        "ANALYZE bench_visitors; ANALYZE bench_queries; ANALYZE bench_pages; ANALYZE bench_skus"
    )


SEARCHES = f"""
CREATE TEMP TABLE bench_s AS
SELECT md5('bench-search:' || g.n) AS search_id, v.visitor_id, v.user_id, v.arm, q.query, p.items, g.at,
       q.ctr * CASE WHEN v.arm = '{PERSONALIZED_ARM}' THEN $6::float8 ELSE 1 END AS ctr,
       random() < q.zero_rate AS zero
FROM (
    SELECT n, $1::timestamptz + random() * interval '1 day' AS at,
           floor(power(random(), $4::float8) * $5::int)::int AS vn,
           floor(power(random(), $7::float8) * $8::int)::int AS qn,
           floor(random() * $9::int)::int AS k
    FROM generate_series($2::bigint, $3::bigint) AS n
) AS g
JOIN bench_visitors v ON v.n = g.vn
JOIN bench_queries q ON q.n = g.qn
JOIN bench_pages p ON p.qn = g.qn AND p.arm = v.arm AND p.k = g.k
"""

IMPRESSIONS = """
INSERT INTO impressions (search_id, visitor_id, user_id, arm, query, items, page, total, occurred_at,
                         features, feature_version)
SELECT s.search_id, s.visitor_id, s.user_id, s.arm, s.query,
       CASE WHEN s.zero THEN '[]'::jsonb ELSE s.items END, 1,
       CASE WHEN s.zero THEN 0 ELSE 20 + floor(random() * 480)::int END, s.at, NULL, NULL
FROM bench_s s
"""

CLICKS = """
CREATE TEMP TABLE bench_c AS
SELECT s.search_id, s.visitor_id, s.user_id, s.arm, s.query, s.ctr, pos.position,
       s.items -> (pos.position - 1) ->> 0 AS sku,
       s.at + (3 + random() * 90) * interval '1 second' AS at
FROM bench_s s
CROSS JOIN generate_series(1, $2::int) AS pos(position)
WHERE NOT s.zero AND random() < $1::float8 * s.ctr / power(pos.position::float8, 0.8)
"""

ACTIONS = """
INSERT INTO events (type, sku, visitor_id, user_id, arm, search_id, position, query, occurred_at)
SELECT 'click', sku, visitor_id, user_id, arm, search_id, position, query, at FROM bench_c
UNION ALL
SELECT 'view', sku, visitor_id, user_id, arm, search_id, position, query, at + interval '2 seconds'
FROM bench_c WHERE random() < $1::float8
UNION ALL
SELECT 'add_to_cart', sku, visitor_id, user_id, arm, search_id, position, query,
       at + (20 + random() * 300) * interval '1 second'
FROM bench_c WHERE random() < $2::float8 * ctr
"""

BROWSING = """
INSERT INTO events (type, sku, visitor_id, user_id, arm, search_id, position, query, occurred_at)
SELECT 'view', k.sku, v.visitor_id, v.user_id, v.arm, NULL, NULL, NULL, g.at
FROM (
    SELECT $1::timestamptz + random() * interval '1 day' AS at,
           floor(power(random(), $3::float8) * $4::int)::int AS vn,
           floor(random() * $5::int)::int AS kn
    FROM generate_series(1, $2::int)
) AS g
JOIN bench_visitors v ON v.n = g.vn
JOIN bench_skus k ON k.n = g.kn
"""


async def load_events(
    connection: asyncpg.Connection, total: int, days: int, visitors: int, queries, log=print
) -> LoadReport:
    """`total` rows in `events` over the `days` whole days before today, plus one impression per search."""
    report = LoadReport()
    per_search = expected_events_per_search(queries)
    skus = int(await connection.fetchval("SELECT count(*) FROM bench_skus"))
    first = datetime.now(UTC).date() - timedelta(days=days)
    started = time.perf_counter()
    next_search = 0
    for d, day_total in enumerate(split_counts(total, day_weights(days))):
        day = first + timedelta(days=d)
        start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        searches = max(1, round(day_total * SEARCH_SHARE / per_search))
        async with connection.transaction():
            await connection.execute("DROP TABLE IF EXISTS bench_s; DROP TABLE IF EXISTS bench_c")
            await connection.execute(
                SEARCHES, start, next_search, next_search + searches - 1, VISITOR_SKEW, visitors,
                LIFT, QUERY_SKEW, len(queries), VARIANTS,
            )  # fmt: skip
            next_search += searches
            shown = await connection.execute(IMPRESSIONS)
            await connection.execute(CLICKS, BASE_CTR, PAGE)
            acted = await connection.execute(ACTIONS, VIEW_AFTER_CLICK, CART_AFTER_CLICK)
            done = int(acted.split()[-1])
            if done > day_total:  # a lucky day: trim the newest browsing-free surplus, keep the count exact
                await connection.execute(
                    "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id DESC LIMIT $1)",
                    done - day_total,
                )
                done = day_total
            if day_total > done:
                await connection.execute(BROWSING, start, day_total - done, VISITOR_SKEW, visitors, skus)
        report.impressions += int(shown.split()[-1])
        report.searches += searches
        report.events += day_total
        report.days.append(day)
        if (d + 1) % 10 == 0 or d + 1 == days:
            elapsed = time.perf_counter() - started
            log(
                f"  day {d + 1}/{days}: {report.events:,} events, {report.impressions:,} impressions, {elapsed:.0f} s"
            )
    report.seconds = time.perf_counter() - started
    await connection.execute("DROP TABLE IF EXISTS bench_s; DROP TABLE IF EXISTS bench_c")
    return report
