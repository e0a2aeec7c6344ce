"""The jobs' schedule: without Redis the API process runs it on asyncio (the in-process queue);
with Redis the SAQ worker's cron runs it (`worker/tasks.py`) and the API starts nothing."""

from adapters.jobs.inline_queue import InlineJobQueue
from application.catalog.bulk_import import ResumeImports
from application.jobs.triggers import JobTriggers
from application.mail.send_mail import QueueMail
from application.notifications.publish_notices import WebhookNotices

JOB_CHECK_SECONDS = 300
ROLLUP_SECONDS = 600  # as the worker's rollup cron, every 10 minutes
IMPORT_CHECK_SECONDS = 60  # as the worker's import check: uploads stored while queueing failed
MAIL_CHECK_SECONDS = 60  # as the worker's mail check: due retries and mail stored while queueing failed
WEBHOOK_CHECK_SECONDS = 60  # as the worker's webhook check: due retries, lapsed claims


class InProcessSchedule:
    def __init__(
        self,
        queue: InlineJobQueue,
        triggers: JobTriggers,
        daily: JobTriggers,
        mail: QueueMail,
        webhooks: WebhookNotices,
        imports: ResumeImports,
    ) -> None:
        self._queue = queue
        self._triggers = triggers
        self._daily = daily
        self._mail = mail
        self._webhooks = webhooks
        self._imports = imports

    def start(self) -> None:
        queue = self._queue
        queue.every(JOB_CHECK_SECONDS, self._triggers.check_due)
        queue.every(JOB_CHECK_SECONDS, lambda: queue.enqueue("profiles"))
        queue.every(ROLLUP_SECONDS, lambda: queue.enqueue("rollup"))
        queue.every(JOB_CHECK_SECONDS, self._daily.check_due)  # archive, the readout notice
        queue.every(MAIL_CHECK_SECONDS, self._mail.resume)
        queue.every(WEBHOOK_CHECK_SECONDS, self._webhooks.resume)
        queue.every(IMPORT_CHECK_SECONDS, self._imports)


class WorkerSchedule:
    """The SAQ worker's cron runs the jobs; nothing to start here."""

    def start(self) -> None:
        return None
