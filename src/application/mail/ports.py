"""The mail ports: a transport that delivers one message, and the durable outbox it is sent from."""

from datetime import datetime
from typing import Protocol

import msgspec


class MailMessage(msgspec.Struct, frozen=True):
    to: str
    subject: str
    text: str
    html: str


class QueuedMail(msgspec.Struct, frozen=True):
    id: int
    message: MailMessage
    attempts: int  # delivery attempts that failed so far
    created_at: datetime


class MailTransport(Protocol):
    async def send(self, message: MailMessage, sender: str) -> None:
        """Deliver the message; raises when it was not accepted."""
        ...


class MailOutbox(Protocol):
    """Messages waiting to go out, kept in the database so a restart loses none."""

    async def add(self, message: MailMessage, now: datetime) -> int:
        """Store a message due at once; returns its id."""
        ...

    async def due(self, now: datetime, limit: int) -> list[QueuedMail]:
        """Claim up to `limit` messages due by `now`, oldest first. A claimed message is not due
        again for the claim's lease, so two deliverers never send it twice; one whose deliverer
        died comes back when the lease ends."""
        ...

    async def sent(self, id: int, now: datetime) -> None:
        """Delivered: kept as a record without its body (which may carry a live token)."""
        ...

    async def failed(self, id: int, error: str, retry_at: datetime | None) -> None:
        """One more failed attempt: due again at `retry_at`, or given up when it is None."""
        ...

    async def next_due(self) -> datetime | None:
        """When the earliest waiting message is due; None when none waits."""
        ...
