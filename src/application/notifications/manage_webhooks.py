"""Administrators register, list and delete webhooks and read their delivery log. Creating and
deleting are recorded in the audit log (without the secret)."""

from typing import Any

from application.audit.audit_trail import AuditTrail
from application.notifications.delivery_config import WebhookDelivery
from application.notifications.errors import WebhookNotFound
from application.notifications.ports import NOTICE_KINDS
from application.notifications.signing import new_secret
from application.notifications.urls import host_of, url_problem
from application.notifications.webhooks import (
    MAX_DESCRIPTION,
    MAX_WEBHOOKS,
    DeliveryOutbox,
    DeliveryRecord,
    NewWebhook,
    Webhook,
    WebhookStore,
)
from application.ports import Clock
from domain.audit.model import WEBHOOK_CREATE, WEBHOOK_DELETE, Actor
from domain.errors import InvalidValue

MAX_DELIVERIES_LISTED = 500


def webhook_details(webhook: Webhook) -> dict[str, Any]:
    """A webhook as the audit log keeps it: never its secret."""
    return {"url": webhook.url, "events": list(webhook.events), "description": webhook.description}


def checked_events(events: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    if not events:
        raise InvalidValue(f"events must name at least one of {', '.join(NOTICE_KINDS)}", field="events")
    unknown = sorted(set(events) - set(NOTICE_KINDS))
    if unknown:
        raise InvalidValue(
            f"unknown events {', '.join(map(repr, unknown))}; known: {', '.join(NOTICE_KINDS)}",
            field="events",
        )
    return tuple(kind for kind in NOTICE_KINDS if kind in events)  # one each, in a stable order


class ListWebhooks:
    def __init__(self, store: WebhookStore) -> None:
        self._store = store

    async def __call__(self) -> list[Webhook]:
        return await self._store.active()


class AddWebhook:
    def __init__(self, store: WebhookStore, clock: Clock, audit: AuditTrail, config: WebhookDelivery) -> None:
        self._store = store
        self._clock = clock
        self._audit = audit
        self._config = config

    async def __call__(
        self, url: str, events: list[str], description: str | None, *, actor: Actor
    ) -> Webhook:
        """The new webhook, with the secret its deliveries are signed with."""
        problem = url_problem(url)
        if problem is not None:
            raise InvalidValue(problem, field="url")
        if not self._config.allows(host_of(url)):
            allowed = ", ".join(self._config.allowed_hosts)
            raise InvalidValue(f"url's host is not one this shop sends to ({allowed})", field="url")
        kinds = checked_events(events)
        if description is not None and len(description) > MAX_DESCRIPTION:
            raise InvalidValue(
                f"description must be at most {MAX_DESCRIPTION} characters", field="description"
            )
        if len(await self._store.active()) >= MAX_WEBHOOKS:
            raise InvalidValue(f"a shop has at most {MAX_WEBHOOKS} webhooks", field="url")
        webhook = await self._store.add(
            NewWebhook(
                url=url,
                events=kinds,
                description=description,
                secret=new_secret(),
                created_at=self._clock.now(),
                created_by=actor.name,
            )
        )
        await self._audit.record(actor, WEBHOOK_CREATE, str(webhook.id), webhook_details(webhook))
        return webhook


class DeleteWebhook:
    def __init__(self, store: WebhookStore, audit: AuditTrail) -> None:
        self._store = store
        self._audit = audit

    async def __call__(self, webhook_id: int, *, actor: Actor) -> None:
        gone = await self._store.deactivate(webhook_id)
        if gone is None:
            raise WebhookNotFound(webhook_id)
        await self._audit.record(actor, WEBHOOK_DELETE, str(webhook_id), webhook_details(gone))


class ListDeliveries:
    def __init__(self, store: WebhookStore, outbox: DeliveryOutbox) -> None:
        self._store = store
        self._outbox = outbox

    async def __call__(self, webhook_id: int, limit: int = 50) -> list[DeliveryRecord]:
        if not 1 <= limit <= MAX_DELIVERIES_LISTED:
            raise InvalidValue(f"limit must be between 1 and {MAX_DELIVERIES_LISTED}", field="limit")
        if await self._store.get(webhook_id) is None:
            raise WebhookNotFound(webhook_id)
        return await self._outbox.log(webhook_id, limit)
