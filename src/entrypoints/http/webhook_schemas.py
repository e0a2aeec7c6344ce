"""Request and response shapes of the webhook routes."""

from datetime import datetime
from typing import Literal

import msgspec

from application.notifications.webhooks import DeliveryRecord, Webhook

NoticeKind = Literal["import.completed", "model.promoted", "experiment.readout"]


class WebhookIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    url: str  # http:// or https://
    events: list[NoticeKind]
    description: str | None = None


class WebhookOut(msgspec.Struct, kw_only=True):
    id: int
    url: str
    events: list[NoticeKind]
    description: str | None
    created_at: datetime
    created_by: str


class WebhookCreatedOut(WebhookOut, kw_only=True):
    secret: str  # signs every delivery (X-Ecomsearch-Signature); shown only in this answer


class WebhooksOut(msgspec.Struct):
    webhooks: list[WebhookOut]


class DeliveryOut(msgspec.Struct, kw_only=True):
    id: int  # also sent as X-Ecomsearch-Delivery, so a receiver can drop a repeat
    webhook_id: int
    event: NoticeKind
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class DeliveriesOut(msgspec.Struct):
    deliveries: list[DeliveryOut]


def _fields(webhook: Webhook) -> dict[str, object]:
    return {"id": webhook.id, "url": webhook.url, "events": list(webhook.events),
            "description": webhook.description, "created_at": webhook.created_at,
            "created_by": webhook.created_by}  # fmt: skip


def webhook_out(webhook: Webhook) -> WebhookOut:
    return msgspec.convert(_fields(webhook), WebhookOut)


def created_out(webhook: Webhook) -> WebhookCreatedOut:
    return msgspec.convert({**_fields(webhook), "secret": webhook.secret}, WebhookCreatedOut)


def delivery_out(record: DeliveryRecord) -> DeliveryOut:
    fields = msgspec.structs.asdict(record)
    fields["webhook_id"] = fields.pop("webhook")
    return msgspec.convert(fields, DeliveryOut)
