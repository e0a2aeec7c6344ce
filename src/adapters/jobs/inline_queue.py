"""InlineJobQueue: jobs as asyncio tasks in this process (no Redis), with timeout and retries.

Each attempt is written to the job journal (when given): running, then complete, failed, or
queued again with the attempt's error when a retry follows.
"""

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable

from application.jobs.errors import UnknownJob
from application.jobs.ports import JobSpec
from application.jobs.records import JobJournal
from application.jobs.runner import JobResult, JobRunner

log = logging.getLogger(__name__)


class InlineJobQueue:
    def __init__(self, runner: JobRunner, journal: JobJournal | None = None) -> None:
        self.runner = runner
        self.journal = journal
        self.tasks: dict[str, asyncio.Task[JobResult | None]] = {}
        self.periodic: list[asyncio.Task[None]] = []

    def names(self) -> frozenset[str]:
        return self.runner.names()

    async def enqueue(self, name: str) -> str:
        if name not in self.runner.names():
            raise UnknownJob(name, self.names())
        job_id = f"{name}:{uuid.uuid4().hex}"
        if self.journal is not None:
            await self.journal.queued(job_id, name)
        task = self._run(job_id, name, self.runner.specs[name])
        self.tasks[job_id] = asyncio.get_running_loop().create_task(task)
        self.tasks[job_id].add_done_callback(lambda _: self._forget(job_id))
        return job_id

    def _forget(self, job_id: str) -> None:
        # Keep finished tasks briefly for callers that await them; drop the oldest beyond 100.
        done = [k for k, t in self.tasks.items() if t.done()]
        for key in done[:-100]:
            self.tasks.pop(key, None)

    async def _run(self, job_id: str, name: str, spec: JobSpec) -> JobResult | None:
        delay = spec.retry_delay_seconds
        for attempt in range(1, spec.retries + 2):
            await self._note(self._started, job_id, name, attempt)
            try:
                result = await asyncio.wait_for(self.runner.run(name, job_id), spec.timeout_seconds)
            except Exception as exc:
                log.exception("job %s failed (attempt %d of %d)", name, attempt, spec.retries + 1)
                last = attempt > spec.retries
                error = f"{exc.__class__.__name__}: {exc}".rstrip(": ")
                await self._note(self._ended, job_id, attempt, "failed" if last else "queued", None, error)
                if last:
                    return None
                await asyncio.sleep(delay)
                delay = min(delay * 2, spec.max_retry_delay_seconds)
            else:
                report = {"status": result.status, "result": result.result}
                await self._note(self._ended, job_id, attempt, "complete", report, None)
                return result
        return None

    async def _started(self, job_id: str, name: str, attempt: int) -> None:
        if self.journal is not None:
            await self.journal.started(job_id, name, attempt)

    async def _ended(self, job_id: str, attempt: int, status: str, report: object, error: str | None) -> None:
        if self.journal is not None:
            await self.journal.ended(job_id, attempt, status, report, error)

    @staticmethod
    async def _note(write: Callable[..., Awaitable[None]], *args: object) -> None:
        # The record is for people: a database hiccup while writing it must not stop the job.
        try:
            await write(*args)
        except Exception:
            log.exception("job record not written")

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
