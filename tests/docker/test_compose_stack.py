"""compose.yaml's whole stack comes up and serves the shop through nginx: `make test-docker`.

Images as in test_image.py: POSTGRES_IMAGE, REDIS_IMAGE, NGINX_IMAGE, PYTHON_IMAGE and
NODE_IMAGE may name local ones (deploy/docker/local-base-images.sh). A small demo shop without
simulated traffic keeps the seed short. The project is torn down with its volumes at the end.
"""

import json
import os
import secrets
import shutil
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docker.conftest import IMAGE, free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.docker,
]


def compose_command() -> list[str]:
    plugin = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    if plugin.returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.fail("neither `docker compose` nor `docker-compose` is installed")


class Stack:
    def __init__(self) -> None:
        self.project = f"ecomsearch-test-{uuid.uuid4().hex[:6]}"
        self.port = free_port()
        self.env = {
            **os.environ,
            "SECRET_KEY": secrets.token_urlsafe(32),
            "POSTGRES_PASSWORD": secrets.token_hex(16),
            "REPLICATION_PASSWORD": secrets.token_hex(16),
            "HTTP_PORT": str(self.port),
            "DEMO_PRODUCTS": "300",
            "DEMO_SHOPPERS": "0",
            "ECOMSEARCH_IMAGE": IMAGE,
        }
        self.command = [
            *compose_command(),
            "--project-name",
            self.project,
            "--file",
            str(ROOT / "compose.yaml"),
        ]

    def run(self, *args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*self.command, *args], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
        if check:
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done

    def sql(self, service: str, query: str) -> str:
        done = self.run("exec", "-T", service, "psql", "--host", "/tmp", "--username", "postgres",
                        "--dbname", "shop", "--tuples-only", "--no-align", "--command", query)  # fmt: skip
        return done.stdout.strip()


@pytest.fixture
def stack() -> Iterator[Stack]:
    stack = Stack()
    try:
        yield stack
    finally:
        logs = stack.run("logs", "--no-color", "--tail", "40", check=False)
        print(logs.stdout[-6000:])
        stack.run("down", "--volumes", "--timeout", "30", check=False)


def test_the_stack_serves_the_shop_through_nginx_with_a_streaming_replica(image: str, stack: Stack) -> None:
    started = time.monotonic()
    stack.run("up", "--detach", timeout=1800)  # the image fixture built ECOMSEARCH_IMAGE
    status = {}
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        listed = stack.run("ps", "--quiet").stdout.split()
        status = {}
        for container in listed:
            state = json.loads(subprocess.run(["docker", "inspect", "--format", "{{json .}}", container],
                                              capture_output=True, text=True, check=True).stdout)  # fmt: skip
            service = state["Config"]["Labels"]["com.docker.compose.service"]
            status[service] = state["State"].get("Health", {}).get("Status") or state["State"]["Status"]
        if status.get("nginx") == "healthy" and all(
            status.get(name) == "healthy"
            for name in ("api1", "api2", "worker1", "worker2", "postgres-replica")
        ):
            break
        time.sleep(2)
    else:
        pytest.fail(f"not healthy: {status}")
    print(f"stack up and healthy in {time.monotonic() - started:.0f} s")
    assert status.get("migrate") == "exited"

    base = f"http://127.0.0.1:{stack.port}"
    with urllib.request.urlopen(f"{base}/ready", timeout=10) as answer:
        assert answer.status == 200
    with urllib.request.urlopen(f"{base}/api/search?q=headphones", timeout=10) as answer:
        assert answer.status == 200 and json.loads(answer.read())["total"] > 0  # the seeded catalog
    with urllib.request.urlopen(f"{base}/", timeout=10) as answer:
        assert b'<div id="root">' in answer.read()

    assert (
        stack.sql("postgres-primary", "SELECT usename, state FROM pg_stat_replication")
        == "replicator|streaming"
    )
    assert stack.sql("postgres-replica", "SELECT pg_is_in_recovery(), count(*) > 0 FROM products") == "t|t"
