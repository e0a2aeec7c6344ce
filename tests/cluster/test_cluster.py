"""The several-process topology of deploy/cluster.py, driven end to end (docs/cluster.md).

One cluster for the module: a PostgreSQL primary and streaming replica, Redis, two SAQ workers,
two API processes behind nginx, a small seeded shop. The tests reach each API process on its own
port to show that what one does the other sees, and go through nginx for the rest. Figures
(replication lag, search latency through nginx) are printed: run with `-s` to read them.
"""

import asyncio
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


class Running:
    def __init__(self, directory: Path, state: dict[str, Any]) -> None:
        self.dir = directory
        self.ports: dict[str, int] = state["ports"]
        self.pids: dict[str, int] = state["pids"]
        self.front = f"http://127.0.0.1:{self.ports['nginx']}"
        self.api = [f"http://127.0.0.1:{self.ports['api1']}", f"http://127.0.0.1:{self.ports['api2']}"]
        self.admin_token = ""

    def sql(self, which: str, query: str, *args: Any) -> list[tuple[Any, ...]]:
        """One statement on the primary or the replica, on a connection of its own."""

        async def run() -> list[tuple[Any, ...]]:
            connection = await asyncpg.connect(host="127.0.0.1", port=self.ports[which], user="postgres",
                                               database="shop")  # fmt: skip
            try:
                return [tuple(row) for row in await connection.fetch(query, *args)]
            finally:
                await connection.close()

        return asyncio.run(run())

    def cli(self, *args: str) -> None:
        env = {**os.environ, "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{self.ports['primary']}/shop",
               "PYTHONPATH": str(ROOT / "src")}  # fmt: skip
        subprocess.run([sys.executable, "-m", "entrypoints.cli.main", *args], env=env, check=True,
                       capture_output=True, timeout=120)  # fmt: skip


def cluster_command(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        # A shop this small trains on little; the retrain test needs a model promoted.
        "TRAIN_MIN_IMPRESSIONS": "20",
        "TRAIN_HOLDOUT_DAYS": "1",
        "TRAIN_PROMOTION_TOLERANCE": "1",
        "MODEL_REFRESH_SECONDS": "3",
        "SHUTDOWN_GRACE_SECONDS": "5",
        # Four shoppers search back to back from one address; the limit shown across processes is
        # the login one (test_a_rate_limit_counts_across_both), not this one.
        "SEARCH_RATE_LIMIT": "0",
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "cluster.py"), *args, "--dir", str(directory)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def cluster() -> Iterator[Running]:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        unavailable("nginx", FileNotFoundError("run `make nginx`"))
    directory = Path(tempfile.mkdtemp(prefix="ecomsearch-cluster-"))
    started = time.monotonic()
    done = cluster_command(directory, "start", "--products", "300", "--shoppers", "20", "--sessions", "3",
                           "--days", "2")  # fmt: skip
    if done.returncode != 0:
        logs = "".join(f"\n--- {p.name}\n{p.read_text()[-2000:]}" for p in (directory / "logs").glob("*.log"))
        cluster_command(directory, "stop", "--remove")
        pytest.fail(f"cluster did not start: {done.stdout}{done.stderr}{logs}", pytrace=False)
    print(f"\ncluster started in {time.monotonic() - started:.1f} s (load {os.getloadavg()[0]:.1f}):")
    print(done.stdout)
    running = Running(directory, json.loads((directory / "cluster.json").read_text()))
    try:
        yield running
    finally:
        stopped = cluster_command(directory, "stop")
        left = [name for name, pid in running.pids.items() if _alive(pid)]
        shutil.rmtree(directory, ignore_errors=True)
        assert stopped.returncode == 0, stopped.stderr
        assert not left, f"still running after stop: {left}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ", 1)[1][0] != "Z"


def signup(base: str, username: str) -> str:
    answer = httpx.post(
        f"{base}/api/auth/signup", json={"username": username, "password": PASSWORD}, timeout=30
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def admin(cluster: Running) -> str:
    signup(cluster.front, "boss")
    cluster.cli("user", "create-admin", "boss")
    answer = httpx.post(
        f"{cluster.front}/api/auth/login", json={"username": "boss", "password": PASSWORD}, timeout=30
    )
    return str(answer.json()["token"])


def search(base: str, q: str) -> list[str]:
    answer = httpx.get(f"{base}/api/search", params={"q": q}, timeout=30)
    assert answer.status_code == 200, answer.text
    return [item["sku"] for item in answer.json()["items"]]


def some_sku(cluster: Running, offset: int) -> str:
    return str(
        cluster.sql("primary", "SELECT sku FROM products ORDER BY sku OFFSET $1 LIMIT 1", offset)[0][0]
    )


def rename(cluster: Running, api: str, token: str, sku: str, title: str) -> None:
    answer = httpx.put(
        f"{api}/api/admin/products/{sku}", json={"title": title}, headers=bearer(token), timeout=30
    )
    assert answer.status_code == 200, answer.text


def test_a_catalog_edit_through_one_process_shows_in_the_others_next_search(
    cluster: Running, admin: str
) -> None:
    first, second = cluster.api
    sku = some_sku(cluster, 3)
    assert search(second, "zebracorn") == []  # cached now, under the old catalog version
    rename(cluster, first, admin, sku, "Zebracorn lamp")
    assert search(second, "zebracorn") == [sku]


def test_a_search_during_replica_lag_is_neither_stale_nor_cached_stale(cluster: Running, admin: str) -> None:
    first, second = cluster.api
    sku = some_sku(cluster, 5)
    cluster.sql("replica", "SELECT pg_wal_replay_pause()")
    try:
        rename(cluster, first, admin, sku, "Quokkabird kettle")
        # The replica has not replayed the edit: the router reads from the primary.
        assert search(second, "quokkabird") == [sku]
        stale = cluster.sql("replica", "SELECT count(*) FROM products WHERE title ILIKE 'quokkabird%'")
        assert stale == [(0,)], "the replica should still lag here"
    finally:
        cluster.sql("replica", "SELECT pg_wal_replay_resume()")
    # What the lagging moment cached is the edited catalog, whichever process reads it.
    assert search(first, "quokkabird") == [sku]
    assert search(second, "quokkabird") == [sku]


def test_a_login_through_one_process_works_on_the_other(cluster: Running) -> None:
    first, second = cluster.api
    signup(first, "walker")
    answer = httpx.post(
        f"{first}/api/auth/login", json={"username": "walker", "password": PASSWORD}, timeout=30
    )
    token = answer.json()["token"]
    me = httpx.get(f"{second}/api/auth/me", headers=bearer(token), timeout=30)
    assert me.status_code == 200 and me.json()["user"]["username"] == "walker"
    assert httpx.post(f"{second}/api/auth/logout", headers=bearer(token), timeout=30).status_code == 204
    assert httpx.get(f"{first}/api/auth/me", headers=bearer(token), timeout=30).status_code == 401


def test_a_rate_limit_counts_across_both_processes(cluster: Running) -> None:
    signup(cluster.front, "target")
    statuses = []
    for attempt in range(6):  # five wrong passwords per account and address (LOGIN_RATE_LIMIT_*)
        base = cluster.api[attempt % 2]
        wrong = {"username": "target", "password": "not the password"}
        statuses.append(httpx.post(f"{base}/api/auth/login", json=wrong, timeout=30).status_code)
    assert statuses == [401, 401, 401, 401, 401, 429]


def model_in_use(base: str) -> str | None:
    found = re.search(r'ecomsearch_ranking_model\{version="([^"]+)"\} 1', httpx.get(f"{base}/metrics").text)
    return found.group(1) if found else None


def test_a_retrain_triggered_twice_runs_once_and_both_processes_serve_the_new_model(
    cluster: Running, admin: str
) -> None:
    models_before = cluster.sql("primary", "SELECT count(*) FROM model_versions")[0][0]
    jobs = [httpx.post(f"{api}/api/admin/jobs/retrain", headers=bearer(admin), timeout=30).json()["job_id"]
            for api in cluster.api]  # fmt: skip
    deadline = time.monotonic() + 120
    records: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        records = [httpx.get(f"{cluster.front}/api/admin/jobs/{job}", headers=bearer(admin), timeout=30).json()
                   for job in jobs]  # fmt: skip
        if all(record["status"] in ("complete", "failed") for record in records):
            break
        time.sleep(0.5)
    reports = sorted(record["report"]["status"] for record in records)
    # Both ran at once (two workers) and one found the lock taken, or one after the other.
    trained = [record["report"]["result"] for record in records if record["report"]["status"] == "done"]
    models_after = cluster.sql("primary", "SELECT count(*) FROM model_versions")[0][0]
    assert models_after - models_before == len(trained)
    assert reports in (["busy", "done"], ["done", "done"]), records
    promoted = [result["version"]["version"] for result in trained if result["status"] == "promoted"]
    assert promoted, trained
    newest = promoted[-1]
    started = time.monotonic()
    while time.monotonic() - started < 3 + 10:  # MODEL_REFRESH_SECONDS, and slack for a loaded machine
        if all(model_in_use(api) == newest for api in cluster.api):
            break
        time.sleep(0.25)
    assert [model_in_use(api) for api in cluster.api] == [newest, newest]
    print(
        f"\nretrain: {reports}; both processes serve {newest} {time.monotonic() - started:.1f} s after it finished"
    )


def test_searches_read_from_the_replica(cluster: Running) -> None:
    query = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'shop'"
    before = cluster.sql("replica", query)[0][0]
    for n in range(20):
        search(cluster.front, f"lamp {uuid.uuid4().hex[:6]} {n}")  # each its own: not in the cache
    # Idle backends report their counts within PostgreSQL's 10 s idle interval.
    deadline, after = time.monotonic() + 15, before
    while after - before < 20 and time.monotonic() < deadline:
        time.sleep(0.5)
        after = cluster.sql("replica", query)[0][0]
    readers = cluster.sql(
        "replica", "SELECT count(*) FROM pg_stat_activity WHERE datname = 'shop' AND pid <> pg_backend_pid()"
    )[0][0]
    print(f"\nreplica: {after - before} transactions during 20 uncached searches; {readers} API connections")
    assert after - before >= 20
    # Each process counts its own routing too (GET /metrics).
    routed = [routed_to_replica(api) for api in cluster.api]
    print(f"reads routed to the replica, per API process: {routed}")
    assert sum(routed) >= 20


def routed_to_replica(base: str) -> float:
    found = re.search(
        r'ecomsearch_db_reads_routed_total\{target="replica"\} ([0-9.e+]+)', httpx.get(f"{base}/metrics").text
    )
    return float(found.group(1)) if found else 0.0


def test_replication_lag(cluster: Running, admin: str) -> None:
    sku = some_sku(cluster, 7)
    lags = []
    for n in range(10):
        title = f"Lagmeter {n} {uuid.uuid4().hex[:8]}"
        rename(cluster, cluster.api[0], admin, sku, title)
        written = time.monotonic()
        while cluster.sql("replica", "SELECT title FROM products WHERE sku = $1", sku) != [(title,)]:
            pass
        lags.append((time.monotonic() - written) * 1000)
    row = cluster.sql("primary", "SELECT state, replay_lag::text FROM pg_stat_replication")
    print(f"\nreplication: {row}; an edit answered 200 was on the replica after median "
          f"{statistics.median(lags):.1f} ms, max {max(lags):.1f} ms (polled with a new connection each "
          f"time, so an upper bound; load {os.getloadavg()[0]:.1f})")  # fmt: skip
    assert row and row[0][0] == "streaming"


def test_killing_one_api_process_loses_no_retryable_request(cluster: Running) -> None:
    failures: list[str] = []
    latencies: list[float] = []
    stop = threading.Event()

    def shop() -> None:
        with httpx.Client(base_url=cluster.front, timeout=30) as client:
            n = 0
            while not stop.is_set():
                n += 1
                started = time.monotonic()
                answer = client.get(
                    "/api/search", params={"q": ["lamp", "mug", "chair", "headphones"][n % 4]}
                )
                latencies.append((time.monotonic() - started) * 1000)
                if answer.status_code != 200:
                    failures.append(f"{answer.status_code} {answer.text[:200]}")

    shoppers = [threading.Thread(target=shop) for _ in range(4)]
    for thread in shoppers:
        thread.start()
    time.sleep(2)
    os.kill(cluster.pids["api2"], signal.SIGKILL)
    killed_at = len(latencies)
    time.sleep(3)
    stop.set()
    for thread in shoppers:
        thread.join()
    ordered = sorted(latencies)
    print(f"\nsearch through nginx ({len(latencies)} requests, 4 at a time, cached queries, load "
          f"{os.getloadavg()[0]:.1f}): p50 {ordered[len(ordered) // 2]:.1f} ms, "
          f"p95 {ordered[int(len(ordered) * 0.95)]:.1f} ms; api2 killed after request {killed_at}")  # fmt: skip
    assert not failures
    assert len(latencies) > killed_at
    # nginx saw the dead process and sent those requests to the other one.
    retried = (cluster.dir / "nginx" / "logs" / "error.log").read_text()
    assert f"127.0.0.1:{cluster.ports['api2']}" in retried, retried
