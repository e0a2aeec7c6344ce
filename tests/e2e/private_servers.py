"""Redis and PostgreSQL servers of a test's own, on free private ports, that it may kill and restart.

Both skip on a machine without the server binaries and fail in CI (see `unavailable`).
PostgreSQL refuses to run as root, so as root its commands run as the `postgres` user.
"""

import asyncio
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import sqlalchemy as sa
import uvicorn

from adapters.sql.engine import make_engine
from tests.conftest import unavailable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.02)
    raise TimeoutError(f"nothing listens on port {port}")


class PrivateRedis:
    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            unavailable("redis-server", FileNotFoundError("redis-server is not on PATH"))
        self.binary = str(binary)
        self.port = free_port()
        self.workdir = tempfile.mkdtemp(prefix="ecomsearch-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.workdir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_for_port(self.port, 10)

    def kill(self) -> None:
        """kill -9: no goodbye to its clients."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def remove(self) -> None:
        self.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PrivatePostgres:
    """A throwaway cluster in a temporary directory (trust authentication, user postgres)."""

    def __init__(self) -> None:
        bin_dir = _postgres_bin()
        if bin_dir is None:
            unavailable("PostgreSQL's initdb", FileNotFoundError("no initdb"))
        self.bin = Path(str(bin_dir))
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="ecomsearch-pg-"))
        self.data = self.root / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")

    def init(self) -> None:
        try:
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"
            )
        except (RuntimeError, OSError) as exc:
            unavailable("a private PostgreSQL cluster", exc)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "immediate") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def start_refusing(self) -> None:
        """Start as a standby with hot_standby off: it refuses every connection with SQLSTATE 57P03
        ("the database system is not accepting connections"), as a starting server does, for as
        long as the test needs. `stop("fast")` then `start_nowait()` brings it back as a primary."""
        (self.data / "standby.signal").touch()
        if self.as_root:
            shutil.chown(self.data / "standby.signal", "postgres", "postgres")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c hot_standby=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-W", "start")

    def start_nowait(self) -> None:
        """Start without waiting: it refuses connections ("not yet accepting") while it recovers."""
        (self.data / "standby.signal").unlink(missing_ok=True)
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-W", "start")

    async def create_database(self, name: str = "ecomsearch") -> str:
        admin = await asyncpg.connect(host="127.0.0.1", port=self.port, user="postgres", database="postgres")
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{name}"

    async def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                connection = await asyncpg.connect(
                    host="127.0.0.1", port=self.port, user="postgres", database="postgres", timeout=1
                )
            except (OSError, asyncpg.PostgresError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)
            else:
                await connection.close()
                return

    def remove(self) -> None:
        with contextlib.suppress(RuntimeError, OSError, subprocess.TimeoutExpired):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The app behind uvicorn on a free port, in this event loop, and an HTTP client for it.

    Litestar's AsyncTestClient runs the app in a thread of its own and blocks the caller's loop for
    each request, so it cannot put a server under concurrent load; a real server can.
    """
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        server.should_exit = True
        await task


async def stored_clicks(database_url: str, sku: str) -> tuple[int, float]:
    """The click events stored for a product, and its popularity, read straight from the database."""
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            events = await connection.scalar(
                sa.text("SELECT count(*) FROM events WHERE sku = :sku AND type = 'click'"), {"sku": sku}
            )
            popularity = await connection.scalar(
                sa.text("SELECT popularity FROM products WHERE sku = :sku"), {"sku": sku}
            )
    finally:
        await engine.dispose()
    return int(events or 0), float(popularity or 0)
