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


class Observer(Protocol):
    """What the use cases report for an operator to watch (metrics); how it is kept is the adapter's."""

    def search_stage(self, stage: str, seconds: float) -> None:
        """Time one stage of a search took: parse, match, score, rank or facets (summed per search)."""
        ...

    def event(self, event_type: str, outcome: str) -> None:
        """An event accepted ("accepted") or rejected ("invalid", "unknown_product", "too_many")."""
        ...

    def job_run(self, name: str, status: str, seconds: float) -> None:
        """A job run ended: "done", "busy" (another run held the lock) or "failed"."""
        ...


class NoObserver:
    """Reports nowhere: the default of every use case that takes an observer."""

    def search_stage(self, stage: str, seconds: float) -> None:
        return None

    def event(self, event_type: str, outcome: str) -> None:
        return None

    def job_run(self, name: str, status: str, seconds: float) -> None:
        return None
