"""The mail outbox on SQLite and PostgreSQL: stored, claimed once, retried, sent or given up,
with the same rules as the in-memory outbox (tests/unit/mail_fakes.py)."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.sql.engine import make_engine
from adapters.sql.mail_outbox import SqlMailOutbox
from adapters.sql.tables import mail_outbox
from application.mail.ports import MailMessage, QueuedMail

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MESSAGE = MailMessage(
    to="ada@example.com", subject="Reset – ünïcode", text="go: http://x/?token=t", html="<p>go</p>"
)


@pytest.fixture(params=["sqlite", "postgresql"])
async def outbox(request: pytest.FixtureRequest, make_database) -> AsyncIterator[SqlMailOutbox]:
    engine = make_engine(await make_database(request.param))
    yield SqlMailOutbox(engine, claim_seconds=600)
    await engine.dispose()


async def _row(outbox: SqlMailOutbox, mail_id: int) -> dict[str, object]:
    async with outbox._engine.connect() as db:
        row = (await db.execute(mail_outbox.select().where(mail_outbox.c.id == mail_id))).one()
    return dict(row._mapping)


async def test_a_message_is_stored_claimed_once_and_sent(outbox: SqlMailOutbox) -> None:
    first = await outbox.add(MESSAGE, T0)
    second = await outbox.add(MailMessage(to="bob@example.com", subject="s", text="t", html="h"), T0)
    assert second > first
    assert await outbox.next_due() == T0
    assert await outbox.due(T0 - timedelta(seconds=1), 10) == []

    claimed = await outbox.due(T0, 1)
    assert claimed == [QueuedMail(id=first, message=MESSAGE, attempts=0, created_at=T0)]
    # Claimed: not due again until the lease ends, which is when a dead deliverer's mail returns.
    assert [q.id for q in await outbox.due(T0, 10)] == [second]
    assert await outbox.due(T0 + timedelta(seconds=599), 10) == []
    assert await outbox.next_due() == T0 + timedelta(seconds=600)

    await outbox.sent(first, T0 + timedelta(seconds=5))
    row = await _row(outbox, first)
    assert (row["status"], row["attempts"], row["sent_at"], row["next_attempt_at"]) == (
        "sent", 1, T0 + timedelta(seconds=5), None,
    )  # fmt: skip
    assert (row["recipient"], row["subject"], row["text"], row["html"]) == (
        "ada@example.com",
        MESSAGE.subject,
        "",
        "",
    )
    assert [q.id for q in await outbox.due(T0 + timedelta(hours=1), 10)] == [second]


async def test_a_failure_is_retried_then_given_up(outbox: SqlMailOutbox) -> None:
    mail_id = await outbox.add(MESSAGE, T0)
    await outbox.due(T0, 10)
    await outbox.failed(mail_id, "ConnectionRefusedError: no", T0 + timedelta(minutes=1))
    assert await outbox.next_due() == T0 + timedelta(minutes=1)
    (retry,) = await outbox.due(T0 + timedelta(minutes=1), 10)
    assert (retry.id, retry.attempts, retry.message) == (mail_id, 1, MESSAGE)
    await outbox.failed(mail_id, "SMTPAuthenticationError: 535", None)
    row = await _row(outbox, mail_id)
    assert (row["status"], row["attempts"], row["last_error"], row["next_attempt_at"]) == (
        "failed", 2, "SMTPAuthenticationError: 535", None,
    )  # fmt: skip
    assert await outbox.next_due() is None
    assert await outbox.due(T0 + timedelta(days=1), 10) == []


async def test_concurrent_claims_take_each_message_once(outbox: SqlMailOutbox) -> None:
    ids = [await outbox.add(MESSAGE, T0) for _ in range(20)]
    batches = await asyncio.gather(*(outbox.due(T0, 8) for _ in range(4)))
    claimed = [q.id for batch in batches for q in batch]
    assert claimed and len(claimed) == len(set(claimed))  # none twice
    # A claimer that lost a race claims nothing of those rows; a later call takes what is left.
    rest = [q.id for q in await outbox.due(T0, 20)]
    assert sorted(claimed + rest) == ids
