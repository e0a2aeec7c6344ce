"""What export and deletion need from the stores that hold a shopper's data.

Rows are reached two ways: by user id (cart, cart log, recently viewed, reviews) and by visitor
id `user:<id>` (events, impressions, shopper profiles, popularity marks, analytics visitors).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import msgspec

from domain.events.model import Event


class OwnReview(msgspec.Struct, frozen=True, kw_only=True):
    sku: str
    rating: int
    comment: str
    created_at: datetime


class Viewed(msgspec.Struct, frozen=True, kw_only=True):
    sku: str
    viewed_at: datetime


class OwnReviews(Protocol):
    async def of_user(self, user_id: int) -> Sequence[OwnReview]:
        """The user's reviews, newest first."""
        ...

    async def delete_of_user(self, user_id: int) -> Sequence[str]:
        """Delete every review of the user, recounting each product's rating; the skus touched."""
        ...


class ViewedProducts(Protocol):
    async def viewed(self, user_id: int) -> Sequence[Viewed]:
        """What the user viewed, newest first."""
        ...


class UserRows(Protocol):
    """A store with rows keyed by user id that go with the account."""

    async def forget_user(self, user_id: int) -> None: ...


class AddressRows(Protocol):
    """A store with rows keyed by an email address that go with the account (mail sent to it)."""

    async def forget_address(self, address: str) -> None: ...


class VisitorRows(Protocol):
    """A store with rows keyed by visitor id that go with the account."""

    async def forget_visitor(self, visitor_id: str) -> None: ...


class VisitorEvents(Protocol):
    """The event logs (live and archived) as one visitor's history."""

    async def of_visitor(self, visitor_id: str, limit: int) -> Sequence[Event]:
        """The visitor's events, live and archived, oldest first, at most `limit`."""
        ...

    async def pseudonymise(self, visitor_id: str, pseudonym: str) -> int:
        """Give every event, impression and analytics row of the visitor the pseudonym instead
        and drop their user id; counts stay as they were. How many rows changed."""
        ...
