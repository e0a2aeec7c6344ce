"""An administrator starts a background job by name; the start is audited with the job's id.

Starts by the jobs' own triggers and schedules go to the queue directly: nobody acted.
"""

from application.audit.audit_trail import AuditTrail
from application.jobs.ports import JobQueue
from domain.audit.model import JOB_START, Actor


class StartJob:
    def __init__(self, queue: JobQueue, audit: AuditTrail) -> None:
        self._queue = queue
        self._audit = audit

    def names(self) -> frozenset[str]:
        return self._queue.names()

    async def __call__(self, name: str, *, actor: Actor) -> str:
        """Queue a run of the job and answer its id; raises UnknownJob (and records nothing)."""
        job_id = await self._queue.enqueue(name)
        await self._audit.record(actor, JOB_START, name, {"job_id": job_id})
        return job_id
