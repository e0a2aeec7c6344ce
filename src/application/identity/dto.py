import msgspec

from domain.identity.model import User


class Authenticated(msgspec.Struct, frozen=True, kw_only=True):
    """A fresh login: the user and the token to hand back (never stored as is)."""

    user: User
    token: str
