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

    async def incr(self, key: str, amount: int = 1) -> int:
        return int(await self._redis.incrby(self._prefix + key, amount))

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False

    async def close(self) -> None:
        await self._redis.aclose()
