"""The mail outbox in memory (the SQL outbox's rules: claims lease a message) and transports."""

from datetime import datetime, timedelta

import msgspec

from application.mail.ports import MailMessage, QueuedMail


class _Row(msgspec.Struct):
    id: int
    message: MailMessage
    created_at: datetime
    next_attempt_at: datetime | None
    status: str = "queued"
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None


class InMemoryMailOutbox:
    def __init__(self, claim_seconds: float = 900.0) -> None:
        self.rows: dict[int, _Row] = {}
        self.lease = timedelta(seconds=claim_seconds)
        self.broken = False

    async def add(self, message: MailMessage, now: datetime) -> int:
        if self.broken:
            raise ConnectionError("database away")
        mail_id = len(self.rows) + 1
        self.rows[mail_id] = _Row(id=mail_id, message=message, created_at=now, next_attempt_at=now)
        return mail_id

    async def due(self, now: datetime, limit: int) -> list[QueuedMail]:
        waiting = [
            r for r in self.rows.values() if r.next_attempt_at is not None and r.next_attempt_at <= now
        ]
        waiting.sort(key=lambda r: (r.next_attempt_at, r.id))
        claimed = []
        for row in waiting[:limit]:
            row.next_attempt_at = now + self.lease
            claimed.append(QueuedMail(row.id, row.message, row.attempts, row.created_at))
        return claimed

    async def sent(self, id: int, now: datetime) -> None:
        row = self.rows[id]
        row.status, row.sent_at, row.next_attempt_at, row.attempts = "sent", now, None, row.attempts + 1

    async def failed(self, id: int, error: str, retry_at: datetime | None) -> None:
        row = self.rows[id]
        row.status = "queued" if retry_at is not None else "failed"
        row.next_attempt_at, row.last_error, row.attempts = retry_at, error, row.attempts + 1

    async def next_due(self) -> datetime | None:
        times = [r.next_attempt_at for r in self.rows.values() if r.next_attempt_at is not None]
        return min(times, default=None)


class RecordingTransport:
    """Delivers into a list; fails the next `failures` sends, or every send to an address in `refuse`."""

    def __init__(self, failures: int = 0, refuse: frozenset[str] = frozenset()) -> None:
        self.delivered: list[tuple[MailMessage, str]] = []
        self.failures = failures
        self.refuse = refuse
        self.tries = 0

    async def send(self, message: MailMessage, sender: str) -> None:
        self.tries += 1
        if self.failures > 0 or message.to in self.refuse:
            self.failures = max(self.failures - 1, 0)
            raise ConnectionRefusedError(f"cannot reach the mail server for {message.to}")
        self.delivered.append((message, sender))


class FailingQueue:
    def names(self) -> frozenset[str]:
        return frozenset({"send_mail"})

    async def enqueue(self, name: str) -> str:
        raise ConnectionError("Redis away")
