"""RedisCache: the shared cache when REDIS_URL is configured.

This adapter raises when Redis fails (fast, through the breaker): it serves what lives only in
Redis (login limits, job locks), where an error must reach the client as a 503. The cache proper
wraps it in `BypassingCache`, which treats a failure as a miss.
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from adapters.cache.breaker import Breaker

T = TypeVar("T")

# A local Redis answers in well under a millisecond: a dead or hung one must cost little.
CONNECT_TIMEOUT_SECONDS = 0.5
COMMAND_TIMEOUT_SECONDS = 1.0


class RedisUnavailable(RedisConnectionError):
    """Refused without trying: Redis failed a moment ago (the breaker is open)."""


def connect_redis(url: str) -> Redis:
    """Short timeouts, and one immediate retry: a pooled connection broken by a Redis restart is
    replaced at once, while a Redis that is down fails in one refused connect."""
    return Redis.from_url(
        url,
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_timeout=COMMAND_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 1),
    )


class RedisCache:
    def __init__(self, client: Redis, breaker: Breaker | None = None, prefix: str = "ecomsearch:") -> None:
        self._redis = client
        self._prefix = prefix
        self.breaker = breaker or Breaker()
        self.hits = 0
        self.misses = 0

    async def _call(self, command: Callable[[], Awaitable[T]]) -> T:
        if not self.breaker.allow():
            raise RedisUnavailable("Redis failed a moment ago")
        try:
            value = await command()
        except (RedisError, OSError):
            self.breaker.failure()
            raise
        self.breaker.success()
        return value

    async def get(self, key: str) -> bytes | None:
        value = cast(bytes | None, await self._call(lambda: self._redis.get(self._prefix + key)))
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        await self._call(
            lambda: self._redis.set(self._prefix + key, value, px=max(1, int(ttl_seconds * 1000)))
        )

    async def delete(self, key: str) -> None:
        await self._call(lambda: self._redis.delete(self._prefix + key))

    async def incr(self, key: str, amount: int = 1, ttl_seconds: float | None = None) -> int:
        if ttl_seconds is None:
            return int(await self._call(lambda: self._redis.incrby(self._prefix + key, amount)))
        return int(await self._call(lambda: self._incr_expiring(key, amount, ttl_seconds)))

    async def _incr_expiring(self, key: str, amount: int, ttl_seconds: float) -> int:
        # One MULTI/EXEC: the count and its expiry are set together; NX keeps the first window's
        # deadline, so repeated failures do not extend it.
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incrby(self._prefix + key, amount)
            pipe.pexpire(self._prefix + key, max(1, int(ttl_seconds * 1000)), nx=True)
            value, _ = await pipe.execute()
        return int(value)

    async def ttl(self, key: str) -> float | None:
        milliseconds = int(await self._call(lambda: self._redis.pttl(self._prefix + key)))
        return milliseconds / 1000 if milliseconds >= 0 else None

    def counters(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses}

    async def ping(self) -> bool:
        """Always asks Redis (past an open breaker): /ready must see it come back."""
        try:
            up = bool(await self._redis.ping())
        except (RedisError, OSError):
            self.breaker.failure()
            return False
        if up:
            self.breaker.success()
        return up

    async def close(self) -> None:
        await self._redis.aclose()
