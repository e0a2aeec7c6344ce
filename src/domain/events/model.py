"""What a shopper did: events (view, click, add to cart) and the result pages they were shown."""

from datetime import datetime
from typing import Literal

import msgspec

EventType = Literal["view", "click", "add_to_cart"]
EVENT_TYPES: tuple[EventType, ...] = ("view", "click", "add_to_cart")

# Bounds shared by the HTTP schema and the domain check, so both refuse the same input.
MAX_SKU = 64
MAX_QUERY = 500
MAX_SEARCH_ID = 64
MAX_POSITION = 100_000


class Event(msgspec.Struct, frozen=True, kw_only=True):
    type: EventType
    sku: str
    visitor_id: str
    arm: str
    occurred_at: datetime
    user_id: int | None = None
    search_id: str | None = None
    position: int | None = None
    query: str | None = None


class Shown(msgspec.Struct, frozen=True, array_like=True):
    sku: str
    position: int
    # What the ranker saw for this item (empty when it was not logged).
    features: tuple[float, ...] = ()


class Impression(msgspec.Struct, frozen=True, kw_only=True):
    """One result page served: which products stood where, for whom, under which arm."""

    search_id: str
    visitor_id: str
    arm: str
    query: str
    items: tuple[Shown, ...]
    page: int
    total: int
    occurred_at: datetime
    user_id: int | None = None
    feature_version: str | None = None


class PopularityWeights(msgspec.Struct, frozen=True, kw_only=True):
    """What an event adds to its product's popularity.

    Each (visitor, product, event type) counts at most once per `window_seconds`: a repeated event
    is still logged (analytics and training read every event) but adds nothing. An anonymous
    visitor's event weighs `anonymous` times a logged-in shopper's: an anonymous id costs nothing.
    """

    view: int = 0
    click: int = 1
    add_to_cart: int = 3
    anonymous: float = 0.25
    window_seconds: float = 3600.0

    def of(self, event_type: EventType, *, anonymous: bool = False) -> float:
        weight = float(getattr(self, event_type))
        return weight * self.anonymous if anonymous else weight
