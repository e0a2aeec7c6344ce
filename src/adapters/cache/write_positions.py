"""Where the primary's write-ahead log stood after the last write that invalidated cached reads.

A read from a lagging replica just after a catalog edit would otherwise be cached under the new
catalog version and outlive the lag. Writers record the primary's WAL position (a byte offset)
before they move the version or drop an entry (`FencedCache`); readers trust the replica only
once it has replayed past the recorded position (`adapters.sql.replica`). The position only
grows: two writers racing cannot move it back (a Lua max in Redis, one step).
"""

import logging
from collections.abc import Awaitable, Callable
from typing import cast

from redis.asyncio import Redis
from redis.exceptions import RedisError

from application.ports import Cache

log = logging.getLogger("ecomsearch.replica")

POSITION_KEY = "replica:write_lsn"

# SET the key to ARGV[1] when that is greater than what it holds; answers the value kept.
_KEEP_MAX = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local wanted = tonumber(ARGV[1])
if wanted > current then
  redis.call('SET', KEYS[1], ARGV[1])
  return wanted
end
return current
"""


class RedisWritePositions:
    """Shared by every process. Unreadable (Redis down): None, and readers go to the primary."""

    def __init__(self, client: Redis, prefix: str = "ecomsearch:") -> None:
        self._redis = client
        self._key = prefix + POSITION_KEY
        self._unsent = 0  # a position that could not be recorded, retried at the next call

    async def record(self, position: int) -> None:
        wanted = max(position, self._unsent)
        try:
            await cast(Awaitable[int], self._redis.eval(_KEEP_MAX, 1, self._key, str(wanted)))
        except (RedisError, OSError) as exc:
            self._unsent = wanted
            log.warning("write position not recorded: Redis failed (%s)", exc.__class__.__name__)
            return
        self._unsent = 0

    async def required(self) -> int | None:
        try:
            if self._unsent:
                await self.record(self._unsent)
                if self._unsent:
                    return None
            raw = await self._redis.get(self._key)
        except (RedisError, OSError):
            return None
        return int(raw) if raw else 0


class MemoryWritePositions:
    """One process without Redis: the position lives in memory."""

    def __init__(self) -> None:
        self._position = 0

    async def record(self, position: int) -> None:
        self._position = max(self._position, position)

    async def required(self) -> int | None:
        return self._position


class FencedCache:
    """The cache handed to the use cases that write what replica reads fill: before a version
    moves or an entry is dropped, the primary's current WAL position is recorded, so no reader
    fills the new key from a replica that has not replayed the write. Reads and sets pass through."""

    def __init__(
        self,
        inner: Cache,
        positions: RedisWritePositions | MemoryWritePositions,
        primary_position: Callable[[], Awaitable[int]],
    ) -> None:
        self._inner = inner
        self._positions = positions
        self._primary_position = primary_position

    async def _fence(self) -> None:
        await self._positions.record(await self._primary_position())

    async def get(self, key: str) -> bytes | None:
        return await self._inner.get(key)

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        await self._inner.set(key, value, ttl_seconds)

    async def delete(self, key: str) -> None:
        await self._fence()
        await self._inner.delete(key)

    async def incr(self, key: str, amount: int = 1, ttl_seconds: float | None = None) -> int:
        await self._fence()
        return await self._inner.incr(key, amount, ttl_seconds)

    async def ttl(self, key: str) -> float | None:
        return await self._inner.ttl(key)

    async def ping(self) -> bool:
        return await self._inner.ping()

    def counters(self) -> dict[str, int]:
        return self._inner.counters()
