"""`ecomsearch catalog import` throughput on PostgreSQL and SQLite.

    .venv/bin/python bench/import_catalog.py --products 100000

Writes a generated catalog (JSONL), then for each database creates an empty, migrated one
(PostgreSQL: a scratch database on 127.0.0.1:5432 as user postgres, dropped afterwards; SQLite:
a file in a temporary directory) and runs the command line's import on it in a child process,
as a user would. Prints wall time and products a second, with and without the process start-up.
Never fails on timing.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from simulation.catalog.generator import write_catalog

PG_ADMIN = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c"]
PG_DB = "ecom_import_bench"
CLI = [sys.executable, "-m", "entrypoints.cli.main"]


def run_import(url: str, catalog: Path, count: int, label: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([*CLI, "db", "upgrade"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    done = subprocess.run(
        [*CLI, "catalog", "import", "--quiet", str(catalog)], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    idle = time.perf_counter()
    subprocess.run([*CLI, "--help"], env=env, check=True, capture_output=True)
    startup = time.perf_counter() - idle
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    print(
        f"{label:10} {count:>9,} products  {wall:7.1f} s  {count / wall:9,.0f}/s  "
        f"({count / max(wall - startup, 1e-9):,.0f}/s without {startup:.1f} s start-up)  [{summary}]",
        flush=True,
    )
    if not re.match(r"read \d+ rows", summary):
        print(f"import failed (exit {done.returncode})", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="import-bench-") as work:
        catalog = Path(work) / "catalog.jsonl"
        write_catalog(catalog, args.products, args.seed)
        if args.only in (None, "postgresql"):
            subprocess.run([*PG_ADMIN, f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)'], check=True)
            subprocess.run([*PG_ADMIN, f'CREATE DATABASE "{PG_DB}"'], check=True)
            try:
                url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DB}"
                run_import(url, catalog, args.products, "postgresql")
            finally:
                subprocess.run([*PG_ADMIN, f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)'], check=True)
        if args.only in (None, "sqlite"):
            run_import(f"sqlite+aiosqlite:///{work}/bench.db", catalog, args.products, "sqlite")


if __name__ == "__main__":
    main()
