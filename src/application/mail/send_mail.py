"""Mail off the request path: QueueMail stores a message and asks for the `send_mail` job;
DeliverMail (that job's body) sends whatever is due, retrying failures with growing delays.

A request never fails or waits because of mail: QueueMail logs what went wrong and returns.
A message stored while the job queue was away goes out at the next periodic check (`resume`).
Delivery is at least once: a message whose delivery succeeded but whose outcome could not be
written goes out again when its claim lapses.
"""

import asyncio
import logging
from datetime import timedelta

import msgspec

from application.jobs.ports import JobQueue
from application.mail.ports import MailMessage, MailOutbox, MailTransport, QueuedMail
from application.ports import Clock

log = logging.getLogger(__name__)

SEND_MAIL = "send_mail"  # the job's name in the registry (internal: not startable over HTTP)
ENQUEUE_TIMEOUT_SECONDS = 2.0
MAX_ERROR_LENGTH = 500


class MailDelivery(msgspec.Struct, frozen=True, kw_only=True):
    sender: str = "Ecomsearch <no-reply@localhost>"
    max_attempts: int = 8
    retry_seconds: float = 60.0  # the first retry's delay, doubling after each failure
    max_retry_seconds: float = 3600.0
    batch_size: int = 50

    def retry_delay(self, failures: int) -> float | None:
        """Seconds before the next attempt after `failures` failed ones; None: give up."""
        if failures >= self.max_attempts:
            return None
        return min(self.retry_seconds * 2.0 ** (failures - 1), self.max_retry_seconds)


class DeliveryReport(msgspec.Struct, frozen=True):
    sent: int = 0
    failed: int = 0  # failed this time, retried later
    gave_up: int = 0  # failed for the last time


class QueueMail:
    def __init__(self, outbox: MailOutbox, jobs: JobQueue, clock: Clock) -> None:
        self.outbox = outbox
        self.jobs = jobs
        self.clock = clock

    async def __call__(self, message: MailMessage) -> int | None:
        """Store the message and ask for its delivery soon; its id, or None when not stored."""
        try:
            mail_id = await self.outbox.add(message, self.clock.now())
        except Exception:
            log.exception("mail %r not stored; it will not be sent", message.subject)
            return None
        await self._enqueue()
        return mail_id

    async def resume(self) -> bool:
        """The periodic check: ask for delivery when a stored message is due (a retry, or one
        stored while the job queue was away). True when it asked."""
        due = await self.outbox.next_due()
        if due is None or due > self.clock.now():
            return False
        return await self._enqueue()

    async def _enqueue(self) -> bool:
        try:
            async with asyncio.timeout(ENQUEUE_TIMEOUT_SECONDS):
                await self.jobs.enqueue(SEND_MAIL)
        except Exception as exc:  # the stored message waits for the periodic check
            log.warning("send_mail job not queued (%s); stored mail waits", exc.__class__.__name__)
            return False
        return True


class DeliverMail:
    def __init__(
        self, outbox: MailOutbox, transport: MailTransport, clock: Clock, config: MailDelivery
    ) -> None:
        self.outbox = outbox
        self.transport = transport
        self.clock = clock
        self.config = config

    async def __call__(self) -> DeliveryReport:
        """Send every due message, batch after batch, until none is left (mail queued while this
        runs goes out in this run too)."""
        report = DeliveryReport()
        seen: set[int] = set()
        while True:
            batch = await self.outbox.due(self.clock.now(), self.config.batch_size)
            fresh = [queued for queued in batch if queued.id not in seen]
            if not fresh:
                return report
            for queued in fresh:
                seen.add(queued.id)
                report = await self._deliver(queued, report)

    async def _deliver(self, queued: QueuedMail, report: DeliveryReport) -> DeliveryReport:
        try:
            await self.transport.send(queued.message, self.config.sender)
        except Exception as exc:
            failures = queued.attempts + 1
            delay = self.config.retry_delay(failures)
            error = f"{exc.__class__.__name__}: {exc}".rstrip(": ")[:MAX_ERROR_LENGTH]
            if delay is None:
                log.error("mail %d given up after %d attempts: %s", queued.id, failures, error)
                await self.outbox.failed(queued.id, error, None)
                return msgspec.structs.replace(report, gave_up=report.gave_up + 1)
            retry_at = self.clock.now() + timedelta(seconds=delay)
            log.warning(
                "mail %d failed (attempt %d), retried at %s: %s", queued.id, failures, retry_at, error
            )
            await self.outbox.failed(queued.id, error, retry_at)
            return msgspec.structs.replace(report, failed=report.failed + 1)
        await self.outbox.sent(queued.id, self.clock.now())
        return msgspec.structs.replace(report, sent=report.sent + 1)
