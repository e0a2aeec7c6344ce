"""SaqJobQueue: jobs on SAQ (Redis); the worker process (`ecomsearch worker`) runs them."""

import uuid
from collections.abc import Mapping

from saq import Queue

from application.jobs.errors import UnknownJob
from application.jobs.ports import JobSpec


def saq_job_options(spec: JobSpec) -> dict[str, object]:
    """SAQ Job fields for a spec: retries counts attempts in SAQ, so one run plus the retries."""
    return {
        "timeout": spec.timeout_seconds,
        "retries": spec.retries + 1,
        "retry_delay": spec.retry_delay_seconds,
        "retry_backoff": spec.max_retry_delay_seconds,
        "ttl": 24 * 3600,
    }


class SaqJobQueue:
    def __init__(self, queue: Queue, specs: Mapping[str, JobSpec]) -> None:
        self.queue = queue
        self.specs = dict(specs)

    def names(self) -> frozenset[str]:
        return frozenset(self.specs)

    async def enqueue(self, name: str) -> str:
        spec = self.specs.get(name)
        if spec is None:
            raise UnknownJob(name, self.names())
        key = f"{name}:{uuid.uuid4().hex}"
        job = await self.queue.enqueue(name, key=key, **saq_job_options(spec))
        return job.key if job is not None else key
