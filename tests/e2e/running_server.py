"""A real `ecomsearch serve` in a process of its own, on a migrated SQLite shop holding the test
catalog, set up through the command line as an operator would."""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.e2e.private_servers import free_port
from tests.fixtures.catalog import CATALOG

SRC = Path(__file__).resolve().parents[2] / "src"


class RunningServer:
    def __init__(self, base_url: str, env: Mapping[str, str], cwd: Path) -> None:
        self.base_url = base_url
        self.env = dict(env)
        self.cwd = cwd

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`ecomsearch ARGS` against the same database."""
        command = [sys.executable, "-m", "entrypoints.cli.main", *args]
        return subprocess.run(
            command, env=self.env, cwd=self.cwd, capture_output=True, text=True, timeout=120
        )


@contextmanager
def running_server(root: Path, settings: Mapping[str, str] | None = None) -> Iterator[RunningServer]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DATABASE_URL": f"sqlite+aiosqlite:///{root / 'shop.db'}",
        "BCRYPT_ROUNDS": "4",
        "SIGNUP_RATE_LIMIT": "0",
        "LOG_LEVEL": "WARNING",
        "MAIL_OUTBOX_DIR": str(root / "outbox"),
        **(settings or {}),
    }
    env.pop("REDIS_URL", None)
    server = RunningServer(f"http://127.0.0.1:{port}", env, root)  # root: no developer .env is read
    catalog = root / "catalog.jsonl"
    catalog.write_text("".join(json.dumps(row) + "\n" for row in CATALOG))
    for step in (("db", "upgrade"), ("catalog", "import", str(catalog))):
        done = server.cli(*step)
        assert done.returncode == 0, done.stdout + done.stderr
    process = subprocess.Popen(
        [sys.executable, "-m", "entrypoints.cli.main", "serve", "--port", str(port)],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_until_up(server.base_url, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError("serve did not come up")
