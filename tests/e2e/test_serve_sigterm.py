"""SIGTERM to `ecomsearch serve` mid-stream: every event answered 202 is stored exactly once, and the
process exits 0 (uvicorn finishes the requests in flight, then the app's shutdown writes what the
event batch writer still holds)."""

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from adapters.sql.engine import make_engine
from adapters.sql.event_log import SqlEventLog
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from tests.e2e.private_servers import free_port
from tests.e2e.test_http_events import EPOCH, FUTURE
from tests.fixtures.catalog import CATALOG

SRC = Path(__file__).resolve().parents[2] / "src"
EVENTS = 400
AT_ONCE = 16
TERM_AFTER = 60  # answers before the signal


async def _loaded(url: str) -> None:
    container = build_container(load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull)))
    try:
        report = await container.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
        assert report.rejected == 0
    finally:
        await close_container(container)


async def _wait_until_up(base: str, process: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=base) as client:
        while time.monotonic() < deadline:
            assert process.returncode is None, "serve exited before it listened"
            try:
                if (await client.get("/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError("serve did not come up")


async def test_sigterm_loses_no_accepted_event_and_exits_0(make_database, tmp_path: Path) -> None:
    url = await make_database("sqlite")
    await _loaded(url)
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DATABASE_URL": url,
        "EVENT_RATE_LIMIT": "0",
        "SEARCH_RATE_LIMIT": "0",
        "SHUTDOWN_GRACE_SECONDS": "20",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "entrypoints.cli.main", "serve", "--port", str(port)],
        cwd=tmp_path,  # no developer .env
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    accepted: list[str] = []
    refused = 0
    try:
        await _wait_until_up(base, process)
        answered = asyncio.Event()
        next_event = iter(range(EVENTS))

        async def client_loop() -> None:
            nonlocal refused
            # Each its own connection, as browsers would; sent until the server stops answering.
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                for i in next_event:
                    mark = f"sigterm-{i}"
                    body = {"type": "view", "sku": CATALOG[i % len(CATALOG)]["sku"], "search_id": mark}
                    try:
                        response = await client.post("/api/events", json=body)
                    except httpx.TransportError:
                        refused += 1
                        continue
                    if response.status_code == 202:
                        accepted.append(mark)
                        if len(accepted) >= TERM_AFTER:
                            answered.set()
                    else:
                        refused += 1

        clients = [asyncio.create_task(client_loop()) for _ in range(AT_ONCE)]
        await asyncio.wait_for(answered.wait(), 60)
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(asyncio.gather(*clients), 60)
        code = await asyncio.wait_for(process.wait(), 60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    output = (await process.stdout.read()).decode() if process.stdout else ""
    assert code == 0, output
    assert len(accepted) >= TERM_AFTER
    assert refused > 0, "the signal came after every event was sent: nothing was cut short"

    engine = make_engine(url)
    try:
        events = await SqlEventLog(engine).events_between(EPOCH, FUTURE, limit=EVENTS * 2)
    finally:
        await engine.dispose()
    stored = Counter(e.search_id for e in events)
    assert all(stored[mark] == 1 for mark in accepted), [m for m in accepted if stored[m] != 1]
    assert all(count == 1 for count in stored.values())
    assert set(stored) <= {f"sigterm-{i}" for i in range(EVENTS)}
