"""QueueMail stores and asks for the job without ever failing the caller; DeliverMail sends what
is due, retries failures with doubling delays, and gives up after the last attempt."""

import asyncio
from datetime import timedelta

import pytest

from application.mail.ports import MailMessage
from application.mail.send_mail import SEND_MAIL, DeliverMail, DeliveryReport, MailDelivery, QueueMail
from tests.unit.fakes import FakeClock
from tests.unit.jobs_fakes import RecordingQueue
from tests.unit.mail_fakes import FailingQueue, InMemoryMailOutbox, RecordingTransport

CONFIG = MailDelivery(
    sender="Shop <shop@example.com>", max_attempts=4, retry_seconds=60, max_retry_seconds=150
)


def message(to: str = "ada@example.com") -> MailMessage:
    return MailMessage(to=to, subject="Hello", text="hi", html="<p>hi</p>")


async def test_queue_mail_stores_the_message_then_asks_for_the_job() -> None:
    outbox, jobs, clock = InMemoryMailOutbox(), RecordingQueue({SEND_MAIL}), FakeClock()
    mail_id = await QueueMail(outbox, jobs, clock)(message())
    assert mail_id is not None and outbox.rows[mail_id].message == message()
    assert outbox.rows[mail_id].next_attempt_at == clock.now()
    assert jobs.enqueued == [SEND_MAIL]


async def test_a_queue_that_fails_or_hangs_leaves_the_message_stored_for_the_periodic_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outbox, clock = InMemoryMailOutbox(), FakeClock()
    assert await QueueMail(outbox, FailingQueue(), clock)(message()) == 1

    class HangingQueue(FailingQueue):
        async def enqueue(self, name: str) -> str:
            await asyncio.sleep(60)
            return "never"

    monkeypatch.setattr("application.mail.send_mail.ENQUEUE_TIMEOUT_SECONDS", 0.05)
    assert await QueueMail(outbox, HangingQueue(), clock)(message("bob@example.com")) == 2
    assert [row.status for row in outbox.rows.values()] == ["queued", "queued"]
    # The periodic check asks for the job once the queue is back.
    jobs = RecordingQueue({SEND_MAIL})
    assert await QueueMail(outbox, jobs, clock).resume() is True
    assert jobs.enqueued == [SEND_MAIL]


async def test_an_outbox_that_fails_does_not_fail_the_caller() -> None:
    outbox, jobs = InMemoryMailOutbox(), RecordingQueue({SEND_MAIL})
    outbox.broken = True
    assert await QueueMail(outbox, jobs, FakeClock())(message()) is None
    assert jobs.enqueued == []


async def test_resume_asks_only_when_a_message_is_due() -> None:
    outbox, jobs, clock = InMemoryMailOutbox(), RecordingQueue({SEND_MAIL}), FakeClock()
    queue_mail = QueueMail(outbox, jobs, clock)
    assert await queue_mail.resume() is False  # nothing stored
    await outbox.add(message(), clock.now() + timedelta(minutes=5))
    assert await queue_mail.resume() is False  # a retry not yet due
    clock.advance(300)
    assert await queue_mail.resume() is True
    assert jobs.enqueued == [SEND_MAIL]


async def test_deliver_sends_every_due_message_from_the_sender_and_marks_it_sent() -> None:
    outbox, transport, clock = InMemoryMailOutbox(), RecordingTransport(), FakeClock()
    for to in ("a@example.com", "b@example.com", "c@example.com"):
        await outbox.add(message(to), clock.now())
    deliver = DeliverMail(outbox, transport, clock, MailDelivery(sender=CONFIG.sender, batch_size=2))
    assert await deliver() == DeliveryReport(sent=3)
    assert [(m.to, sender) for m, sender in transport.delivered] == [
        ("a@example.com", CONFIG.sender),
        ("b@example.com", CONFIG.sender),
        ("c@example.com", CONFIG.sender),
    ]
    assert {row.status for row in outbox.rows.values()} == {"sent"}
    assert await deliver() == DeliveryReport()  # nothing sent twice


async def test_a_failed_message_is_retried_after_doubling_delays_then_given_up() -> None:
    outbox, transport, clock = (
        InMemoryMailOutbox(),
        RecordingTransport(refuse=frozenset({"x@example.com"})),
        FakeClock(),
    )
    await outbox.add(message("x@example.com"), clock.now())
    await outbox.add(message("ok@example.com"), clock.now())
    deliver = DeliverMail(outbox, transport, clock, CONFIG)
    start = clock.now()

    assert await deliver() == DeliveryReport(sent=1, failed=1)
    row = outbox.rows[1]
    assert (row.status, row.attempts, row.next_attempt_at) == ("queued", 1, start + timedelta(seconds=60))
    assert row.last_error == "ConnectionRefusedError: cannot reach the mail server for x@example.com"

    assert await deliver() == DeliveryReport()  # not due yet
    waits = []
    for _ in range(2):
        due = outbox.rows[1].next_attempt_at
        assert due is not None
        waits.append((due - clock.now()).total_seconds())
        clock.current = due
        assert await deliver() == DeliveryReport(failed=1)
    assert waits == [60, 120]
    assert outbox.rows[1].next_attempt_at == clock.now() + timedelta(seconds=150)  # 240, capped

    clock.advance(150)
    assert await deliver() == DeliveryReport(gave_up=1)  # the fourth attempt was the last
    row = outbox.rows[1]
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 4, None)
    assert transport.tries == 5  # four for x, one for ok
    assert await outbox.next_due() is None


async def test_a_message_that_fails_once_goes_out_on_its_retry() -> None:
    outbox, transport, clock = InMemoryMailOutbox(), RecordingTransport(failures=1), FakeClock()
    await outbox.add(message(), clock.now())
    deliver = DeliverMail(outbox, transport, clock, CONFIG)
    assert await deliver() == DeliveryReport(failed=1)
    clock.advance(60)
    assert await deliver() == DeliveryReport(sent=1)
    assert [m for m, _ in transport.delivered] == [message()]
    assert outbox.rows[1].status == "sent"


async def test_a_zero_retry_delay_does_not_loop_within_one_run() -> None:
    outbox, transport, clock = InMemoryMailOutbox(), RecordingTransport(failures=100), FakeClock()
    await outbox.add(message(), clock.now())
    config = MailDelivery(max_attempts=5, retry_seconds=0)
    assert await DeliverMail(outbox, transport, clock, config)() == DeliveryReport(failed=1)
    assert transport.tries == 1


def test_retry_delays() -> None:
    config = MailDelivery(max_attempts=3, retry_seconds=60, max_retry_seconds=100)
    assert [config.retry_delay(n) for n in (1, 2, 3, 4)] == [60, 100, None, None]
