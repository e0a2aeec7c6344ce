"""WebhookNotices, the ChangeNotices port for real: a notice becomes one stored delivery per
subscribed webhook, then a `send_webhooks` job is asked for.

Publishing never fails or delays its caller over webhooks: a notice that cannot be stored is
logged and dropped; one stored while the job queue was away goes out at the next periodic check
(`resume`), as mail does.
"""

import asyncio
import logging
from collections.abc import Callable, Mapping

import msgspec

from application.jobs.ports import JobQueue
from application.notifications.ports import NOTICE_KINDS
from application.notifications.webhooks import DeliveryOutbox
from application.ports import Clock

log = logging.getLogger(__name__)

SEND_WEBHOOKS = "send_webhooks"  # the job's name in the registry
ENQUEUE_TIMEOUT_SECONDS = 2.0


class WebhookNotices:
    def __init__(self, outbox: DeliveryOutbox, jobs: Callable[[], JobQueue], clock: Clock) -> None:
        """`jobs` gives the queue when first needed: the queue runs the jobs that publish."""
        self.outbox = outbox
        self.jobs = jobs
        self.clock = clock

    async def publish(self, kind: str, data: Mapping[str, object]) -> None:
        if kind not in NOTICE_KINDS:
            log.error("notice %r is not one of %s; not published", kind, ", ".join(NOTICE_KINDS))
            return
        try:
            payload = msgspec.to_builtins(dict(data))  # datetimes as ISO text, structs as objects
            ids = await self.outbox.add(kind, payload, self.clock.now())
        except Exception:
            log.exception("notice %s not stored; no webhook will get it", kind)
            return
        if ids:
            await self._enqueue()

    async def resume(self) -> bool:
        """The periodic check: ask for the job when a stored delivery is due (a retry, a lapsed
        claim of a worker that died, or one stored while the queue was away). True when it asked."""
        due = await self.outbox.next_due()
        if due is None or due > self.clock.now():
            return False
        return await self._enqueue()

    async def _enqueue(self) -> bool:
        try:
            async with asyncio.timeout(ENQUEUE_TIMEOUT_SECONDS):
                await self.jobs().enqueue(SEND_WEBHOOKS)
        except Exception as exc:
            log.warning("%s job not queued (%s); deliveries wait", SEND_WEBHOOKS, exc.__class__.__name__)
            return False
        return True
