"""MemoryCache: the in-process cache used when no REDIS_URL is configured."""

import time
from collections import OrderedDict


class MemoryCache:
    def __init__(self, max_entries: int = 50_000) -> None:
        self._data: OrderedDict[str, tuple[float | None, bytes]] = OrderedDict()
        self._max = max_entries
        self.hits = 0
        self.misses = 0

    def _live(self, key: str) -> tuple[float | None, bytes] | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        expires, _ = entry
        if expires is not None and expires <= time.monotonic():
            del self._data[key]
            return None
        return entry

    async def get(self, key: str) -> bytes | None:
        entry = self._live(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        self._data.move_to_end(key)
        return entry[1]

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        self._data[key] = (time.monotonic() + ttl_seconds, value)
        self._data.move_to_end(key)
        while len(self._data) > self._max:
            self._data.popitem(last=False)

    async def delete(self, key: str) -> None:
        self._data.pop(key, None)

    async def incr(self, key: str, amount: int = 1, ttl_seconds: float | None = None) -> int:
        entry = self._live(key)
        if entry is None:
            expires = None if ttl_seconds is None else time.monotonic() + ttl_seconds
            value = amount
        else:
            expires, value = entry[0], int(entry[1]) + amount
        self._data[key] = (expires, str(value).encode())
        return value

    async def ttl(self, key: str) -> float | None:
        entry = self._live(key)
        if entry is None or entry[0] is None:
            return None
        return max(0.0, entry[0] - time.monotonic())

    def counters(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses}

    async def ping(self) -> bool:
        return True
