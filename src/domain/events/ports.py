"""What the event log needs from outside."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.events.model import Event, Impression


class EventLog(Protocol):
    async def record(self, event: Event, popularity_delta: int) -> bool:
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
