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


async def cached(cache: Cache, key: str, ttl: float, kind: type[T], load: Callable[[], Awaitable[T]]) -> T:
    version = await catalog_version(cache)
    full_key = f"{key}:v{version}"
    raw = await cache.get(full_key)
    if raw is not None:
        try:
            return msgspec.msgpack.decode(raw, type=kind)
        except msgspec.DecodeError:
            await cache.delete(full_key)
    value = await load()
    await cache.set(full_key, msgspec.msgpack.encode(value), ttl)
    return value
