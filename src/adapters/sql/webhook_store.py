"""SqlWebhookStore and SqlDeliveryOutbox: webhooks and their deliveries, on SQLite and PostgreSQL.

A delivery waits while `next_attempt_at` is set. Claiming moves it a lease ahead in one
conditional UPDATE, so of two workers reading the same rows only one claims each (PostgreSQL
re-checks the condition after waiting on the row lock; SQLite writes one at a time), as the mail
outbox does. Deleting a webhook gives up its waiting deliveries in the same transaction, and a
claim only takes deliveries of active webhooks.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.tables import webhook_deliveries, webhooks
from application.notifications.webhooks import (
    DeliveryRecord,
    DueDelivery,
    NewWebhook,
    Webhook,
)

CLAIM_SECONDS = 300.0  # longer than a batch takes (about one POST timeout); a dead worker's return after it
DELETED = "webhook deleted"

_w = webhooks.c
_d = webhook_deliveries.c


def _webhook(row: Any) -> Webhook:
    return Webhook(
        id=row.id,
        url=row.url,
        events=tuple(row.events),
        description=row.description,
        created_at=row.created_at,
        created_by=row.created_by,
        secret=row.secret,
    )


class SqlWebhookStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, webhook: NewWebhook) -> Webhook:
        values = {"url": webhook.url, "events": list(webhook.events), "secret": webhook.secret,
                  "description": webhook.description, "created_at": webhook.created_at,
                  "created_by": webhook.created_by, "active": True}  # fmt: skip
        async with self._engine.begin() as db:
            row = (await db.execute(sa.insert(webhooks).values(**values).returning(*webhooks.c))).one()
        return _webhook(row)

    async def active(self) -> list[Webhook]:
        async with self._engine.connect() as db:
            rows = await db.execute(sa.select(webhooks).where(_w.active).order_by(_w.id))
            return [_webhook(r) for r in rows]

    async def get(self, webhook_id: int) -> Webhook | None:
        async with self._engine.connect() as db:
            row = (await db.execute(sa.select(webhooks).where(_w.id == webhook_id, _w.active))).first()
        return _webhook(row) if row else None

    async def deactivate(self, webhook_id: int) -> Webhook | None:
        async with self._engine.begin() as db:
            row = (
                await db.execute(
                    sa.update(webhooks)
                    .where(_w.id == webhook_id, _w.active)
                    .values(active=False, secret="")
                    .returning(*webhooks.c)
                )
            ).first()
            if row is None:
                return None
            await db.execute(
                sa.update(webhook_deliveries)
                .where(_d.webhook_id == webhook_id, _d.status == "pending")
                .values(status="failed", next_attempt_at=None, last_error=DELETED)
            )
        return _webhook(row)


class SqlDeliveryOutbox:
    def __init__(self, engine: AsyncEngine, claim_seconds: float = CLAIM_SECONDS) -> None:
        self._engine = engine
        self._lease = timedelta(seconds=claim_seconds)

    async def add(self, kind: str, data: Mapping[str, object], now: datetime) -> list[int]:
        async with self._engine.begin() as db:
            # Subscribers are few (MAX_WEBHOOKS): filtered here, as JSON lists differ by database.
            rows = await db.execute(sa.select(_w.id, _w.events).where(_w.active).order_by(_w.id))
            subscribed = [r.id for r in rows if kind in r.events]
            if not subscribed:
                return []
            values = [
                {"webhook_id": webhook_id, "event": kind, "payload": dict(data), "status": "pending",
                 "attempts": 0, "next_attempt_at": now, "created_at": now}
                for webhook_id in subscribed
            ]  # fmt: skip
            inserted = await db.execute(sa.insert(webhook_deliveries).returning(_d.id), values)
            return sorted(int(i) for i in inserted.scalars())

    async def due(self, now: datetime, limit: int) -> list[DueDelivery]:
        waiting = (
            sa.select(_d.id)
            .join(webhooks, _w.id == _d.webhook_id)
            .where(_d.next_attempt_at <= now, _d.status == "pending", _w.active)
            .order_by(_d.next_attempt_at, _d.id)
            .limit(limit)
        )
        async with self._engine.begin() as db:
            ids = list((await db.execute(waiting)).scalars())
            if not ids:
                return []
            claim = (
                sa.update(webhook_deliveries)
                .where(_d.id.in_(ids), _d.next_attempt_at <= now, _d.status == "pending")
                .values(next_attempt_at=now + self._lease)
                .returning(_d.id)
            )
            claimed = list((await db.execute(claim)).scalars())
            if not claimed:
                return []
            rows = await db.execute(
                sa.select(_d.id, _d.event, _d.payload, _d.attempts, _d.created_at, _w.url, _w.secret)
                .join(webhooks, _w.id == _d.webhook_id)
                .where(_d.id.in_(claimed))
                .order_by(_d.id)
            )
            return [
                DueDelivery(id=r.id, event=r.event, payload=r.payload, attempts=r.attempts,
                            created_at=r.created_at, url=r.url, secret=r.secret)
                for r in rows
            ]  # fmt: skip

    async def delivered(self, id: int, status_code: int, now: datetime) -> None:
        await self._update(
            sa.true(), id, status="delivered", delivered_at=now, next_attempt_at=None,
            last_status_code=status_code, last_error=None,
        )  # fmt: skip

    async def failed(self, id: int, status_code: int | None, error: str, retry_at: datetime | None) -> None:
        # Only while pending: a webhook deleted mid-attempt stays given up.
        await self._update(
            _d.status == "pending", id, status="pending" if retry_at is not None else "failed",
            next_attempt_at=retry_at, last_status_code=status_code, last_error=error,
        )  # fmt: skip

    async def _update(self, condition: sa.ColumnElement[bool], id: int, **values: Any) -> None:
        async with self._engine.begin() as db:
            await db.execute(
                sa.update(webhook_deliveries)
                .where(_d.id == id, condition)
                .values(attempts=_d.attempts + 1, **values)
            )

    async def next_due(self) -> datetime | None:
        earliest = sa.select(sa.func.min(_d.next_attempt_at)).where(_d.status == "pending")
        async with self._engine.connect() as db:
            value: datetime | None = (await db.execute(earliest)).scalar()
        return value

    async def log(self, webhook_id: int, limit: int) -> list[DeliveryRecord]:
        query = (
            sa.select(webhook_deliveries)
            .where(_d.webhook_id == webhook_id)
            .order_by(_d.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as db:
            rows = await db.execute(query)
            return [
                DeliveryRecord(id=r.id, webhook=r.webhook_id, event=r.event, status=r.status,
                               attempts=r.attempts, next_attempt_at=r.next_attempt_at,
                               last_status_code=r.last_status_code, last_error=r.last_error,
                               created_at=r.created_at, delivered_at=r.delivered_at)
                for r in rows
            ]  # fmt: skip
