"""Cross-cutting ports of the application layer."""

from datetime import datetime
from typing import Protocol, runtime_checkable


@runtime_checkable  # Litestar checks handler arguments against their annotation
class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def incr(self, key: str, amount: int = 1, ttl_seconds: float | None = None) -> int:
        """Add atomically; a key that did not exist expires after `ttl_seconds` (if given)."""
        ...

    async def ttl(self, key: str) -> float | None:
        """Seconds until the key expires; None when it does not exist or never expires."""
        ...

    async def ping(self) -> bool: ...

    def counters(self) -> dict[str, int]:
        """Reads that found a value (hits) and that did not (misses), in this process."""
        ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class ProductInvalidator(Protocol):
    """Forgets whatever is cached about one product, after a change the product cache cannot see."""

    async def invalidate(self, sku: str) -> None: ...
