"""The real backend on a seeded SQLite database, and Debian's Chromium driven by Playwright.

Nothing here downloads a browser: Playwright launches `/usr/bin/chromium` (installed by
`make chromium`). Without it, or without the built app (`make web`), these tests skip on a
developer machine and fail in CI, where a skip would hide a broken setup.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
DIST = ROOT / "web" / "dist"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(message + " - CI must run the browser tests", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_cli(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "entrypoints.cli.main", *args], env=env, check=True, capture_output=True
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if not (DIST / "index.html").is_file():
        _unavailable("the web app is not built (run `make web`)")
    folder = tmp_path_factory.mktemp("browser")
    database = folder / "shop.db"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "BCRYPT_ROUNDS": "4",
        "WEB_DIST_DIR": str(DIST),
        "LOG_LEVEL": "WARNING",
        "SEARCH_RESULT_TTL": "0",
        # Mail lands in a folder the tests read; its links point at this server.
        "MAIL_OUTBOX_DIR": str(folder / "outbox"),
        "PUBLIC_BASE_URL": base,
        # The shop-flow shopper signs up without an email yet writes a review; the refusal for
        # unverified accounts is tested over HTTP (test_http_account_links).
        "UNVERIFIED_MAY_REVIEW": "true",
        # Every browser test signs up its own shoppers from this one address: the hourly signup
        # limit (tested over HTTP in test_http_account_limits) would refuse the later ones.
        "SIGNUP_RATE_LIMIT": "0",
    }
    env.pop("REDIS_URL", None)
    _run_cli(env, "db", "upgrade")
    _run_cli(env, "demo", "seed", "--products", "400")
    command = [sys.executable, "-m", "uvicorn", "--factory", "entrypoints.http.app:app_factory"]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the backend did not start") from None
                time.sleep(0.2)
        yield {"base": base, "database": str(database), "outbox": str(folder / "outbox")}
    finally:
        process.terminate()
        process.wait(timeout=10)


# Module scope: Playwright's sync API keeps an event loop running in this thread while it is open,
# which would break every later test that calls asyncio.run (the migration runner does).
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium is not installed at {CHROMIUM} (run `make chromium` as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def csp_violations(page: Any) -> list[str]:
    """Filled with what the page's Content-Security-Policy refused, as Chromium reports it."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return refused
