"""InlineJobQueue: jobs as asyncio tasks in this process (no Redis), with timeout and retries."""

import asyncio
import logging
import uuid

from application.jobs.ports import JobSpec, UnknownJob
from application.jobs.runner import JobResult, JobRunner

log = logging.getLogger(__name__)


class InlineJobQueue:
    def __init__(self, runner: JobRunner) -> None:
        self.runner = runner
        self.tasks: dict[str, asyncio.Task[JobResult | None]] = {}

    def names(self) -> frozenset[str]:
        return self.runner.names()

    async def enqueue(self, name: str) -> str:
        if name not in self.runner.names():
            raise UnknownJob(name, self.names())
        job_id = f"{name}:{uuid.uuid4().hex}"
        self.tasks[job_id] = asyncio.get_running_loop().create_task(self._run(name, self.runner.specs[name]))
        self.tasks[job_id].add_done_callback(lambda _: self._forget(job_id))
        return job_id

    def _forget(self, job_id: str) -> None:
        # Keep finished tasks briefly for callers that await them; drop the oldest beyond 100.
        done = [k for k, t in self.tasks.items() if t.done()]
        for key in done[:-100]:
            self.tasks.pop(key, None)

    async def _run(self, name: str, spec: JobSpec) -> JobResult | None:
        delay = spec.retry_delay_seconds
        for attempt in range(1, spec.retries + 2):
            try:
                return await asyncio.wait_for(self.runner.run(name), spec.timeout_seconds)
            except Exception:
                log.exception("job %s failed (attempt %d of %d)", name, attempt, spec.retries + 1)
                if attempt > spec.retries:
                    return None
                await asyncio.sleep(delay)
                delay = min(delay * 2, spec.max_retry_delay_seconds)
        return None

    async def wait(self, job_id: str) -> JobResult | None:
        return await self.tasks[job_id]

    async def close(self) -> None:
        for task in self.tasks.values():
            task.cancel()
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)
