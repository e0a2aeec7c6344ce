"""`POST /api/admin/products/import` throughput against `ecomsearch catalog import`, per database.

    .venv/bin/python bench/import_http.py --products 100000 [--only sqlite|postgresql]

Writes a generated catalog (JSONL, gzip-compressed for the upload). For each database it makes an
empty, migrated one (PostgreSQL: `bulkimport_bench` on 127.0.0.1:5432 as user postgres, dropped
afterwards; SQLite: a file in a temporary directory), then:
- CLI: `ecomsearch catalog import` in a child process (time includes its start-up), its peak RSS;
- HTTP: on a second empty database, `ecomsearch serve` (in-process job runner, no Redis), an
  administrator's token, the upload streamed from the file, the import polled to completion;
  time from the first byte sent to `complete`, and the server's peak RSS (VmHWM) at the end.
Prints one line each. Never fails on timing.
"""

import argparse
import gzip
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from simulation.catalog.generator import write_catalog

PG_ADMIN = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c"]
PG_DB = "bulkimport_bench"
CLI = [sys.executable, "-m", "entrypoints.cli.main"]
PASSWORD = "a bench passphrase 42"


def env_for(url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT / "src"),
        "BCRYPT_ROUNDS": "4",
        "IMPORT_MAX_BYTES": str(2 << 30),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def fresh_database(kind: str, work: Path, name: str) -> str:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{work}/{name}.db"
    db = f"{PG_DB}_{name}"
    subprocess.run([*PG_ADMIN, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'], check=True)
    subprocess.run([*PG_ADMIN, f'CREATE DATABASE "{db}"'], check=True)
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"


def drop_database(kind: str, name: str) -> None:
    if kind == "postgresql":
        subprocess.run([*PG_ADMIN, f'DROP DATABASE IF EXISTS "{PG_DB}_{name}" WITH (FORCE)'], check=True)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cli_import(url: str, catalog: Path, count: int, label: str) -> float:
    env = env_for(url)
    subprocess.run([*CLI, "db", "upgrade"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    child = subprocess.Popen(
        [*CLI, "catalog", "import", "--quiet", str(catalog)], env=env, stdout=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    summary = (child.stdout.read().decode().strip().splitlines() or ["?"])[-1] if child.stdout else "?"
    rss = usage.ru_maxrss / 1024  # kB on Linux
    print(
        f"{label:10} CLI   {count:>9,} products  {wall:7.1f} s  {count / wall:8,.0f}/s  "
        f"peak RSS {rss:6.0f} MB  [{summary}; exit {os.waitstatus_to_exitcode(status)}]",
        flush=True,
    )
    return wall


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def admin_token(base: str, env: dict[str, str]) -> str:
    with httpx.Client(base_url=base, timeout=30) as client:
        client.post(
            "/api/auth/signup", json={"username": "benchadmin", "password": PASSWORD}
        ).raise_for_status()
        subprocess.run([*CLI, "user", "create-admin", "benchadmin"], env=env, check=True, capture_output=True)
        login = client.post("/api/auth/login", json={"username": "benchadmin", "password": PASSWORD})
        login.raise_for_status()
        return str(login.json()["token"])


def wait_ready(base: str, server: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server stopped while starting")
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not become ready")


def chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as upload:
        while block := upload.read(1 << 20):
            yield block


def http_import(url: str, upload: Path, count: int, label: str, timeout: float) -> None:
    port = free_port()
    env = env_for(url, ECOMSEARCH_PORT=str(port))
    subprocess.run([*CLI, "db", "upgrade"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([*CLI, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, server)
        headers = {"Authorization": f"Bearer {admin_token(base, env)}"}
        idle_rss = peak_rss_mb(server.pid)
        with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
            started = time.perf_counter()
            answer = client.post(
                "/api/admin/products/import",
                content=chunks(upload),
                headers={"Content-Type": "application/x-ndjson", "Content-Encoding": "gzip"},
            )
            answer.raise_for_status()
            accepted = time.perf_counter() - started
            job_id = answer.json()["job_id"]
            state: dict[str, object] = {}
            while time.perf_counter() - started < timeout:
                state = client.get(f"/api/admin/products/import/{job_id}").json()
                if state["status"] in ("complete", "failed"):
                    break
                time.sleep(0.5)
            wall = time.perf_counter() - started
        print(
            f"{label:10} HTTP  {count:>9,} products  {wall:7.1f} s  {count / wall:8,.0f}/s  "
            f"server peak RSS {peak_rss_mb(server.pid):6.0f} MB (idle {idle_rss:.0f} MB)  "
            f"[upload stored in {accepted:.1f} s; {state.get('status')}: loaded {state.get('loaded')}, "
            f"rejected {state.get('rejected_lines')}]",
            flush=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for the HTTP import")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    with tempfile.TemporaryDirectory(prefix="bulkimport-bench-") as work_dir:
        work = Path(work_dir)
        catalog = work / "catalog.jsonl"
        write_catalog(catalog, args.products, args.seed)
        upload = work / "catalog.jsonl.gz"
        with catalog.open("rb") as plain, gzip.open(upload, "wb", compresslevel=6) as packed:
            shutil.copyfileobj(plain, packed)
        print(
            f"catalog {catalog.stat().st_size / 1e6:.1f} MB, gzip {upload.stat().st_size / 1e6:.1f} MB",
            flush=True,
        )
        for kind in ("postgresql", "sqlite"):
            if args.only not in (None, kind):
                continue
            try:
                cli_import(fresh_database(kind, work, "cli"), catalog, args.products, kind)
                http_import(fresh_database(kind, work, "http"), upload, args.products, kind, args.timeout)
            finally:
                drop_database(kind, "cli")
                drop_database(kind, "http")
    print(
        f"load average {os.getloadavg()[0]:.1f} at end; this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
