"""The image the Docker tests run, built once a session, and their helpers."""

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IMAGE = os.environ.get("DOCKER_TEST_IMAGE", "ecomsearch:test")

# The image and stack tests build for minutes and need a Docker daemon: `make test-docker` runs them
# (DOCKER_TEST=1); `make test` leaves them out instead of listing them as skipped.
if os.environ.get("DOCKER_TEST") != "1":
    collect_ignore = ["test_image.py", "test_compose_stack.py"]


def docker(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=check)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def image() -> str:
    build_args: list[str] = []
    for name in ("PYTHON_IMAGE", "NODE_IMAGE"):
        if os.environ.get(name):
            build_args += ["--build-arg", f"{name}={os.environ[name]}"]
    started = time.monotonic()
    # --network host: the build's npm ci and pip install reach the registries as this machine does.
    built = docker(
        "build", "--network", "host", *build_args, "-t", IMAGE, str(ROOT), timeout=1800, check=False
    )
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    print(f"image built in {time.monotonic() - started:.0f} s")
    return IMAGE
