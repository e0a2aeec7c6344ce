"""ExportAccount: everything the shop holds about a shopper, in one document (GDPR art. 15, 20)."""

from collections.abc import Sequence

import msgspec

from application.account.ports import OwnReview, OwnReviews, Viewed, ViewedProducts, VisitorEvents
from application.identity.dto import SessionInfo
from application.identity.sessions import Sessions
from domain.cart.model import CartItem
from domain.cart.ports import CartRepository
from domain.events.model import Event
from domain.experiments.assignment import user_visitor_id
from domain.identity.model import User

# Far beyond what a shopper produces; a bound so one export cannot exhaust the process.
EVENTS_MAX = 100_000


class AccountExport(msgspec.Struct, frozen=True, kw_only=True):
    user: User
    cart: Sequence[CartItem]
    reviews: Sequence[OwnReview]
    events: Sequence[Event]
    recently_viewed: Sequence[Viewed]
    sessions: Sequence[SessionInfo]


class ExportAccount:
    def __init__(
        self,
        carts: CartRepository,
        reviews: OwnReviews,
        views: ViewedProducts,
        events: VisitorEvents,
        sessions: Sessions,
    ) -> None:
        self._carts = carts
        self._reviews = reviews
        self._views = views
        self._events = events
        self._sessions = sessions

    async def __call__(self, user: User, current_token: str | None) -> AccountExport:
        return AccountExport(
            user=user,
            cart=await self._carts.items(user.id),
            reviews=await self._reviews.of_user(user.id),
            events=await self._events.of_visitor(user_visitor_id(user.id), EVENTS_MAX),
            recently_viewed=await self._views.viewed(user.id),
            sessions=await self._sessions.listed(user.id, current_token),
        )
