"""BypassingCache: the cache is an optimisation, so a Redis failure is a miss, never an error.

Reads that fail answer "not cached" and the caller loads from the database; writes that fail are
dropped. Invalidations that fail (a delete, a version bump) are remembered and replayed before
the next call that reaches Redis again, so an entry Redis kept across its outage cannot be read
stale by this process once it is back. The inner cache's breaker keeps a dead Redis to a few
microseconds per call; its client reconnects by itself when Redis returns.
"""

import asyncio
import logging

from redis.exceptions import RedisError

from adapters.cache.redis_cache import RedisCache, RedisUnavailable

log = logging.getLogger("ecomsearch.cache")

_FAILED = (RedisError, OSError)
MAX_MISSED = 10_000  # past this, the oldest missed invalidations are left to their entries' TTLs


class BypassingCache:
    def __init__(self, inner: RedisCache, max_missed: int = MAX_MISSED) -> None:
        self.inner = inner
        self._max_missed = max_missed
        # key -> ("delete", 0, None) or ("incr", amount, ttl), in the order they were missed
        self._missed: dict[str, tuple[str, int, float | None]] = {}
        self._lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None
        self.bypassed = 0

    async def _ready(self) -> bool:
        """True when Redis may be used: nothing missed, or everything missed replayed."""
        if not self._missed:
            return True
        async with self._replaying():
            try:
                while self._missed:
                    key, (kind, amount, ttl) = next(iter(self._missed.items()))
                    if kind == "delete":
                        await self.inner.delete(key)
                    else:
                        await self.inner.incr(key, amount, ttl)
                    self._missed.pop(key, None)
            except _FAILED:
                return False
        return True

    def _replaying(self) -> asyncio.Lock:
        """One replay at a time; a lock per event loop (the CLI runs one loop per command)."""
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock[0] is not loop:
            self._lock = (loop, asyncio.Lock())
        return self._lock[1]

    def _bypass(self, exc: BaseException | None = None) -> None:
        self.bypassed += 1
        if exc is not None and not isinstance(exc, RedisUnavailable):  # once per breaker opening
            log.warning("cache bypassed: Redis failed (%s)", exc.__class__.__name__)

    def _miss(self, key: str, kind: str, amount: int = 0, ttl: float | None = None) -> None:
        earlier = self._missed.pop(key, None)
        if kind == "incr" and earlier is not None and earlier[0] == "incr":
            amount += earlier[1]
        self._missed[key] = (kind, amount, ttl)
        while len(self._missed) > self._max_missed:
            self._missed.pop(next(iter(self._missed)))

    async def get(self, key: str) -> bytes | None:
        if await self._ready():
            try:
                return await self.inner.get(key)
            except _FAILED as exc:
                self._bypass(exc)
        else:
            self._bypass()
        return None

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        if await self._ready():
            try:
                await self.inner.set(key, value, ttl_seconds)
                return
            except _FAILED as exc:
                self._bypass(exc)
        else:
            self._bypass()

    async def delete(self, key: str) -> None:
        if await self._ready():
            try:
                await self.inner.delete(key)
                return
            except _FAILED as exc:
                self._bypass(exc)
        else:
            self._bypass()
        self._miss(key, "delete")

    async def incr(self, key: str, amount: int = 1, ttl_seconds: float | None = None) -> int:
        """A missed increment is replayed later; meanwhile it answers `amount`, as for a new key."""
        if await self._ready():
            try:
                return await self.inner.incr(key, amount, ttl_seconds)
            except _FAILED as exc:
                self._bypass(exc)
        else:
            self._bypass()
        self._miss(key, "incr", amount, ttl_seconds)
        return amount

    async def ttl(self, key: str) -> float | None:
        if await self._ready():
            try:
                return await self.inner.ttl(key)
            except _FAILED as exc:
                self._bypass(exc)
        else:
            self._bypass()
        return None

    def counters(self) -> dict[str, int]:
        return {**self.inner.counters(), "bypassed": self.bypassed, "missed_invalidations": len(self._missed)}

    async def ping(self) -> bool:
        return await self.inner.ping()

    async def close(self) -> None:
        await self.inner.close()
