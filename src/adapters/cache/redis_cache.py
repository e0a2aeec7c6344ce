"""RedisCache: the shared cache when REDIS_URL is configured."""

from typing import cast

from redis.asyncio import Redis
from redis.exceptions import RedisError


class RedisCache:
    def __init__(self, client: Redis, prefix: str = "ecomsearch:") -> None:
        self._redis = client
        self._prefix = prefix
        self.hits = 0
        self.misses = 0

    async def get(self, key: str) -> bytes | None:
        value = cast(bytes | None, await self._redis.get(self._prefix + key))
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        await self._redis.set(self._prefix + key, value, px=max(1, int(ttl_seconds * 1000)))

    async def delete(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)

    async def incr(self, key: str, amount: int = 1, ttl_seconds: float | None = None) -> int:
        if ttl_seconds is None:
            return int(await self._redis.incrby(self._prefix + key, amount))
        # One MULTI/EXEC: the count and its expiry are set together; NX keeps the first window's
        # deadline, so repeated failures do not extend it.
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incrby(self._prefix + key, amount)
            pipe.pexpire(self._prefix + key, max(1, int(ttl_seconds * 1000)), nx=True)
            value, _ = await pipe.execute()
        return int(value)

    async def ttl(self, key: str) -> float | None:
        milliseconds = int(await self._redis.pttl(self._prefix + key))
        return milliseconds / 1000 if milliseconds >= 0 else None

    def counters(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses}

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False

    async def close(self) -> None:
        await self._redis.aclose()
