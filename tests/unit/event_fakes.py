"""InMemoryEventLog: the event log port over lists, bumping popularity in the product fake."""

from collections.abc import Sequence
from datetime import datetime, timedelta

import msgspec

from domain.events.model import Event, EventType, Impression
from tests.unit.fakes import InMemoryProductRepository


class InMemoryEventLog:
    def __init__(self, products: InMemoryProductRepository) -> None:
        self._products = products
        self.events: list[Event] = []
        self.impressions: list[Impression] = []

    async def record(self, event: Event, popularity_delta: float) -> bool:
        product = self._products.products.get(event.sku)
        if product is None:
            return False
        self._products.products[event.sku] = msgspec.structs.replace(
            product, popularity=product.popularity + popularity_delta
        )
        self.events.append(event)
        return True

    async def record_impression(self, impression: Impression) -> None:
        self.impressions.append(impression)

    async def events_between(self, start: datetime, end: datetime, limit: int = 10_000) -> list[Event]:
        return sorted((e for e in self.events if start <= e.occurred_at < end), key=lambda e: e.occurred_at)[
            :limit
        ]

    async def impressions_between(
        self, start: datetime, end: datetime, limit: int = 10_000
    ) -> list[Impression]:
        return [i for i in self.impressions if start <= i.occurred_at < end][:limit]

    async def events_of_visitor(
        self, visitor_id: str, since: datetime, limit: int = 1_000
    ) -> Sequence[Event]:
        mine = [e for e in self.events if e.visitor_id == visitor_id and e.occurred_at >= since]
        return sorted(mine, key=lambda e: e.occurred_at, reverse=True)[:limit]


class InMemoryPopularityMarks:
    """The popularity-marks port over a dict: when each (key, sku, type) last counted."""

    def __init__(self) -> None:
        self.counted: dict[tuple[str, str, str], datetime] = {}

    async def claim(self, key: str, sku: str, kind: EventType, at: datetime, window: timedelta) -> bool:
        last = self.counted.get((key, sku, kind))
        if last is not None and last > at - window:
            return False
        self.counted[(key, sku, kind)] = at
        return True

    async def release(self, key: str, sku: str, kind: EventType, at: datetime) -> None:
        if self.counted.get((key, sku, kind)) == at:
            del self.counted[(key, sku, kind)]
