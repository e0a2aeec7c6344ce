"""Webhooks: the shop's own endpoints told of change notices, and the deliveries that carry them."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

import msgspec

MAX_URL = 2000
MAX_DESCRIPTION = 500
MAX_WEBHOOKS = 100  # every notice is written once per subscriber
MAX_ERROR = 500


class Webhook(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    url: str
    events: tuple[str, ...]
    description: str | None
    created_at: datetime
    created_by: str
    secret: str  # signs the deliveries; shown to the administrator only at creation


class NewWebhook(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    events: tuple[str, ...]
    description: str | None
    secret: str
    created_at: datetime
    created_by: str


class DeliveryRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One notice to one webhook, as the delivery log shows it."""

    id: int
    webhook: int
    event: str
    status: str  # "pending", "delivered" or "failed"
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class DueDelivery(msgspec.Struct, frozen=True, kw_only=True):
    """A claimed delivery with what sending it needs."""

    id: int
    event: str
    payload: dict[str, Any]
    attempts: int  # failed attempts so far
    created_at: datetime
    url: str
    secret: str


class WebhookStore(Protocol):
    async def add(self, webhook: NewWebhook) -> Webhook: ...

    async def active(self) -> list[Webhook]:
        """Every webhook not deleted, oldest first (secrets included)."""
        ...

    async def get(self, webhook_id: int) -> Webhook | None:
        """An active webhook, or None."""
        ...

    async def deactivate(self, webhook_id: int) -> Webhook | None:
        """Delete: it gets no more deliveries and its waiting ones are given up. None when it
        was not active."""
        ...


class DeliveryOutbox(Protocol):
    """Deliveries kept in the database, so a worker's restart loses none."""

    async def add(self, kind: str, data: Mapping[str, object], now: datetime) -> list[int]:
        """One pending delivery, due at once, for each active webhook subscribed to `kind`, all
        in one transaction; their ids (none when nobody subscribes)."""
        ...

    async def due(self, now: datetime, limit: int) -> list[DueDelivery]:
        """Claim up to `limit` deliveries due by `now`, oldest first. A claimed delivery is not
        due again for the claim's lease, so two workers never send it twice; one whose worker
        died comes back when the lease ends. Deliveries of deleted webhooks are never due."""
        ...

    async def delivered(self, id: int, status_code: int, now: datetime) -> None: ...

    async def failed(self, id: int, status_code: int | None, error: str, retry_at: datetime | None) -> None:
        """One more failed attempt: due again at `retry_at`, or given up when it is None."""
        ...

    async def next_due(self) -> datetime | None:
        """When the earliest pending delivery is due; None when none waits."""
        ...

    async def log(self, webhook_id: int, limit: int) -> list[DeliveryRecord]:
        """The webhook's deliveries, newest first."""
        ...


class WebhookSender(Protocol):
    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        """POST the body; the answer's status code. Raises when no answer came in time (refused,
        timed out)."""
        ...
