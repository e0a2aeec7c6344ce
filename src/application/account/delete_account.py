"""DeleteAccount: the account goes, and so does whatever identifies the shopper (GDPR art. 17).

Deleted: the user row, sessions (and their cached copies), cart and cart log, reviews (product
ratings recounted), recently viewed, the shopper profile, popularity marks, the mailed links'
tokens and the mail to the account's address. Pseudonymised and
kept: events, impressions and the analytics visitor row, under one random `deleted:` id with no
user id, so popularity and analytics totals stay as they were. docs/privacy.md says why.
"""

import secrets
from collections.abc import Sequence

from application.account.ports import AddressRows, OwnReviews, UserRows, VisitorEvents, VisitorRows
from application.identity.rate_limit import PasswordChangeRateLimiter
from application.identity.sessions import Sessions
from application.ports import ProductInvalidator
from domain.experiments.assignment import user_visitor_id
from domain.identity.errors import InvalidField, LastAdmin
from domain.identity.model import User
from domain.identity.ports import PasswordHasher, UserRepository
from domain.identity.rules import PASSWORD_MAX, normalize_password

PSEUDONYM_PREFIX = "deleted:"


def new_pseudonym() -> str:
    """Random, so nothing links it back to the user id (a hash of the id could be recomputed)."""
    return PSEUDONYM_PREFIX + secrets.token_urlsafe(16)


class DeleteAccount:
    """Needs the password; wrong ones count against the same per-user budget as password changes,
    so a stolen session can guess no faster here. The last administrator cannot leave."""

    def __init__(
        self,
        users: UserRepository,
        hasher: PasswordHasher,
        sessions: Sessions,
        limiter: PasswordChangeRateLimiter,
        reviews: OwnReviews,
        invalidator: ProductInvalidator,
        user_rows: Sequence[UserRows],
        visitor_rows: Sequence[VisitorRows],
        events: VisitorEvents,
        address_rows: Sequence[AddressRows] = (),
    ) -> None:
        self._users = users
        self._hasher = hasher
        self._sessions = sessions
        self._limiter = limiter
        self._reviews = reviews
        self._invalidator = invalidator
        self._user_rows = user_rows
        self._visitor_rows = visitor_rows
        self._events = events
        self._address_rows = address_rows

    async def __call__(self, user: User, password: str) -> None:
        if not password:
            raise InvalidField("password", "is required")
        await self._limiter.check(user.id)
        secret = normalize_password(password)
        credentials = await self._users.credentials(user.username) if len(secret) <= PASSWORD_MAX else None
        if credentials is None or not await self._hasher.verify(secret, credentials.password_hash):
            await self._limiter.failed(user.id)
            raise InvalidField("password", "is not your password")
        if user.is_admin and not [a for a in await self._users.listed(True) if a.id != user.id]:
            raise LastAdmin()
        # Sessions first: nothing new is recorded under the account while it is being removed.
        # The user row goes last, so a failure half-way leaves an account that can log in and retry.
        await self._sessions.end_all(user.id)
        for sku in await self._reviews.delete_of_user(user.id):
            await self._invalidator.invalidate(sku)
        for rows in self._user_rows:
            await rows.forget_user(user.id)
        visitor_id = user_visitor_id(user.id)
        for visitor_rows in self._visitor_rows:
            await visitor_rows.forget_visitor(visitor_id)
        await self._events.pseudonymise(visitor_id, new_pseudonym())
        if user.email:
            for address_rows in self._address_rows:
                await address_rows.forget_address(user.email)
        await self._users.delete(user.id)
