"""Every reaction to a stored event, registered in one function: a new reaction is one line here.

`Reactions.register(handler, kinds, stage)`: `kinds` defaults to every event type, `stage` to
after commit (before the answer); "after_answer" runs off the request path. The popularity bump
is not here: the event log stores it with the event (see `dispatch.py`).
"""

from application.catalog.product_cache import ProductCache
from application.events.dispatch import EventRecorded, Reactions
from application.events.record_events import VisitorRef
from application.jobs.counting import CountTowardTriggers
from application.jobs.triggers import JobTriggers
from application.shoppers.refresh_profile_on_event import RefreshProfileOnEvent
from domain.events.model import EVENT_TYPES, EventType, PopularityWeights
from domain.recommendations.ports import ViewHistory
from domain.recommendations.rules import RECENT_KEPT

# The kinds that put a product in a logged-in user's recently viewed (the contract's rule).
VIEWED_KINDS: tuple[EventType, ...] = ("view", "click")


def event_reactions(
    weights: PopularityWeights,
    product_cache: ProductCache,
    triggers: JobTriggers,
    refresh_profile: RefreshProfileOnEvent,
    views: ViewHistory,
) -> Reactions:
    reactions = Reactions()
    reactions.register(DropCachedProduct(product_cache), kinds=bumping_kinds(weights))
    reactions.register(RememberViewed(views), kinds=VIEWED_KINDS)
    reactions.register(CountTowardTriggers(triggers))
    reactions.register(RefreshShopperProfile(refresh_profile), stage="after_answer")
    return reactions


def bumping_kinds(weights: PopularityWeights) -> tuple[EventType, ...]:
    """The kinds that move a product's popularity (views do not, by default)."""
    return tuple(kind for kind in EVENT_TYPES if weights.of(kind))


class DropCachedProduct:
    """A product read shows the new popularity at once; search orders catch up within their TTL."""

    def __init__(self, product_cache: ProductCache) -> None:
        self._product_cache = product_cache

    async def __call__(self, recorded: EventRecorded) -> None:
        await self._product_cache.invalidate(recorded.event.sku)


class RememberViewed:
    """A logged-in user's view or click counts as reading the product page: before the answer, so
    the shopper's next recommendations show it. Only stored events get here, so the product exists."""

    def __init__(self, views: ViewHistory) -> None:
        self._views = views

    async def __call__(self, recorded: EventRecorded) -> None:
        event = recorded.event
        if event.user_id is not None:
            await self._views.record(event.user_id, event.sku, event.occurred_at, RECENT_KEPT)


class RefreshShopperProfile:
    """The shopper's next search reflects this event (anonymous visitors wait for the periodic job)."""

    def __init__(self, refresh: RefreshProfileOnEvent) -> None:
        self._refresh = refresh

    async def __call__(self, recorded: EventRecorded) -> None:
        event = recorded.event
        await self._refresh(VisitorRef(visitor_id=event.visitor_id, arm=event.arm, user_id=event.user_id))
