"""Webhooks through HTTP on both databases: an administrator registers a receiver (a local
server that verifies the signatures), the readout job publishes, the `send_webhooks` job
delivers; a failing receiver gets the delivery on a retry; a deleted webhook gets nothing more."""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.container import Container, build_container, close_container
from entrypoints.settings import Settings
from tests.e2e.shop import open_shop, shopper
from tests.e2e.test_http_admin_products import bearer, token_for
from tests.e2e.test_http_search import assert_error
from tests.e2e.webhook_receiver import Receiver, receiving

BASE = "/api/admin/webhooks"
# Deliveries go to the test's own receiver only; a retry is due 0.2 s after a failure.
ENV = {"WEBHOOK_ALLOWED_HOSTS": "127.0.0.1", "WEBHOOK_RETRY_SECONDS": "0.2", "WEBHOOK_TIMEOUT_SECONDS": "5"}


@pytest.fixture(params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    monkeypatch.setattr("entrypoints.schedule.WEBHOOK_CHECK_SECONDS", 0.1)  # the minute check, faster
    async for opened in open_shop(make_database, request.param, (), env=ENV):
        yield opened


@pytest.fixture
async def worker(shop) -> AsyncIterator[Container]:
    """Another process of the shop (the worker's role): it publishes, and its in-process queue
    runs the jobs; the API's own schedule sends the retries."""
    container = build_container(shop[1])
    yield container
    await close_container(container)


async def admin_of(shop) -> dict[str, str]:
    client, settings = shop
    return bearer(await token_for(client, settings, "integrator", admin=True))


async def register(
    client: AsyncTestClient, admin: dict[str, str], receiver: Receiver, events: list[str]
) -> dict[str, Any]:
    response = await client.post(BASE, json={"url": receiver.url, "events": events}, headers=admin)
    assert response.status_code == 201, response.text
    receiver.secret = response.json()["secret"]
    return response.json()


async def until(check: Callable[[], Any], seconds: float = 20.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def settled(worker: Container) -> None:
    """Wait for the worker's jobs: the test client blocks this loop while the API answers, so a
    job left mid-transaction here would hold SQLite's write lock against the API."""
    await asyncio.gather(*worker.job_queue().tasks.values())


async def deliveries(client: AsyncTestClient, admin: dict[str, str], webhook_id: int) -> list[dict[str, Any]]:
    response = await client.get(f"{BASE}/{webhook_id}/deliveries", headers=admin)
    assert response.status_code == 200, response.text
    return response.json()["deliveries"]


async def test_register_list_and_delete_with_their_refusals(shop) -> None:
    client, _ = shop
    admin = await admin_of(shop)
    body = {"url": "http://127.0.0.1:9/in", "events": ["model.promoted"], "description": "ERP"}
    assert assert_error(await client.post(BASE, json=body), 401)["error"]["code"] == "not_authenticated"
    refused = await client.post(BASE, json=body, headers=await shopper(client, "ann"))
    assert assert_error(refused, 403)["error"]["code"] == "forbidden"
    for bad, field in [
        ({**body, "url": "ftp://127.0.0.1/in"}, "url"),
        ({**body, "url": "https://hooks.example.com/in"}, "url"),  # not in WEBHOOK_ALLOWED_HOSTS
        ({**body, "events": []}, "events"),
        ({**body, "events": ["order.paid"]}, "events[0]"),
        ({**body, "secret": "mine"}, None),
    ]:
        assert_error(await client.post(BASE, json=bad, headers=admin), 400, field)
    assert (await client.get(BASE, headers=admin)).json() == {"webhooks": []}

    created = await client.post(
        BASE, json={**body, "events": ["model.promoted", "import.completed"]}, headers=admin
    )
    assert created.status_code == 201, created.text
    webhook = created.json()
    assert webhook["secret"].startswith("whsec_") and webhook["created_by"] == "integrator"
    assert webhook["events"] == ["import.completed", "model.promoted"]
    listed = (await client.get(BASE, headers=admin)).json()["webhooks"]
    assert listed == [{k: v for k, v in webhook.items() if k != "secret"}]  # shown once only
    assert await deliveries(client, admin, webhook["id"]) == []
    audit = (await client.get("/api/admin/audit", headers=admin)).json()["entries"]
    assert audit[0]["action"] == "webhook.create" and audit[0]["target"] == str(webhook["id"])
    assert "secret" not in audit[0]["details"] and webhook["secret"] not in str(audit[0])

    assert (await client.delete(f"{BASE}/{webhook['id']}", headers=admin)).status_code == 204
    for again in (
        client.delete(f"{BASE}/{webhook['id']}", headers=admin),
        client.get(f"{BASE}/{webhook['id']}/deliveries", headers=admin),
    ):
        assert assert_error(await again, 404)["error"]["code"] == "webhook_not_found"
    assert (await client.get(BASE, headers=admin)).json() == {"webhooks": []}
    audit = (await client.get("/api/admin/audit", headers=admin)).json()["entries"]
    assert audit[0]["action"] == "webhook.delete"


async def test_the_readout_is_delivered_signed_to_its_subscriber(shop, worker: Container) -> None:
    client, _ = shop
    admin = await admin_of(shop)
    with receiving() as receiver, receiving() as bystander:
        webhook = await register(client, admin, receiver, ["experiment.readout"])
        await register(client, admin, bystander, ["model.promoted"])
        # As the daily schedule does (the job is not one the API starts).
        await worker.job_queue().enqueue("publish_readout")
        (call,) = await until(receiver.delivered)
        await settled(worker)
        assert call["verified"]
        headers, body = call["headers"], call["body"]
        assert headers["X-Ecomsearch-Event"] == "experiment.readout" == body["event"]
        assert headers["X-Ecomsearch-Delivery"] == str(body["id"])
        assert {"verdict", "arms", "comparison", "sample_ratio", "days"} <= set(body["data"])
        await asyncio.sleep(0.2)
        assert bystander.calls == []  # subscribed to something else
    (record,) = await deliveries(client, admin, webhook["id"])
    assert (record["id"], record["status"], record["attempts"], record["last_status_code"]) == (
        body["id"], "delivered", 1, 200,
    )  # fmt: skip


async def test_a_failing_receiver_gets_the_delivery_on_a_retry(shop, worker: Container) -> None:
    client, _ = shop
    admin = await admin_of(shop)
    with receiving(answers=[500]) as receiver:
        webhook = await register(client, admin, receiver, ["model.promoted"])
        notices = worker.change_notices()
        await notices.publish("model.promoted", {"version": "v-test", "metrics": {"gain": 0.31}})
        await settled(worker)  # the first attempt, answered 500; the API's check retries it
        (call,) = await until(receiver.delivered)
        first, second = receiver.calls
        assert first["status"] == 500 and second is call and call["verified"]
        assert first["body"] == second["body"]  # the same delivery, same id
        assert call["body"]["data"] == {"version": "v-test", "metrics": {"gain": 0.31}}
    (record,) = await deliveries(client, admin, webhook["id"])
    assert (record["status"], record["attempts"], record["last_status_code"], record["last_error"]) == (
        "delivered", 2, 200, None,
    )  # fmt: skip


async def test_a_deleted_webhook_gets_no_more_deliveries(shop, worker: Container) -> None:
    client, _ = shop
    admin = await admin_of(shop)
    with receiving() as kept, receiving() as dropped:
        await register(client, admin, kept, ["import.completed"])
        gone = await register(client, admin, dropped, ["import.completed"])
        notices = worker.change_notices()
        await notices.publish("import.completed", {"job_id": "one"})
        await until(lambda: kept.delivered() and dropped.delivered())
        await settled(worker)
        assert (await client.delete(f"{BASE}/{gone['id']}", headers=admin)).status_code == 204
        await notices.publish("import.completed", {"job_id": "two"})
        await until(lambda: len(kept.delivered()) == 2)
        await settled(worker)
        await asyncio.sleep(0.3)  # a few periodic checks
        assert [c["body"]["data"]["job_id"] for c in dropped.calls] == ["one"]
        assert [c["body"]["data"]["job_id"] for c in kept.delivered()] == ["one", "two"]
