"""InlineJobQueue: jobs as asyncio tasks in this process (no Redis), with timeout and retries."""

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable

from application.jobs.errors import UnknownJob
from application.jobs.ports import JobSpec
from application.jobs.runner import JobResult, JobRunner

log = logging.getLogger(__name__)


class InlineJobQueue:
    def __init__(self, runner: JobRunner) -> None:
        self.runner = runner
        self.tasks: dict[str, asyncio.Task[JobResult | None]] = {}
        self.periodic: list[asyncio.Task[None]] = []

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

    def every(self, seconds: float, tick: Callable[[], Awaitable[object]]) -> None:
        """Run `tick` every `seconds` until closed (the in-process stand-in for SAQ's cron)."""

        async def loop() -> None:
            while True:
                await asyncio.sleep(seconds)
                try:
                    await tick()
                except Exception:
                    log.exception("periodic job check failed")

        self.periodic.append(asyncio.get_running_loop().create_task(loop()))

    async def close(self) -> None:
        pending = [*self.tasks.values(), *self.periodic]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
