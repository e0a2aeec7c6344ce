"""Recording what shoppers do: events with their popularity effect, and the result pages served.

Plain use cases with no HTTP in them, so the shopper simulator can drive them in process; the
clock port lets it back-date what it records. What follows a stored event (cache, recently
viewed, job triggers, the shopper's profile) is registered in `reactions.py` and run by
`dispatch.Reactions`.

Popularity cannot be bought with repetition: each (visitor, product, event type) moves it at most
once per window (`PopularityMarks`, in the database so every process agrees), anonymous visitors
weigh less, and a client over its event budget is refused before anything is stored. A repeated
event is stored all the same, with no popularity: analytics and training count every event.
"""

import logging
from datetime import timedelta

import msgspec

from application.events.dispatch import EventRecorded, Reactions, Receipt
from application.events.rate_limit import EventRateLimiter
from application.ports import Clock, NoObserver, Observer
from application.search.dto import SearchResult
from domain.catalog.errors import ProductNotFound
from domain.events.errors import InvalidEvent, TooManyEvents
from domain.events.model import (
    EVENT_TYPES,
    MAX_QUERY,
    Event,
    EventType,
    Impression,
    PopularityWeights,
    Shown,
)
from domain.events.ports import EventLog, PopularityMarks
from domain.events.rules import validate_event
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION

log = logging.getLogger(__name__)

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
    def __init__(
        self,
        log: EventLog,
        clock: Clock,
        weights: PopularityWeights,
        reactions: Reactions,
        *,
        marks: PopularityMarks | None = None,
        limiter: EventRateLimiter | None = None,
        observer: Observer | None = None,
    ) -> None:
        self._observer = observer or NoObserver()
        self._log = log
        self._clock = clock
        self._weights = weights
        self._reactions = reactions
        self._marks = marks
        self._limiter = limiter

    async def __call__(self, data: EventIn, visitor: VisitorRef, address: str | None = None) -> Receipt:
        """Store the event (202 means stored) and react to it; ProductNotFound, InvalidEvent and
        TooManyEvents store nothing. `address` is the client's network address when known: an
        anonymous visitor is counted and limited by it. The receipt carries the reactions left
        for after the answer."""
        kind = data.type if data.type in _TYPES else "unknown"  # a bounded label for the metrics
        try:
            receipt = await self._record(data, visitor, address)
        except InvalidEvent:
            self._observer.event(kind, "invalid")
            raise
        except ProductNotFound:
            self._observer.event(kind, "unknown_product")
            raise
        except TooManyEvents:
            self._observer.event(kind, "too_many")
            raise
        self._observer.event(kind, "accepted")
        return receipt

    async def _record(self, data: EventIn, visitor: VisitorRef, address: str | None) -> Receipt:
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
        client = _client_key(visitor, address)
        if self._limiter is not None:
            await self._limiter.check(client)
        delta = await self._claim(event, client, anonymous=visitor.user_id is None)
        try:
            stored = await self._log.record(event, delta)
        except Exception:
            await self._release(event, client, delta)
            raise
        if not stored:
            await self._release(event, client, delta)
            raise ProductNotFound(event.sku)
        later = await self._reactions.dispatch(EventRecorded(event, delta))
        return Receipt(event, later)

    async def _claim(self, event: Event, client: str, *, anonymous: bool) -> float:
        weight = self._weights.of(event.type, anonymous=anonymous)
        if not weight or self._marks is None:
            return weight
        window = timedelta(seconds=self._weights.window_seconds)
        claimed = await self._marks.claim(client, event.sku, event.type, event.occurred_at, window)
        return weight if claimed else 0.0

    async def _release(self, event: Event, client: str, delta: float) -> None:
        # The event was not stored, so its claim must not block the client's retry from counting.
        # If this fails too the retry adds nothing for this window: popularity may undercount, never
        # overcount.
        if not delta or self._marks is None:
            return
        try:
            await self._marks.release(client, event.sku, event.type, event.occurred_at)
        except Exception as exc:
            log.warning("popularity mark not released (%s)", exc.__class__.__name__)


def _client_key(visitor: VisitorRef, address: str | None) -> str:
    """Who counts once: the user, else the anonymous visitor's address (a new cookie is free),
    else (in process, no address) the anonymous id."""
    if visitor.user_id is not None or address is None:
        return visitor.visitor_id
    return f"addr:{address}"


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
