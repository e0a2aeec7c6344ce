"""Events per client per window: one client cannot flood the event log or the job triggers.

A client is a logged-in user, or an anonymous visitor's address (a new anonymous id costs nothing,
so the cookie would be no limit). Fixed windows counted in the cache, shared by every process.
The limit fails open: with the cache down an event is still taken (the log is the record, and
refusing every click while Redis restarts would lose real shoppers' events); this is logged.
"""

import logging
import math

import msgspec

from application.ports import Cache
from domain.events.errors import TooManyEvents

log = logging.getLogger(__name__)


class EventLimits(msgspec.Struct, frozen=True, kw_only=True):
    per_client: int = 120  # 0 turns the limit off
    window_seconds: int = 60


class EventRateLimiter:
    def __init__(self, cache: Cache, limits: EventLimits) -> None:
        self._cache = cache
        self._limits = limits

    async def check(self, client: str) -> None:
        """Count one event for the client; TooManyEvents (nothing counted toward storage) past the budget."""
        if self._limits.per_client <= 0:
            return
        key = f"events:rate:{client}"
        try:
            count = await self._cache.incr(key, 1, ttl_seconds=self._limits.window_seconds)
            if count <= self._limits.per_client:
                return
            remaining = await self._cache.ttl(key)
        except Exception as exc:
            log.warning("event rate limit not checked (%s)", exc.__class__.__name__)
            return
        wait = self._limits.window_seconds if remaining is None else remaining
        raise TooManyEvents(max(1, math.ceil(wait)))
