"""A per-shopper version number in the cache, moved every time the shopper's profile is rebuilt.

Cached profiles are keyed on it, so a rebuilt profile is read at the next search instead of
after the cached copy's TTL.
"""

from collections.abc import Sequence

from application.ports import Cache

# Long enough to outlive every cached profile; an expired counter restarts at 0, which only
# costs one cache miss.
VERSION_TTL_SECONDS = 7 * 24 * 3600.0


def _key(visitor_id: str) -> str:
    return f"profile:version:{visitor_id}"


class ProfileVersions:
    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    async def current(self, visitor_id: str) -> int:
        raw = await self._cache.get(_key(visitor_id))
        return int(raw) if raw else 0

    async def bump(self, visitor_ids: Sequence[str]) -> None:
        for visitor_id in visitor_ids:
            await self._cache.incr(_key(visitor_id), 1, ttl_seconds=VERSION_TTL_SECONDS)
