"""What an operator watches: GET /metrics, the X-Request-ID header, and JSON log lines."""

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families

from entrypoints.settings import Settings
from tests.e2e.shop import open_shop
from tests.e2e.test_http_admin_products import bearer, token_for
from tests.e2e.test_http_search import assert_error

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture(scope="module")
async def shop(make_database) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    env = {"EVENT_RATE_LIMIT": "0", "SEARCH_RATE_LIMIT": "0"}
    async for opened in open_shop(make_database, "sqlite", env=env):
        yield opened


async def scrape(client: AsyncTestClient) -> tuple[set[str], Samples]:
    """The families scraped, and every sample by name and labels, read with prometheus-client's parser."""
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    families = list(text_string_to_metric_families(response.text))
    samples = {(s.name, frozenset(s.labels.items())): s.value for family in families for s in family.samples}
    return {family.name for family in families}, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_count_requests_searches_events_and_jobs(shop) -> None:
    client, settings = shop
    client.cookies.clear()
    _, before = await scrape(client)
    for _ in range(2):  # the second is answered from the result cache
        assert (await client.get("/api/search", params={"q": "wireless headphones"})).status_code == 200
    assert (await client.get("/api/products/HP-001")).status_code == 200
    assert (await client.get("/api/products/NO-SUCH-SKU")).status_code == 404
    assert (await client.post("/api/events", json={"type": "click", "sku": "HP-001"})).status_code == 202
    assert (await client.post("/api/events", json={"type": "click", "sku": "NO-SUCH"})).status_code == 404
    admin = bearer(await token_for(client, settings, "metrics-admin", admin=True))
    assert (await client.post("/api/admin/jobs/rollup", headers=admin)).status_code == 202

    for _ in range(100):  # the job runs in this process's background
        names, after = await scrape(client)
        if value(after, "ecomsearch_job_runs_total", job="rollup", status="done"):
            break
        await asyncio.sleep(0.1)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    # Requests by route template, never the raw path.
    assert moved("ecomsearch_http_requests_total", method="GET", route="/api/search", status="200") == 2
    product = "/api/products/{sku}"
    assert moved("ecomsearch_http_requests_total", method="GET", route=product, status="200") == 1
    assert moved("ecomsearch_http_requests_total", method="GET", route=product, status="404") == 1
    assert not any("HP-001" in str(labels) for _, labels in after)
    count = "ecomsearch_http_request_duration_seconds_count"
    assert moved(count, method="GET", route="/api/search", status="200") == 2
    assert value(after, "ecomsearch_http_request_duration_seconds_bucket", method="GET",
                 route="/api/search", status="200", le="+Inf") >= 2  # fmt: skip
    # One computed search: every stage ran once (the cached repeat ran none).
    for stage in ("parse", "match", "score", "rank", "facets"):
        assert moved("ecomsearch_search_stage_seconds_count", stage=stage) == 1, stage
    assert moved("ecomsearch_cache_reads_total", result="hit") >= 1
    assert moved("ecomsearch_cache_reads_total", result="miss") >= 1
    assert moved("ecomsearch_events_total", type="click", outcome="accepted") == 1
    assert moved("ecomsearch_events_total", type="click", outcome="unknown_product") == 1
    assert moved("ecomsearch_job_runs_total", job="rollup", status="done") == 1
    assert moved("ecomsearch_job_duration_seconds_count", job="rollup", status="done") == 1
    assert value(after, "ecomsearch_db_pool_connections", state="size") >= 1
    assert {"ecomsearch_ranking_model", "ecomsearch_ranking_model_age_seconds"} <= names
    # This client had no anonymous id: its first request made it a new visitor of one arm.
    assigned = sum(
        moved("ecomsearch_experiment_assignments_total", arm=arm) for arm in settings.experiment.arms
    )
    assert assigned >= 1
    # Scrapes are not counted as traffic.
    assert not any(dict(labels).get("route") == "/metrics" for _, labels in after)


async def test_every_answer_carries_a_request_id(shop) -> None:
    client, _ = shop
    answers = [
        await client.get("/api/search", params={"q": "headphones"}),
        await client.get("/api/search", params={"page": "0"}),  # 400 from the use case
        await client.get("/api/no-such-route"),  # the router's 404
        await client.delete("/health"),  # the router's 405
        await client.post("/api/events", content=b"x", headers={"Content-Type": "text/plain"}),  # 415
        await client.get("/metrics"),
    ]
    ids = [answer.headers.get("x-request-id") for answer in answers]
    assert [a.status_code for a in answers] == [200, 400, 404, 405, 415, 200]
    assert all(rid and len(rid) == 32 for rid in ids), ids
    assert len(set(ids)) == len(ids)  # a new one for each request


@pytest.mark.parametrize("sent", ["abc-123", "trace.id:7/x", "A" * 128])
async def test_the_clients_sensible_id_is_echoed(shop, sent: str) -> None:
    client, _ = shop
    for response in (
        await client.get("/health", headers={"X-Request-ID": sent}),
        await client.get("/api/nothing-here", headers={"X-Request-ID": sent}),
    ):
        assert response.headers["x-request-id"] == sent


@pytest.mark.parametrize("sent", ["", "A" * 129, "has space", "tab\there", "é"])
async def test_an_unusable_client_id_is_replaced(shop, sent: str) -> None:
    client, _ = shop
    response = await client.get("/health", headers={"X-Request-ID": sent.encode("utf-8")})
    rid = response.headers["x-request-id"]
    assert rid != sent and len(rid) == 32 and rid.isalnum()


async def test_json_log_lines_carry_the_request_id(make_database, capsys: pytest.CaptureFixture[str]) -> None:
    env = {"LOG_FORMAT": "json", "SEARCH_RATE_LIMIT": "0"}
    async for client, _ in open_shop(make_database, "sqlite", env=env):
        ok = await client.get("/api/search", params={"q": "headphones"}, headers={"X-Request-ID": "req-ok-1"})
        missing = await client.get("/api/products/NO-SUCH", headers={"X-Request-ID": "req-404-2"})
        assert ok.status_code == 200 and missing.status_code == 404
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    access = {r["request_id"]: r for r in records if r["logger"] == "ecomsearch.access"}
    assert access["req-ok-1"]["route"] == "/api/search" and access["req-ok-1"]["status"] == 200
    assert access["req-404-2"]["status"] == 404 and access["req-404-2"]["route"] == "/api/products/{sku}"
    for record in access.values():
        assert {"time", "level", "logger", "message", "duration_ms", "method", "path"} <= set(record)
        assert record["level"] == "INFO"
    # Lines written outside a request (the app's start) carry no request id.
    assert any("request_id" not in r for r in records)


async def test_a_metrics_token_keeps_other_scrapers_out(make_database) -> None:
    env = {"METRICS_TOKEN": "s3cret-scrape"}
    async for client, _ in open_shop(make_database, "sqlite", env=env):
        assert_error(await client.get("/metrics"), 401)
        assert_error(await client.get("/metrics", headers={"Authorization": "Bearer wrong"}), 401)
        allowed = await client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape"})
        assert allowed.status_code == 200 and "ecomsearch_http_requests" in allowed.text
