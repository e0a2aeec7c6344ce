from datetime import datetime

import msgspec

from domain.identity.model import User


class Authenticated(msgspec.Struct, frozen=True, kw_only=True):
    """A fresh login: the user and the token to hand back (never stored as is)."""

    user: User
    token: str


class SessionInfo(msgspec.Struct, frozen=True, kw_only=True):
    """A session as its owner sees it: never its token or the token's hash."""

    id: str
    created_at: datetime
    last_used_at: datetime
    address: str | None
    user_agent: str | None
    current: bool
