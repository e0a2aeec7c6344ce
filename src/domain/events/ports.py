"""What the event log needs from outside."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from domain.events.model import Event, EventType, Impression


class EventLog(Protocol):
    async def record(self, event: Event, popularity_delta: float) -> bool:
        """Append the event and add `popularity_delta` to its product, atomically.

        False (and nothing stored) when no product has the event's sku.
        """
        ...

    async def record_impression(self, impression: Impression) -> None: ...

    async def events_between(self, start: datetime, end: datetime, limit: int = 10_000) -> list[Event]:
        """Events with start <= occurred_at < end, oldest first, at most `limit`."""
        ...

    async def impressions_between(
        self, start: datetime, end: datetime, limit: int = 10_000
    ) -> list[Impression]: ...

    async def events_of_visitor(
        self, visitor_id: str, since: datetime, limit: int = 1_000
    ) -> Sequence[Event]:
        """A visitor's events since a time, newest first."""
        ...


class PopularityMarks(Protocol):
    """When each (visitor key, product, event type) last moved popularity; shared by every process."""

    async def claim(self, key: str, sku: str, kind: EventType, at: datetime, window: timedelta) -> bool:
        """Mark the triple counted at `at`, atomically; False when it was counted within `window`
        before `at` (and nothing changes)."""
        ...

    async def release(self, key: str, sku: str, kind: EventType, at: datetime) -> None:
        """Undo this caller's claim made at `at` (its event was not stored after all)."""
        ...
