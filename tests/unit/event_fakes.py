"""InMemoryEventLog: the event log port over lists, bumping popularity in the product fake."""

from collections.abc import Sequence
from datetime import datetime

import msgspec

from domain.events.model import Event, Impression
from tests.unit.fakes import InMemoryProductRepository


class InMemoryEventLog:
    def __init__(self, products: InMemoryProductRepository) -> None:
        self._products = products
        self.events: list[Event] = []
        self.impressions: list[Impression] = []

    async def record(self, event: Event, popularity_delta: int) -> bool:
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
