"""When background jobs run by themselves: after N new events, or when the last run is too old.

Counters are atomic increments in the cache: the caller whose increment reaches a multiple of the
threshold enqueues the job, so each threshold crossing enqueues exactly once however many API
processes record events. Age is the time since a run was last enqueued, kept in the cache.

A job also has a minimum interval between automatic starts: a crossing within it starts nothing,
so a flood of events cannot start a job over and over. The gate is one atomic increment of a key
that expires after the interval, in the same cache as the counters, so it holds across processes.
"""

from collections.abc import Mapping
from datetime import datetime

import msgspec

from application.jobs.ports import JobQueue
from application.ports import Cache, Clock


class Trigger(msgspec.Struct, frozen=True):
    every_events: int
    every_seconds: float
    min_interval_seconds: float = 0.0


class JobTriggers:
    def __init__(self, cache: Cache, queue: JobQueue, clock: Clock, triggers: Mapping[str, Trigger]) -> None:
        self.cache = cache
        self.queue = queue
        self.clock = clock
        self.triggers = {name: t for name, t in triggers.items() if name in queue.names()}

    async def record_events(self, count: int = 1) -> list[str]:
        """Count new events; returns the jobs this call enqueued."""
        fired = []
        for name, trigger in self.triggers.items():
            after = await self.cache.incr(f"jobs:events:{name}", count)
            before = after - count
            crossed = (
                trigger.every_events > 0 and after // trigger.every_events > before // trigger.every_events
            )
            if crossed and await self._enqueue(name, trigger):
                fired.append(name)
        return fired

    async def check_due(self) -> list[str]:
        """Enqueue the jobs whose last run is older than their interval (called every few minutes)."""
        now = self.clock.now()
        fired = []
        for name, trigger in self.triggers.items():
            raw = await self.cache.get(f"jobs:enqueued_at:{name}")
            last = datetime.fromisoformat(raw.decode()) if raw else None
            due = last is None or (now - last).total_seconds() >= trigger.every_seconds
            if due and await self._enqueue(name, trigger):
                fired.append(name)
        return fired

    async def _enqueue(self, name: str, trigger: Trigger) -> bool:
        """Enqueue unless the job was started automatically less than its minimum interval ago."""
        if trigger.min_interval_seconds > 0:
            gate = await self.cache.incr(f"jobs:gate:{name}", 1, ttl_seconds=trigger.min_interval_seconds)
            if gate > 1:
                return False
        await self.queue.enqueue(name)
        stamp = self.clock.now().isoformat().encode()
        await self.cache.set(f"jobs:enqueued_at:{name}", stamp, ttl_seconds=90 * 24 * 3600)
        return True
