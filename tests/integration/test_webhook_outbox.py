"""Webhooks and their deliveries on SQLite and PostgreSQL: one delivery per subscriber, claimed
once (a lease), due again when a claim lapses, retried, given up, and none after a deletion."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.sql.engine import make_engine
from adapters.sql.webhook_store import DELETED, SqlDeliveryOutbox, SqlWebhookStore
from application.notifications.webhooks import NewWebhook

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def hook(url: str, *events: str) -> NewWebhook:
    return NewWebhook(url=url, events=events, description="ünïcode ok", secret=f"whsec_{url[-1]}",
                      created_at=T0, created_by="ada")  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
async def stores(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[SqlWebhookStore, SqlDeliveryOutbox]]:
    engine = make_engine(await make_database(request.param))
    yield SqlWebhookStore(engine), SqlDeliveryOutbox(engine, claim_seconds=600)
    await engine.dispose()


async def test_a_notice_makes_one_delivery_per_subscriber_claimed_once(stores) -> None:
    webhooks, outbox = stores
    a = await webhooks.add(hook("https://a.example/1", "model.promoted", "import.completed"))
    b = await webhooks.add(hook("https://b.example/2", "import.completed"))
    assert (a.secret, a.events, a.description) == (
        "whsec_1",
        ("model.promoted", "import.completed"),
        "ünïcode ok",
    )
    assert [w.id for w in await webhooks.active()] == [a.id, b.id]

    assert await outbox.add("experiment.readout", {"x": 1}, T0) == []  # nobody subscribes
    promoted = await outbox.add("model.promoted", {"version": "v1", "metrics": {"gain": 0.5}}, T0)
    imported = await outbox.add("import.completed", {"loaded": 3}, T0 + timedelta(seconds=1))
    assert len(promoted) == 1 and len(imported) == 2
    assert await outbox.next_due() == T0

    first = await outbox.due(T0, 10)
    assert [(d.id, d.url, d.secret, d.payload, d.attempts) for d in first] == [
        (promoted[0], a.url, "whsec_1", {"version": "v1", "metrics": {"gain": 0.5}}, 0)
    ]
    # Claimed: not due again until the lease ends (when a dead worker's delivery comes back).
    assert [d.id for d in await outbox.due(T0 + timedelta(seconds=1), 10)] == imported
    assert await outbox.due(T0 + timedelta(seconds=599), 10) == []
    lapsed = await outbox.due(T0 + timedelta(seconds=600), 10)
    assert [d.id for d in lapsed] == promoted

    await outbox.delivered(promoted[0], 204, T0 + timedelta(seconds=601))
    (record,) = [r for r in await outbox.log(a.id, 10) if r.id == promoted[0]]
    assert (record.status, record.attempts, record.last_status_code, record.next_attempt_at) == (
        "delivered", 1, 204, None,
    )  # fmt: skip
    assert record.delivered_at == T0 + timedelta(seconds=601) and record.event == "model.promoted"
    assert [r.id for r in await outbox.log(a.id, 10)] == [imported[0], promoted[0]]  # newest first
    assert [r.id for r in await outbox.log(a.id, 1)] == [imported[0]]


async def test_a_failure_is_retried_when_due_then_given_up(stores) -> None:
    webhooks, outbox = stores
    a = await webhooks.add(hook("https://a.example/1", "model.promoted"))
    (delivery_id,) = await outbox.add("model.promoted", {}, T0)
    await outbox.due(T0, 10)
    await outbox.failed(delivery_id, 500, "HTTP 500", T0 + timedelta(seconds=30))
    assert await outbox.next_due() == T0 + timedelta(seconds=30)
    assert await outbox.due(T0 + timedelta(seconds=29), 10) == []
    (retry,) = await outbox.due(T0 + timedelta(seconds=30), 10)
    assert (retry.id, retry.attempts) == (delivery_id, 1)
    await outbox.failed(delivery_id, None, "ConnectError: refused", None)
    (record,) = await outbox.log(a.id, 10)
    assert (record.status, record.attempts, record.last_status_code, record.last_error) == (
        "failed", 2, None, "ConnectError: refused",
    )  # fmt: skip
    assert await outbox.next_due() is None
    assert await outbox.due(T0 + timedelta(days=1), 10) == []


async def test_concurrent_claims_take_each_delivery_once(stores) -> None:
    webhooks, outbox = stores
    await webhooks.add(hook("https://a.example/1", "import.completed"))
    ids = [i for _ in range(20) for i in await outbox.add("import.completed", {}, T0)]
    batches = await asyncio.gather(*(outbox.due(T0, 8) for _ in range(4)))
    claimed = [d.id for batch in batches for d in batch]
    assert claimed and len(claimed) == len(set(claimed))
    rest = [d.id for d in await outbox.due(T0, 20)]
    assert sorted(claimed + rest) == ids


async def test_a_deleted_webhook_gets_no_more_deliveries(stores) -> None:
    webhooks, outbox = stores
    a = await webhooks.add(hook("https://a.example/1", "model.promoted"))
    b = await webhooks.add(hook("https://b.example/2", "model.promoted"))
    waiting = await outbox.add("model.promoted", {}, T0)
    (in_flight,) = await outbox.due(T0, 1)  # a's delivery, claimed by a worker
    gone = await webhooks.deactivate(a.id)
    assert gone is not None and gone.url == a.url
    assert await webhooks.deactivate(a.id) is None and await webhooks.get(a.id) is None
    assert [w.id for w in await webhooks.active()] == [b.id]
    # The claimed attempt fails after the deletion: it stays given up, it is not rescheduled.
    await outbox.failed(in_flight.id, 500, "HTTP 500", T0 + timedelta(seconds=30))
    (record,) = await outbox.log(a.id, 10)
    assert (record.status, record.last_error, record.next_attempt_at) == ("failed", DELETED, None)
    assert [d.id for d in await outbox.due(T0 + timedelta(days=1), 10)] == [waiting[1]]
    assert await outbox.add("model.promoted", {}, T0) == [waiting[1] + 1]  # b only
