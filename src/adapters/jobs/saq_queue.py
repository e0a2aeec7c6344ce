"""SaqJobQueue: jobs on SAQ (Redis); the worker process (`ecomsearch worker`) runs them.

SAQ keeps each job's state in Redis for a day; the job journal keeps what administrators read
(`record_attempt_start` / `record_attempt_end` are the worker's hooks, fed with SAQ's own job;
`settle_records`, a worker cron, catches what SAQ's sweep did to jobs whose worker died).
"""

import logging
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from saq import Queue
from saq.job import Job, Status

from application.jobs.errors import UnknownJob
from application.jobs.ports import JobSpec
from application.jobs.records import JobJournal, JobRecords

log = logging.getLogger(__name__)


def saq_job_options(spec: JobSpec, heartbeat_seconds: int = 0) -> dict[str, object]:
    """SAQ Job fields for a spec: retries counts attempts in SAQ, so one run plus the retries.
    With a heartbeat, a job whose worker died is swept (and retried) that long after its last beat,
    not only once its whole timeout has passed."""
    return {
        "timeout": spec.timeout_seconds,
        "heartbeat": heartbeat_seconds,
        "retries": spec.retries + 1,
        "retry_delay": spec.retry_delay_seconds,
        "retry_backoff": spec.max_retry_delay_seconds,
        "ttl": 24 * 3600,
    }


class SaqJobQueue:
    def __init__(
        self,
        queue: Queue,
        specs: Mapping[str, JobSpec],
        journal: JobJournal | None = None,
        heartbeat_seconds: int = 0,
    ) -> None:
        self.queue = queue
        self.specs = dict(specs)
        self.journal = journal
        self.heartbeat_seconds = heartbeat_seconds

    def names(self) -> frozenset[str]:
        return frozenset(self.specs)

    async def enqueue(self, name: str) -> str:
        spec = self.specs.get(name)
        if spec is None:
            raise UnknownJob(name, self.names())
        key = f"{name}:{uuid.uuid4().hex}"
        job = await self.queue.enqueue(name, key=key, **saq_job_options(spec, self.heartbeat_seconds))
        job_id = job.key if job is not None else key
        if self.journal is not None:
            # After SAQ has it: a worker quicker than this write has already recorded it running.
            # The job is queued whatever happens here (the worker records it as it starts), so a
            # failed write is logged, not answered as a failure to queue.
            try:
                await self.journal.queued(job_id, name)
            except Exception as exc:
                log.warning("job %s queued but not recorded (%s)", job_id, exc.__class__.__name__)
        return job_id


_ENDED = {
    Status.COMPLETE: "complete",
    Status.FAILED: "failed",
    Status.ABORTED: "failed",
    Status.QUEUED: "queued",
}


def _when(millis: int) -> datetime | None:
    return datetime.fromtimestamp(millis / 1000, UTC) if millis else None


def _last_line(error: str | None) -> str | None:
    """SAQ keeps the whole traceback; the record keeps its last line (the exception)."""
    lines = [line for line in (error or "").splitlines() if line.strip()]
    return lines[-1].strip() if lines else None


async def settle_records(journal: JobJournal, records: JobRecords, queue: Queue, limit: int = 200) -> int:
    """What the hooks cannot see: SAQ's sweep retried (back to queued) or gave up on (failed) a job
    whose worker died. Each record still queued or running is brought in line with SAQ's job."""
    settled = 0
    for record in await records.unsettled(limit):
        job = await queue.job(record.job_id)
        if job is None or job.status in (Status.ACTIVE, Status.NEW, Status.ABORTING):
            continue  # running, or never reached / expired from SAQ: nothing to learn
        status = _ENDED.get(job.status)
        if status is None or (status == record.status and job.attempts == record.attempts):
            continue
        report = job.result if status == "complete" else None
        await journal.ended(job.key, job.attempts, status, report, _last_line(job.error))
        settled += 1
    return settled


async def record_attempt_start(journal: JobJournal, job: Job) -> None:
    await journal.started(job.key, job.function, job.attempts, _when(job.queued))


async def record_attempt_end(journal: JobJournal, job: Job) -> None:
    """After SAQ settled the attempt: complete, failed (or aborted), or queued for a retry."""
    status = _ENDED.get(job.status)
    if status is None:  # still active: SAQ did not settle it (the worker is stopping)
        return
    report = job.result if status == "complete" else None
    await journal.ended(job.key, job.attempts, status, report, _last_line(job.error))
