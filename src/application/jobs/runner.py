"""JobRunner: runs a named job's use case, one run of a job at a time (a lock in the cache).

The lock is a counter that expires with the job's timeout: the first to increment it runs, the
others return at once ("busy"), so a retrain triggered twice trains once. A crashed run's lock
expires by itself.
"""

import logging
from collections.abc import Awaitable, Callable, Mapping

import msgspec

from application.jobs.errors import UnknownJob
from application.jobs.ports import JobSpec
from application.ports import Cache

log = logging.getLogger(__name__)

JobBody = Callable[[], Awaitable[object]]


class JobResult(msgspec.Struct, frozen=True):
    name: str
    status: str  # "done" or "busy"
    result: object = None


class JobRunner:
    def __init__(self, bodies: Mapping[str, JobBody], specs: Mapping[str, JobSpec], cache: Cache) -> None:
        self.bodies = dict(bodies)
        self.specs = {name: specs.get(name, JobSpec(name=name)) for name in self.bodies}
        self.cache = cache

    def names(self) -> frozenset[str]:
        return frozenset(self.bodies)

    async def run(self, name: str) -> JobResult:
        body = self.bodies.get(name)
        if body is None:
            raise UnknownJob(name, self.names())
        lock = f"jobs:lock:{name}"
        if await self.cache.incr(lock, 1, ttl_seconds=self.specs[name].timeout_seconds) != 1:
            log.info("job %s is already running; skipped", name)
            return JobResult(name=name, status="busy")
        try:
            result = await body()
        finally:
            await self.cache.delete(lock)
        log.info("job %s done: %s", name, result)
        return JobResult(name=name, status="done", result=msgspec.to_builtins(result))
