"""DeliverWebhooks, the `send_webhooks` job's body: POST every due delivery, signed, and retry
the failed ones with growing delays until they succeed or run out of attempts.

A delivery is at least once: one whose POST succeeded but whose outcome could not be written is
sent again when its claim lapses, with the same `X-Ecomsearch-Delivery` id, so receivers drop it.
Only a 2xx answer counts; a redirect is a failure (the webhook's URL is what was registered).
"""

import asyncio
import logging
from datetime import timedelta

import msgspec

from application.notifications.delivery_config import WebhookDelivery
from application.notifications.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    signature,
)
from application.notifications.urls import host_of
from application.notifications.webhooks import MAX_ERROR, DeliveryOutbox, DueDelivery, WebhookSender
from application.ports import Clock

log = logging.getLogger(__name__)

USER_AGENT = "Ecomsearch-Webhooks/1"


class WebhookReport(msgspec.Struct, frozen=True):
    delivered: int = 0
    failed: int = 0  # failed this time, retried later
    gave_up: int = 0  # failed for the last time


def body_of(delivery: DueDelivery) -> bytes:
    """What the receiver gets: the same bytes on every attempt of one delivery."""
    return msgspec.json.encode(
        {"id": delivery.id, "event": delivery.event, "created_at": delivery.created_at,
         "data": delivery.payload}
    )  # fmt: skip


class DeliverWebhooks:
    def __init__(
        self, outbox: DeliveryOutbox, sender: WebhookSender, clock: Clock, config: WebhookDelivery
    ) -> None:
        self.outbox = outbox
        self.sender = sender
        self.clock = clock
        self.config = config

    async def __call__(self) -> WebhookReport:
        """Send what is due, batch after batch, until none is left or the run's time is up."""
        report = WebhookReport()
        seen: set[int] = set()
        started = self.clock.now()
        while (self.clock.now() - started).total_seconds() < self.config.run_seconds:
            batch = await self.outbox.due(self.clock.now(), self.config.batch_size)
            fresh = [d for d in batch if d.id not in seen]
            if not fresh:
                return report
            seen.update(d.id for d in fresh)
            outcomes = await asyncio.gather(*(self._deliver(d) for d in fresh))
            report = WebhookReport(
                delivered=report.delivered + outcomes.count("delivered"),
                failed=report.failed + outcomes.count("failed"),
                gave_up=report.gave_up + outcomes.count("gave_up"),
            )
        return report

    async def _deliver(self, delivery: DueDelivery) -> str:
        status, error = await self._post(delivery)
        if status is not None and 200 <= status < 300:
            await self.outbox.delivered(delivery.id, status, self.clock.now())
            return "delivered"
        failures = delivery.attempts + 1
        delay = None if error.startswith("not allowed") else self.config.retry_delay(failures)
        if delay is None:
            log.error("webhook delivery %d given up after %d attempts: %s", delivery.id, failures, error)
            await self.outbox.failed(delivery.id, status, error, None)
            return "gave_up"
        retry_at = self.clock.now() + timedelta(seconds=delay)
        log.warning(
            "webhook delivery %d failed (attempt %d), retried at %s: %s",
            delivery.id, failures, retry_at, error,
        )  # fmt: skip
        await self.outbox.failed(delivery.id, status, error, retry_at)
        return "failed"

    async def _post(self, delivery: DueDelivery) -> tuple[int | None, str]:
        """The answer's status (None when none came) and what went wrong ("" when nothing)."""
        host = host_of(delivery.url)
        if not self.config.allows(host):
            return None, f"not allowed: {host!r} is not in WEBHOOK_ALLOWED_HOSTS"
        body = body_of(delivery)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: signature(delivery.secret, int(self.clock.now().timestamp()), body),
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: str(delivery.id),
        }
        try:
            status = await self.sender.post(delivery.url, body, headers)
        except Exception as exc:
            return None, f"{exc.__class__.__name__}: {exc}".rstrip(": ")[:MAX_ERROR]
        if 200 <= status < 300:
            return status, ""
        return status, f"HTTP {status}"
