"""What a handler demands of its visitor before it acts: a logged-in user, or an administrator."""

from domain.identity.errors import NotAdmin, NotAuthenticated
from domain.identity.model import User
from entrypoints.http.visitor import Visitor


def require_user(visitor: Visitor) -> User:
    if visitor.user is None:
        raise NotAuthenticated()
    return visitor.user


def require_admin(visitor: Visitor) -> None:
    if not require_user(visitor).is_admin:
        raise NotAdmin()
