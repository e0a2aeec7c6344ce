"""API keys at the door: every route says which scope a key needs, and one guard enforces it.

A route declares `opt={"scope": S}` (see `scope`): S is one of the key scopes, `OPEN` (any valid
key may call it: health, readiness, metrics, the web app) or `PERSON` (it acts for a logged-in
person: cart, reviews, account, login, key management; a key gets 403). A route that declares
nothing is treated as `PERSON`: a route added without thought refuses keys rather than letting
them in. The scope only concerns keys: sessions and anonymous visitors are judged by the
handler, as before.

A key is sent as `X-API-Key: <key>` or `Authorization: Bearer <key>`; a bearer value starting
`esk_` is a key, never a session token. A request that carries a key is the key's, whatever
session cookie it also carries (so it needs no CSRF token: no browser adds these headers on its
own). A malformed, unknown, revoked or expired key is 401 on every route, public ones too: a bad
key is never served as an anonymous visitor, so a client learns at once that its key is dead.
"""

from typing import Any, Final

from litestar.connection import ASGIConnection
from litestar.datastructures import Headers
from litestar.handlers.base import BaseRouteHandler

from domain.apikeys.errors import InvalidApiKey, KeyNotAccepted, ScopeMissing
from domain.apikeys.model import ADMIN, ANALYTICS_READ, CATALOG_WRITE, SCOPES, ApiKey
from domain.apikeys.rules import looks_like_key
from entrypoints.http.dependencies import container_of

OPEN: Final = "open"
PERSON: Final = "person"
API_KEY_HEADER: Final = "x-api-key"
# Scopes that stand for an administrator on the routes that demand one (`access.require_admin`).
ADMIN_GRADE: Final = frozenset({CATALOG_WRITE, ANALYTICS_READ, ADMIN})
_KEY: Final = "api_key"
_SCOPE: Final = "api_key_scope"


def scope(name: str) -> dict[str, Any]:
    """A route's `opt`: the scope a key needs to call it."""
    if name not in (*SCOPES, OPEN, PERSON):
        raise ValueError(f"unknown route scope {name!r}")
    return {"scope": name}


def route_scope(handler: BaseRouteHandler) -> str:
    named = handler.opt.get("scope")
    return named if isinstance(named, str) else PERSON


def presented_key(headers: Headers) -> str | None:
    """The key this request carries, or None; a key header holding anything else is a bad key."""
    explicit = headers.get(API_KEY_HEADER)
    scheme, _, value = headers.get("authorization", "").partition(" ")
    bearer = value.strip() if scheme.lower() == "bearer" and looks_like_key(value.strip()) else None
    if explicit is not None:
        if bearer is not None and bearer != explicit.strip():
            raise InvalidApiKey()  # two different keys: which one would act is anybody's guess
        return explicit.strip()
    return bearer


async def api_key_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    presented = presented_key(connection.headers)
    if presented is None:
        return
    keys = container_of(connection.app.state).api_keys()
    key = await keys.resolve(presented)
    await keys.admit(key)
    needed = route_scope(handler)
    if needed == PERSON:
        raise KeyNotAccepted()
    if needed != OPEN and not key.allows(needed):
        raise ScopeMissing(needed)
    state = connection.scope.setdefault("state", {})
    state[_KEY] = key
    state[_SCOPE] = needed


def request_key(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[ApiKey | None, str | None]:
    """The key the guard admitted for this request and the route scope it was checked against."""
    state = connection.scope.get("state", {})
    return state.get(_KEY), state.get(_SCOPE)
