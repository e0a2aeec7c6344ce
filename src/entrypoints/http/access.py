"""What a handler demands of its visitor before it acts: a logged-in user, or an administrator."""

from typing import Any

from litestar import Request

from domain.audit.model import Actor
from domain.identity.errors import NotAdmin, NotAuthenticated
from domain.identity.model import User
from entrypoints.http.dependencies import container_of
from entrypoints.http.visitor import Visitor, client_address


def require_user(visitor: Visitor) -> User:
    if visitor.user is None:
        raise NotAuthenticated()
    return visitor.user


def require_admin(visitor: Visitor) -> None:
    if not require_user(visitor).is_admin:
        raise NotAdmin()


def admin_actor(visitor: Visitor, request: Request[Any, Any, Any]) -> Actor:
    """The administrator behind this request, as the audit log names them: username and the
    client's address (from `X-Forwarded-For` only under TRUST_FORWARDED_FOR)."""
    require_admin(visitor)
    assert visitor.user is not None  # checked just above
    settings = container_of(request.app.state).settings()
    return Actor(name=visitor.user.username, address=client_address(request, settings.trust_forwarded_for))
