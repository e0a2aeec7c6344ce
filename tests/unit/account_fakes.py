"""In-memory fakes of the ports account export and deletion use."""

from collections.abc import Sequence

import msgspec

from application.account.ports import OwnReview, Viewed
from domain.cart.model import CartItem
from domain.events.model import Event


class InMemoryOwnReviews:
    def __init__(self) -> None:
        self.reviews: dict[int, list[OwnReview]] = {}

    async def of_user(self, user_id: int) -> Sequence[OwnReview]:
        return sorted(self.reviews.get(user_id, []), key=lambda r: r.created_at, reverse=True)

    async def delete_of_user(self, user_id: int) -> Sequence[str]:
        return [r.sku for r in self.reviews.pop(user_id, [])]


class InMemoryUserRows:
    """Cart lines, views: anything keyed by user id."""

    def __init__(self) -> None:
        self.cart: dict[int, list[CartItem]] = {}
        self.views: dict[int, list[Viewed]] = {}
        self.forgotten: list[int] = []

    async def items(self, user_id: int) -> list[CartItem]:
        return list(self.cart.get(user_id, []))

    async def viewed(self, user_id: int) -> Sequence[Viewed]:
        return list(self.views.get(user_id, []))

    async def forget_user(self, user_id: int) -> None:
        self.forgotten.append(user_id)
        self.cart.pop(user_id, None)
        self.views.pop(user_id, None)


class InMemoryVisitorRows:
    def __init__(self, *visitors: str) -> None:
        self.visitors = set(visitors)

    async def forget_visitor(self, visitor_id: str) -> None:
        self.visitors.discard(visitor_id)


class InMemoryVisitorEvents:
    def __init__(self, events: Sequence[Event] = ()) -> None:
        self.events = list(events)

    async def of_visitor(self, visitor_id: str, limit: int) -> Sequence[Event]:
        return [e for e in self.events if e.visitor_id == visitor_id][:limit]

    async def pseudonymise(self, visitor_id: str, pseudonym: str) -> int:
        changed = 0
        for i, event in enumerate(self.events):
            if event.visitor_id == visitor_id:
                self.events[i] = msgspec.structs.replace(event, visitor_id=pseudonym, user_id=None)
                changed += 1
        return changed
