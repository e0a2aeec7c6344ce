"""Accounts and their sessions."""

from datetime import datetime, timedelta

import msgspec


class User(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    username: str
    email: str | None
    is_admin: bool
    created_at: datetime


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
    """A login. Only the SHA-256 of its token is ever stored."""

    token_hash: str
    user_id: int
    created_at: datetime
    last_seen_at: datetime


class SessionPolicy(msgspec.Struct, frozen=True, kw_only=True):
    idle: timedelta = timedelta(minutes=60 * 24 * 7)
    absolute: timedelta = timedelta(days=30)
    # How stale last_seen_at may get before it is written back (saves a write per request).
    touch_every: timedelta = timedelta(minutes=1)
