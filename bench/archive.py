"""Archive job benchmark: rows moved per second on SQLite and PostgreSQL.

    .venv/bin/python bench/archive.py --rows 40000 --batch 5000

Fills a fresh database (migrated) with `--rows` events and as many impressions, three quarters
of each older than the retention age, then runs the real `ArchiveEvents` use case over
`SqlEventArchive` and prints rows moved per second, per database. Never fails on timing.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from search import fresh_postgres

from adapters.sql.engine import make_engine
from adapters.sql.event_archive import SqlEventArchive
from adapters.sql.tables import events, impressions
from application.events.archive_events import ArchiveConfig, ArchiveEvents
from entrypoints.cli.db import upgrade


class Fixed:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


async def fill(url: str, rows: int, now: datetime) -> None:
    engine = make_engine(url)
    async with engine.begin() as connection:
        for start in range(0, rows, 5000):
            chunk = range(start, min(start + 5000, rows))
            # Ages spread over 0..720 days: three quarters are past 180.
            ages = [timedelta(days=720 * i / rows) for i in chunk]
            await connection.execute(
                sa.insert(events),
                [
                    {"type": "click", "sku": f"SKU-{i % 997}", "visitor_id": f"user:{i % 3001}",
                     "user_id": i % 3001, "arm": "personalized", "search_id": f"s-{i}",
                     "position": 1 + i % 12, "query": "wireless headphones", "occurred_at": now - age}
                    for i, age in zip(chunk, ages, strict=True)
                ],
            )  # fmt: skip
            await connection.execute(
                sa.insert(impressions),
                [
                    {"search_id": f"s-{i}", "visitor_id": f"anon:{i % 5003}", "user_id": None,
                     "arm": "popularity", "query": "wireless headphones",
                     "items": [[f"SKU-{(i + k) % 997}", k + 1] for k in range(12)], "page": 1,
                     "total": 140, "occurred_at": now - age,
                     "features": [[0.5] * 12 for _ in range(12)], "feature_version": "v1"}
                    for i, age in zip(chunk, ages, strict=True)
                ],
            )  # fmt: skip
    await engine.dispose()


async def run(kind: str, url: str, rows: int, batch: int) -> None:
    await asyncio.to_thread(upgrade, url)
    now = datetime.now(UTC)
    await fill(url, rows, now)
    engine = make_engine(url)
    archive = ArchiveEvents(SqlEventArchive(engine), Fixed(now), ArchiveConfig(180, batch))
    began = time.perf_counter()
    report = await archive()
    wall = time.perf_counter() - began
    moved = report.events + report.impressions
    print(
        f"{kind:<10} moved {report.events} events + {report.impressions} impressions "
        f"in {report.batches} batches of {batch}: {wall:.2f} s, {moved / wall:,.0f} rows/s"
    )
    began = time.perf_counter()
    again = await archive()
    print(
        f"{kind:<10} rerun moved {again.events + again.impressions} rows in {time.perf_counter() - began:.3f} s"
    )
    await engine.dispose()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await run("sqlite", f"sqlite+aiosqlite:///{Path(tmp) / 'archive.db'}", args.rows, args.batch)
    await run("postgresql", await fresh_postgres("ecomsearch_bench_archive"), args.rows, args.batch)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000, help="events, and as many impressions")
    parser.add_argument("--batch", type=int, default=5000)
    asyncio.run(main(parser.parse_args()))
