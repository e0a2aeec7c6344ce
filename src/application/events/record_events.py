"""Recording what shoppers do: events with their popularity effect, and the result pages served.

Plain use cases with no HTTP in them, so the shopper simulator can drive them in process; the
clock port lets it back-date what it records. What follows a stored event (cache, job triggers,
the shopper's profile) is registered in `reactions.py` and run by `dispatch.Reactions`.
"""

import msgspec

from application.events.dispatch import EventRecorded, Reactions, Receipt
from application.ports import Clock
from application.search.dto import SearchResult
from domain.catalog.errors import ProductNotFound
from domain.events.errors import InvalidEvent
from domain.events.model import (
    EVENT_TYPES,
    MAX_QUERY,
    Event,
    EventType,
    Impression,
    PopularityWeights,
    Shown,
)
from domain.events.ports import EventLog
from domain.events.rules import validate_event
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION

_TYPES: dict[str, EventType] = {t: t for t in EVENT_TYPES}


class VisitorRef(msgspec.Struct, frozen=True, kw_only=True):
    """Who acted: the visitor id (`user:<id>` or `anon:<cookie>`), their user id if any, their arm."""

    visitor_id: str
    arm: str
    user_id: int | None = None


class EventIn(msgspec.Struct, frozen=True, kw_only=True):
    type: str
    sku: str
    search_id: str | None = None
    position: int | None = None
    query: str | None = None


class RecordEvent:
    def __init__(self, log: EventLog, clock: Clock, weights: PopularityWeights, reactions: Reactions) -> None:
        self._log = log
        self._clock = clock
        self._weights = weights
        self._reactions = reactions

    async def __call__(self, data: EventIn, visitor: VisitorRef) -> Receipt:
        """Store the event (202 means stored) and react to it; ProductNotFound, InvalidEvent store
        nothing. The receipt carries the reactions left for after the answer."""
        event_type = _TYPES.get(data.type)
        if event_type is None:
            raise InvalidEvent("type", f"type must be one of {', '.join(EVENT_TYPES)}")
        event = Event(
            type=event_type,
            sku=data.sku,
            visitor_id=visitor.visitor_id,
            user_id=visitor.user_id,
            arm=visitor.arm,
            occurred_at=self._clock.now(),
            search_id=data.search_id,
            position=data.position,
            query=data.query,
        )
        validate_event(event)
        delta = self._weights.of(event.type)
        if not await self._log.record(event, delta):
            raise ProductNotFound(event.sku)
        later = await self._reactions.dispatch(EventRecorded(event, delta))
        return Receipt(event, later)


class RecordImpression:
    def __init__(self, log: EventLog, clock: Clock) -> None:
        self._log = log
        self._clock = clock

    async def __call__(self, result: SearchResult, visitor: VisitorRef) -> Impression:
        logged = bool(result.items) and all(len(hit.features) == len(FEATURE_NAMES) for hit in result.items)
        impression = Impression(
            search_id=result.search_id,
            visitor_id=visitor.visitor_id,
            user_id=visitor.user_id,
            arm=visitor.arm,
            query=result.query.text[:MAX_QUERY],
            items=tuple(Shown(hit.product.sku, hit.position, hit.features) for hit in result.items),
            page=result.page,
            total=result.total,
            occurred_at=self._clock.now(),
            # Only pages ranked with the current features carry a version; others are not training data.
            feature_version=FEATURE_VERSION if logged else None,
        )
        await self._log.record_impression(impression)
        return impression
