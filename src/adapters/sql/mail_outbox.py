"""SqlMailOutbox: the mail outbox in `mail_outbox`, on SQLite and PostgreSQL.

A row waits while `next_attempt_at` is set. Claiming moves it a lease ahead in one conditional
UPDATE, so of two deliverers reading the same rows only one claims each (PostgreSQL re-checks
the condition after waiting on the row lock; SQLite writes one at a time).
"""

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.tables import mail_outbox
from application.mail.ports import MailMessage, QueuedMail

CLAIM_SECONDS = 900.0  # longer than a batch takes; a deliverer that died frees its mail after it

_c = mail_outbox.c


def _queued(row: Any) -> QueuedMail:
    message = MailMessage(to=row.recipient, subject=row.subject, text=row.text, html=row.html)
    return QueuedMail(id=row.id, message=message, attempts=row.attempts, created_at=row.created_at)


class SqlMailOutbox:
    def __init__(self, engine: AsyncEngine, claim_seconds: float = CLAIM_SECONDS) -> None:
        self._engine = engine
        self._lease = timedelta(seconds=claim_seconds)

    async def add(self, message: MailMessage, now: datetime) -> int:
        row = {"recipient": message.to, "subject": message.subject, "text": message.text,
               "html": message.html, "status": "queued", "attempts": 0, "created_at": now,
               "next_attempt_at": now}  # fmt: skip
        async with self._engine.begin() as db:
            inserted = await db.execute(sa.insert(mail_outbox).values(**row).returning(_c.id))
            return int(inserted.scalar_one())

    async def due(self, now: datetime, limit: int) -> list[QueuedMail]:
        waiting = (
            sa.select(_c.id).where(_c.next_attempt_at <= now).order_by(_c.next_attempt_at, _c.id).limit(limit)
        )
        async with self._engine.begin() as db:
            ids = list((await db.execute(waiting)).scalars())
            if not ids:
                return []
            claim = (
                sa.update(mail_outbox)
                .where(_c.id.in_(ids), _c.next_attempt_at <= now)
                .values(next_attempt_at=now + self._lease)
                .returning(_c.id, _c.recipient, _c.subject, _c.text, _c.html, _c.attempts, _c.created_at)
            )
            claimed = (await db.execute(claim)).all()
        return sorted((_queued(row) for row in claimed), key=lambda q: q.id)

    async def sent(self, id: int, now: datetime) -> None:
        # The body may hold a live token: a sent message keeps only its envelope.
        await self._update(
            id, status="sent", sent_at=now, next_attempt_at=None, text="", html="", last_error=None
        )

    async def failed(self, id: int, error: str, retry_at: datetime | None) -> None:
        status = "queued" if retry_at is not None else "failed"
        await self._update(id, status=status, next_attempt_at=retry_at, last_error=error)

    async def _update(self, id: int, **values: Any) -> None:
        async with self._engine.begin() as db:
            await db.execute(
                sa.update(mail_outbox).where(_c.id == id).values(attempts=_c.attempts + 1, **values)
            )

    async def forget_address(self, address: str) -> None:
        """Every message to the address, sent or waiting (account deletion)."""
        async with self._engine.begin() as conn:
            await conn.execute(sa.delete(mail_outbox).where(mail_outbox.c.recipient == address))

    async def next_due(self) -> datetime | None:
        async with self._engine.connect() as db:
            earliest: datetime | None = (
                await db.execute(sa.select(sa.func.min(_c.next_attempt_at)))
            ).scalar()
        return earliest
