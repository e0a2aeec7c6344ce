"""Accounts, their sessions and the single-use tokens mailed to them."""

from datetime import datetime, timedelta
from enum import StrEnum

import msgspec


class User(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    username: str
    email: str | None
    is_admin: bool
    created_at: datetime
    # Proved by a mailed link; an account without an email is never verified.
    email_verified: bool = False


class NewUser(msgspec.Struct, frozen=True, kw_only=True):
    """A validated signup, with its password already hashed."""

    username: str
    email: str | None
    password_hash: str
    created_at: datetime


class Credentials(msgspec.Struct, frozen=True, kw_only=True):
    user: User
    password_hash: str


class Session(msgspec.Struct, frozen=True, kw_only=True):
    """A login. Only the SHA-256 of its token is ever stored; `id` is a separate random public
    handle (what the sessions list shows and ends), so showing it reveals nothing of the token."""

    token_hash: str
    id: str
    user_id: int
    created_at: datetime
    last_seen_at: datetime
    # Where and with what the session was started (login or signup); None when not known.
    address: str | None = None
    user_agent: str | None = None


class SessionPolicy(msgspec.Struct, frozen=True, kw_only=True):
    idle: timedelta = timedelta(minutes=60 * 24 * 7)
    absolute: timedelta = timedelta(days=30)
    # How stale last_seen_at may get before it is written back (saves a write per request).
    touch_every: timedelta = timedelta(minutes=1)


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    PASSWORD_RESET = "password_reset"


class AccountToken(msgspec.Struct, frozen=True, kw_only=True):
    """A mailed token: only its SHA-256 is stored; `email` is the address it was mailed to."""

    token_hash: str
    purpose: TokenPurpose
    user_id: int
    email: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class TokenPolicy(msgspec.Struct, frozen=True, kw_only=True):
    verify_email: timedelta = timedelta(hours=48)
    password_reset: timedelta = timedelta(minutes=30)

    def lifetime(self, purpose: TokenPurpose) -> timedelta:
        return self.verify_email if purpose is TokenPurpose.VERIFY_EMAIL else self.password_reset
