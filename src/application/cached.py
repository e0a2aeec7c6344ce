"""Read-through caching of small, slowly changing reads (categories, index statistics)."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

import msgspec

from application.ports import Cache

T = TypeVar("T")

CATALOG_VERSION_KEY = "catalog:version"


async def catalog_version(cache: Cache) -> int:
    raw = await cache.get(CATALOG_VERSION_KEY)
    return int(raw) if raw else 0


async def bump_catalog_version(cache: Cache) -> None:
    """Every catalog write moves the version, so keys built on it go stale without a scan."""
    await cache.incr(CATALOG_VERSION_KEY)


async def read_through(
    cache: Cache, key: str, ttl: float, kind: type[T], load: Callable[[], Awaitable[T]]
) -> T:
    """The cached value under `key`, or `load()`'s, stored; an unreadable entry is replaced."""
    raw = await cache.get(key)
    if raw is not None:
        try:
            return msgspec.msgpack.decode(raw, type=kind)
        except msgspec.DecodeError:
            await cache.delete(key)
    value = await load()
    await cache.set(key, msgspec.msgpack.encode(value), ttl)
    return value


async def cached(cache: Cache, key: str, ttl: float, kind: type[T], load: Callable[[], Awaitable[T]]) -> T:
    """`read_through` under the catalog's version: a catalog write leaves the old entries unread."""
    version = await catalog_version(cache)
    return await read_through(cache, f"{key}:v{version}", ttl, kind, load)
