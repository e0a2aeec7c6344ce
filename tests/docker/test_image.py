"""The image built from the Dockerfile runs the shop: `make test-docker` (needs a Docker daemon).

Builds the image (PYTHON_IMAGE / NODE_IMAGE name the base images, e.g. the ones that
deploy/docker/local-base-images.sh makes where no registry is reachable), migrates a SQLite
database in a volume with the one-shot command, serves it, waits for the image's HEALTHCHECK to
report healthy and asks the published port (loopback only) for the API and the web app. Skipped
unless DOCKER_TEST=1: a build takes minutes.
"""

import json
import secrets
import time
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from tests.docker.conftest import docker, free_port

pytestmark = [
    pytest.mark.docker,
]


@pytest.fixture
def volume() -> Iterator[str]:
    name = f"ecomsearch-test-{uuid.uuid4().hex[:8]}"
    docker("volume", "create", name)
    yield name
    docker("volume", "rm", "--force", name, check=False)


@pytest.fixture
def containers() -> Iterator[list[str]]:
    started: list[str] = []
    yield started
    for name in started:
        docker("rm", "--force", name, check=False)


def wait_healthy(name: str, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        state = json.loads(docker("inspect", "--format", "{{json .State}}", name).stdout)
        status = state.get("Health", {}).get("Status")
        if status == "healthy":
            return time.monotonic() - started
        assert state["Running"], f"{name} stopped: {docker('logs', name, check=False).stderr[-3000:]}"
        time.sleep(1)
    raise AssertionError(
        f"{name} not healthy after {seconds} s: {docker('logs', name, check=False).stderr[-3000:]}"
    )


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.read()


def test_the_image_migrates_serves_and_reports_healthy(
    image: str, volume: str, containers: list[str]
) -> None:
    data = f"{volume}:/app/data"
    migrated = docker("run", "--rm", "-v", data, image, "db", "upgrade", timeout=300, check=False)
    assert migrated.returncode == 0, migrated.stderr[-3000:]

    name = f"{volume}-api"
    port = free_port()
    docker("run", "--detach", "--name", name, "-v", data, "-p", f"127.0.0.1:{port}:8000",
           "-e", f"SECRET_KEY={secrets.token_urlsafe(32)}", image)  # fmt: skip
    containers.append(name)
    took = wait_healthy(name, 180)
    print(f"healthy {took:.0f} s after start")

    assert get(f"http://127.0.0.1:{port}/health") == (200, b'{"status":"ok"}')
    status, page = get(f"http://127.0.0.1:{port}/")
    assert status == 200 and b'<div id="root">' in page  # the web app built in the Node stage
    status, body = get(f"http://127.0.0.1:{port}/api/search?q=shoes")
    assert status == 200 and "items" in json.loads(body)

    assert docker("exec", name, "id", "-u").stdout.strip() != "0"  # not root
    stopped = docker("stop", "--time", "30", name, timeout=60)
    assert stopped.returncode == 0
    assert docker("inspect", "--format", "{{.State.ExitCode}}", name).stdout.strip() == "0"  # SIGTERM: exit 0


def test_serve_refuses_the_development_secret_key_off_loopback(image: str) -> None:
    refused = docker("run", "--rm", image, timeout=120, check=False)
    assert refused.returncode == 2
    assert "refusing to serve on 0.0.0.0 with the development SECRET_KEY" in refused.stderr
