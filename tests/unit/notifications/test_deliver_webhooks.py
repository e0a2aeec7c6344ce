"""DeliverWebhooks signs and sends what is due, retries failures with doubling delays, gives up
after the last attempt; WebhookNotices stores and asks for the job, never failing the caller."""

import asyncio
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import msgspec
import pytest

from application.notifications.deliver_webhooks import DeliverWebhooks, WebhookReport
from application.notifications.delivery_config import WebhookDelivery
from application.notifications.publish_notices import SEND_WEBHOOKS, WebhookNotices
from application.notifications.signing import verify
from application.notifications.webhooks import DeliveryRecord, DueDelivery
from tests.unit.fakes import FakeClock
from tests.unit.jobs_fakes import RecordingQueue
from tests.unit.mail_fakes import FailingQueue

CONFIG = WebhookDelivery(max_attempts=3, retry_seconds=30, max_retry_seconds=45)


class _Row(msgspec.Struct):
    id: int
    event: str
    payload: dict[str, Any]
    created_at: datetime
    next_attempt_at: datetime | None
    status: str = "pending"
    attempts: int = 0
    code: int | None = None
    error: str | None = None


class FakeOutbox:
    """One subscriber at `url`; claims lease a row like the SQL outbox."""

    def __init__(self, url: str = "https://hooks.example.com/in", lease: float = 300.0) -> None:
        self.rows: dict[int, _Row] = {}
        self.url = url
        self.lease = timedelta(seconds=lease)
        self.broken = False

    async def add(self, kind: str, data: Mapping[str, object], now: datetime) -> list[int]:
        if self.broken:
            raise ConnectionError("database away")
        row = _Row(id=len(self.rows) + 1, event=kind, payload=dict(data), created_at=now, next_attempt_at=now)
        self.rows[row.id] = row
        return [row.id]

    async def due(self, now: datetime, limit: int) -> list[DueDelivery]:
        rows = [r for r in self.rows.values() if r.next_attempt_at is not None and r.next_attempt_at <= now]
        out = []
        for r in sorted(rows, key=lambda r: (r.next_attempt_at, r.id))[:limit]:
            r.next_attempt_at = now + self.lease
            out.append(DueDelivery(id=r.id, event=r.event, payload=r.payload, attempts=r.attempts,
                                   created_at=r.created_at, url=self.url, secret="whsec_s"))  # fmt: skip
        return out

    async def delivered(self, id: int, status_code: int, now: datetime) -> None:
        row = self.rows[id]
        row.status, row.code, row.next_attempt_at, row.attempts = (
            "delivered",
            status_code,
            None,
            row.attempts + 1,
        )

    async def failed(self, id: int, status_code: int | None, error: str, retry_at: datetime | None) -> None:
        row = self.rows[id]
        row.status = "pending" if retry_at else "failed"
        row.code, row.error, row.next_attempt_at, row.attempts = (
            status_code,
            error,
            retry_at,
            row.attempts + 1,
        )

    async def next_due(self) -> datetime | None:
        due = [r.next_attempt_at for r in self.rows.values() if r.next_attempt_at is not None]
        return min(due, default=None)

    async def log(self, webhook_id: int, limit: int) -> list[DeliveryRecord]:
        return []


class FakeSender:
    def __init__(self, answers: list[int | Exception]) -> None:
        self.answers = answers
        self.posts: list[tuple[str, bytes, dict[str, str]]] = []

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        self.posts.append((url, body, dict(headers)))
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, Exception):
            raise answer
        return answer


async def test_a_notice_is_stored_then_the_job_asked_for() -> None:
    outbox, jobs, clock = FakeOutbox(), RecordingQueue({SEND_WEBHOOKS}), FakeClock()
    await WebhookNotices(outbox, lambda: jobs, clock).publish(
        "model.promoted", {"version": "v1", "at": clock.now()}
    )
    (row,) = outbox.rows.values()
    assert row.payload == {"version": "v1", "at": clock.now().isoformat().replace("+00:00", "Z")}
    assert jobs.enqueued == [SEND_WEBHOOKS]


async def test_publishing_never_raises_into_its_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    outbox, clock = FakeOutbox(), FakeClock()
    await WebhookNotices(outbox, FailingQueue, clock).publish("model.promoted", {})  # queue away
    assert len(outbox.rows) == 1  # stored: the periodic check asks for the job later
    jobs = RecordingQueue({SEND_WEBHOOKS})
    assert await WebhookNotices(outbox, lambda: jobs, clock).resume() is True

    class HangingQueue(FailingQueue):
        async def enqueue(self, name: str) -> str:
            await asyncio.sleep(60)
            return "never"

    monkeypatch.setattr("application.notifications.publish_notices.ENQUEUE_TIMEOUT_SECONDS", 0.05)
    await WebhookNotices(outbox, HangingQueue, clock).publish("import.completed", {})
    outbox.broken = True
    await WebhookNotices(outbox, lambda: jobs, clock).publish("import.completed", {})  # logged, dropped
    await WebhookNotices(outbox, lambda: jobs, clock).publish("no.such.kind", {})
    assert len(outbox.rows) == 2 and jobs.enqueued == [SEND_WEBHOOKS]


async def test_a_delivery_is_signed_with_its_id_and_event() -> None:
    outbox, clock = FakeOutbox(), FakeClock()
    await outbox.add("experiment.readout", {"verdict": "B wins"}, clock.now())
    sender = FakeSender([204])
    assert await DeliverWebhooks(outbox, sender, clock, CONFIG)() == WebhookReport(delivered=1)
    ((url, body, headers),) = sender.posts
    assert url == outbox.url and headers["X-Ecomsearch-Event"] == "experiment.readout"
    assert headers["X-Ecomsearch-Delivery"] == "1" and headers["Content-Type"] == "application/json"
    now = int(clock.now().timestamp())
    assert verify("whsec_s", headers["X-Ecomsearch-Signature"], body, now=now)
    assert msgspec.json.decode(body) == {
        "id": 1, "event": "experiment.readout", "created_at": "2026-01-15T12:00:00Z", "data": {"verdict": "B wins"},
    }  # fmt: skip
    assert outbox.rows[1].status == "delivered" and outbox.rows[1].code == 204


async def test_failures_back_off_then_give_up_and_the_body_stays_the_same() -> None:
    outbox, clock = FakeOutbox(), FakeClock()
    await outbox.add("model.promoted", {"version": "v2"}, clock.now())
    sender = FakeSender([500, ConnectionRefusedError("refused"), 503])
    deliver = DeliverWebhooks(outbox, sender, clock, CONFIG)
    assert await deliver() == WebhookReport(failed=1)
    row = outbox.rows[1]
    assert (row.status, row.code, row.error) == ("pending", 500, "HTTP 500")
    assert row.next_attempt_at == clock.now() + timedelta(seconds=30)
    assert await deliver() == WebhookReport()  # not due yet
    clock.advance(30)
    assert await deliver() == WebhookReport(failed=1)
    assert (row.code, row.error) == (None, "ConnectionRefusedError: refused")
    assert row.next_attempt_at == clock.now() + timedelta(seconds=45)  # 60, capped
    clock.advance(45)
    assert await deliver() == WebhookReport(gave_up=1)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 3, None)
    assert len({body for _, body, _ in sender.posts}) == 1  # receivers see one delivery, resent


async def test_a_redirect_is_a_failure_and_a_host_not_allowed_gets_no_request() -> None:
    outbox, clock = FakeOutbox(), FakeClock()
    await outbox.add("model.promoted", {}, clock.now())
    sender = FakeSender([302])
    assert await DeliverWebhooks(outbox, sender, clock, CONFIG)() == WebhookReport(failed=1)
    limited = msgspec.structs.replace(CONFIG, allowed_hosts=("127.0.0.1",))
    clock.advance(30)
    assert await DeliverWebhooks(outbox, sender, clock, limited)() == WebhookReport(gave_up=1)
    assert len(sender.posts) == 1 and "WEBHOOK_ALLOWED_HOSTS" in (outbox.rows[1].error or "")


async def test_a_batch_is_sent_concurrently_and_every_batch_until_none_is_due() -> None:
    outbox, clock = FakeOutbox(), FakeClock()
    for n in range(5):
        await outbox.add("import.completed", {"n": n}, clock.now())
    sender = FakeSender([200, 500, 200, 200, 200])
    report = await DeliverWebhooks(outbox, sender, clock, msgspec.structs.replace(CONFIG, batch_size=2))()
    assert report == WebhookReport(delivered=4, failed=1)


async def test_a_run_takes_no_new_batch_once_its_time_is_up() -> None:
    outbox, clock = FakeOutbox(), FakeClock()
    for n in range(6):
        await outbox.add("import.completed", {"n": n}, clock.now())

    class SlowSender(FakeSender):
        async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
            clock.advance(10)  # a batch of two takes 20 s here
            return await super().post(url, body, headers)

    config = msgspec.structs.replace(CONFIG, batch_size=2, run_seconds=60)
    assert await DeliverWebhooks(outbox, SlowSender([]), clock, config)() == WebhookReport(delivered=6)
    for n in range(6):
        await outbox.add("import.completed", {"n": n}, clock.now())
    config = msgspec.structs.replace(config, run_seconds=30)
    assert await DeliverWebhooks(outbox, SlowSender([]), clock, config)() == WebhookReport(delivered=4)
    assert await outbox.next_due() is not None  # the rest waits for the minute check
