"""What a handler demands of its visitor before it acts: a logged-in user, or an administrator."""

from typing import Any

from litestar import Request

from domain.audit.model import Actor
from domain.identity.errors import NotAdmin, NotAuthenticated
from domain.identity.model import User
from entrypoints.http.dependencies import container_of
from entrypoints.http.key_access import ADMIN_GRADE
from entrypoints.http.visitor import Visitor, client_address


def require_user(visitor: Visitor) -> User:
    if visitor.user is None:
        raise NotAuthenticated()
    return visitor.user


def require_admin(visitor: Visitor) -> None:
    """An administrator's session, or an API key admitted for this route's administrative scope
    (the key guard has checked that the key holds it)."""
    if visitor.key is not None:
        if visitor.key_scope not in ADMIN_GRADE:
            raise NotAdmin()
        return
    if not require_user(visitor).is_admin:
        raise NotAdmin()


def admin_actor(visitor: Visitor, request: Request[Any, Any, Any]) -> Actor:
    """The administrator behind this request, as the audit log names them: username (or
    `key:<prefix>` for an API key) and the client's address (from `X-Forwarded-For` only under
    TRUST_FORWARDED_FOR)."""
    require_admin(visitor)
    settings = container_of(request.app.state).settings()
    address = client_address(request, settings.trust_forwarded_for)
    if visitor.key is not None:
        return Actor(name=visitor.key.actor_name, address=address)
    assert visitor.user is not None  # checked just above
    return Actor(name=visitor.user.username, address=address)
