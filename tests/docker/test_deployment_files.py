"""compose.yaml, the Dockerfile and the nginx config keep the topology of `make cluster` and keep
secrets out of the repository. Plain file checks: no Docker needed (tests/docker/test_image.py
builds and runs the image)."""

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
APPS = ("api1", "api2", "worker1", "worker2")


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_the_cluster_topology() -> None:
    services = compose()["services"]
    assert set(services) == {
        "postgres-primary", "postgres-replica", "redis", "migrate", "api1", "api2", "worker1", "worker2", "nginx"
    }  # fmt: skip
    assert services["api1"]["command"] == services["api2"]["command"] == ["serve"]
    assert services["worker1"]["command"] == services["worker2"]["command"] == ["worker"]
    for name in (*APPS, "migrate"):
        env = services[name]["environment"]
        assert "@postgres-primary:5432/" in env["DATABASE_URL"]
        assert "@postgres-replica:5432/" in env["DATABASE_READ_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:")


def test_services_start_in_order_and_report_health() -> None:
    services = compose()["services"]

    def waits_for(name: str) -> dict[str, str]:
        return {dep: rule["condition"] for dep, rule in services[name].get("depends_on", {}).items()}

    assert waits_for("postgres-replica") == {"postgres-primary": "service_healthy"}
    assert waits_for("migrate") == {"postgres-primary": "service_healthy", "redis": "service_healthy"}
    for name in APPS:
        assert waits_for(name) == {
            "migrate": "service_completed_successfully",
            "postgres-replica": "service_healthy",
            "redis": "service_healthy",
        }
    assert waits_for("nginx") == {"api1": "service_healthy", "api2": "service_healthy"}
    # Every long-running service has a health check: its own, or the image's HEALTHCHECK.
    assert "HEALTHCHECK" in (ROOT / "Dockerfile").read_text()
    for name in ("postgres-primary", "postgres-replica", "redis", "nginx"):
        assert services[name]["healthcheck"]["test"]
    for name in APPS:
        assert not services[name].get("healthcheck", {}).get("disable")
    assert services["worker1"]["environment"]["HEALTHCHECK_URL"].endswith(
        f":{services['worker1']['environment']['WORKER_METRICS_PORT']}/metrics"
    )


def test_no_secret_is_written_in_the_files() -> None:
    services = compose()["services"]
    required = re.compile(r"^\$\{(\w+):\?[^}]+\}$")  # compose refuses to start without it
    for name in (*APPS, "migrate"):
        assert required.match(services[name]["environment"]["SECRET_KEY"]).group(1) == "SECRET_KEY"
    assert required.match(services["postgres-primary"]["environment"]["POSTGRES_PASSWORD"])
    for name in ("postgres-primary", "postgres-replica"):
        assert required.match(services[name]["environment"]["REPLICATION_PASSWORD"])
    rules = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and line[0] != "#"]
    assert rules[0] == "*"  # the build context holds only what is named after it: never a .env
    assert not any(".env" in line for line in rules)


def test_the_image_runs_as_a_user_and_nginx_fronts_both_apis() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER (\S+)$", dockerfile, flags=re.M)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^FROM \$\{NODE_IMAGE\} AS web$", dockerfile, flags=re.M)
    assert re.search(r"^FROM \$\{PYTHON_IMAGE\} AS runtime$", dockerfile, flags=re.M)
    assert "ECOMSEARCH_HOST=0.0.0.0" in dockerfile
    nginx = (ROOT / "deploy" / "docker" / "nginx.conf").read_text()
    assert re.findall(r"server (api\d):8000", nginx) == ["api1", "api2"]
    assert "listen 8080;" in nginx and compose()["services"]["nginx"]["ports"][0].endswith(":8080")
