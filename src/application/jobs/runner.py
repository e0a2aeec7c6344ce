"""JobRunner: runs a named job's use case, one run of a job at a time (a lock in the cache).

The lock is a counter that expires with the job's timeout: the first to increment it runs, the
others return at once ("busy"), so a retrain triggered twice trains once. A crashed run's lock
expires by itself; until then, a retry of that same job (its id) takes the lock over, since the
queue retries a job only once its earlier attempt is over or its worker is gone.
"""

import logging
import time
from collections.abc import Awaitable, Callable, Mapping

import msgspec

from application.jobs.errors import UnknownJob
from application.jobs.ports import JobSpec
from application.ports import Cache, NoObserver, Observer

log = logging.getLogger(__name__)

JobBody = Callable[[], Awaitable[object]]


class JobResult(msgspec.Struct, frozen=True):
    name: str
    status: str  # "done" or "busy"
    result: object = None


class JobRunner:
    def __init__(
        self,
        bodies: Mapping[str, JobBody],
        specs: Mapping[str, JobSpec],
        cache: Cache,
        observer: Observer | None = None,
    ) -> None:
        self.observer = observer or NoObserver()
        self.bodies = dict(bodies)
        self.specs = {name: specs.get(name, JobSpec(name=name)) for name in self.bodies}
        self.cache = cache

    def names(self) -> frozenset[str]:
        return frozenset(self.bodies)

    async def run(self, name: str, job_id: str | None = None) -> JobResult:
        body = self.bodies.get(name)
        if body is None:
            raise UnknownJob(name, self.names())
        lock, ttl = f"jobs:lock:{name}", self.specs[name].timeout_seconds
        if await self.cache.incr(lock, 1, ttl_seconds=ttl) != 1:
            holder = await self.cache.get(f"{lock}:holder")
            if job_id is None or holder != job_id.encode():
                log.info("job %s is already running; skipped", name)
                self.observer.job_run(name, "busy", 0.0)
                return JobResult(name=name, status="busy")
            log.info("job %s: retry of %s takes over its lock", name, job_id)
        if job_id is not None:
            await self.cache.set(f"{lock}:holder", job_id.encode(), ttl_seconds=ttl)
        started = time.perf_counter()
        try:
            result = await body()
        except BaseException:
            self.observer.job_run(name, "failed", time.perf_counter() - started)
            raise
        finally:
            await self.cache.delete(lock)
        self.observer.job_run(name, "done", time.perf_counter() - started)
        log.info("job %s done: %s", name, result)
        return JobResult(name=name, status="done", result=msgspec.to_builtins(result))
