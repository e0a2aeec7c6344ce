"""Who is asking: the logged-in user (bearer token, else session cookie) or an anonymous visitor.

Every visitor carries an anonymous id (a cookie, set when missing) and an experiment arm: a
user's arm comes from their user id, an anonymous visitor's from the anonymous id. Requests
authenticated by the session cookie must pass CSRF protection on unsafe methods: the
`X-CSRF-Token` header must echo the `csrftoken` cookie, an HMAC of the session token, so another
site can neither read nor forge it. Bearer requests need no CSRF token (browsers never add the
header on their own). Litestar's CSRFConfig is not used: it can exempt paths and handlers, not
requests that carry a bearer token, so it would refuse API clients.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from litestar import Request
from litestar.datastructures import Cookie, State
from litestar.exceptions import PermissionDeniedException
from litestar.types import Message, Scope

from application.events.record_events import VisitorRef
from domain.apikeys.model import ApiKey
from domain.apikeys.rules import looks_like_key
from domain.experiments.assignment import anonymous_visitor_id, assign_arm, user_visitor_id
from domain.identity.model import User
from entrypoints.http.dependencies import container_of
from entrypoints.http.key_access import request_key

SESSION_COOKIE = "session"
CSRF_COOKIE = "csrftoken"
CSRF_HEADER = "x-csrf-token"
ANONYMOUS_COOKIE = "anon_id"
ANONYMOUS_MAX_AGE = 400 * 24 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_PENDING = "visitor_cookies"
ANONYMOUS_ID_PATTERN = "^[A-Za-z0-9_-]{22,64}$"
_ANONYMOUS_ID = re.compile(ANONYMOUS_ID_PATTERN)


@dataclass(frozen=True)
class Visitor:
    user: User | None
    anonymous_id: str
    arm: str
    # The token that authenticated this request and how it came, or None for an anonymous visitor.
    token: str | None = None
    via: Literal["bearer", "cookie"] | None = None
    # The API key behind this request (never a user then) and the route scope it was admitted for.
    key: ApiKey | None = None
    key_scope: str | None = None


def visitor_ref(visitor: Visitor) -> VisitorRef:
    """The visitor as the event use cases know it: `user:<id>` when logged in, else `anon:<cookie>`."""
    if visitor.user is not None:
        return VisitorRef(
            visitor_id=user_visitor_id(visitor.user.id), arm=visitor.arm, user_id=visitor.user.id
        )
    return VisitorRef(visitor_id=anonymous_visitor_id(visitor.anonymous_id), arm=visitor.arm)


def csrf_token_for(session_token: str, secret_key: str) -> str:
    return hmac.new(secret_key.encode(), b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def queue_cookie(request: Request[Any, Any, Any], cookie: Cookie) -> None:
    """Cookies for the response, whatever the handler returns (sent by `send_visitor_cookies`)."""
    request.scope.setdefault("state", {}).setdefault(_PENDING, []).append(cookie)


async def send_visitor_cookies(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    cookies: list[Cookie] = scope.get("state", {}).get(_PENDING, [])
    if cookies:
        headers = list(message.get("headers", []))
        headers.extend(cookie.to_encoded_header() for cookie in cookies)
        message["headers"] = headers


def presented_token(request: Request[Any, Any, Any]) -> tuple[str | None, Literal["bearer", "cookie"] | None]:
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or looks_like_key(value.strip()):  # a key: see key_access
            return None, None
        return value.strip() or None, "bearer"
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, "cookie") if cookie else (None, None)


def check_csrf(request: Request[Any, Any, Any], token: str, secret_key: str) -> None:
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent or not hmac.compare_digest(sent, csrf_token_for(token, secret_key)):
        raise PermissionDeniedException(
            detail="CSRF check failed: send the csrftoken cookie's value in the X-CSRF-Token header"
        )


async def provide_visitor(request: Request[Any, Any, Any], state: State) -> Visitor:
    container = container_of(state)
    settings = container.settings()
    key, key_scope = request_key(request)
    if key is not None:
        # A shop's system, not a person: no session, no CSRF, no cookies; one arm per key.
        anonymous_id = key.actor_name
        arm = assign_arm(anonymous_visitor_id(anonymous_id), settings.experiment)
        return Visitor(user=None, anonymous_id=anonymous_id, arm=arm, key=key, key_scope=key_scope)
    token, via = presented_token(request)
    user = await container.login_sessions().resolve(token) if token else None
    if user is None:
        token, via = None, None
    elif via == "cookie" and token is not None:
        if request.method not in SAFE_METHODS:
            check_csrf(request, token, settings.secret_key)
        if CSRF_COOKIE not in request.cookies:
            max_age = int(settings.sessions.absolute.total_seconds())
            cookie = csrf_cookie(token, settings.secret_key, max_age, settings.session_cookie_secure)
            queue_cookie(request, cookie)
    anonymous_id = request.cookies.get(ANONYMOUS_COOKIE, "")
    new_visitor = not _ANONYMOUS_ID.fullmatch(anonymous_id)
    if new_visitor:
        anonymous_id = secrets.token_urlsafe(16)
        queue_cookie(
            request,
            Cookie(
                key=ANONYMOUS_COOKIE,
                value=anonymous_id,
                max_age=ANONYMOUS_MAX_AGE,
                httponly=True,
                samesite="lax",
                secure=settings.session_cookie_secure,
            ),
        )
    visitor_id = user_visitor_id(user.id) if user else anonymous_visitor_id(anonymous_id)
    arm = assign_arm(visitor_id, settings.experiment)
    if new_visitor and user is None:  # an anonymous visitor's first request: a new assignment
        container.metrics().assigned(arm)
    return Visitor(user=user, anonymous_id=anonymous_id, arm=arm, token=token, via=via)


def session_cookie(token: str, max_age: int, secure: bool) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE, value=token, max_age=max_age, httponly=True, samesite="lax", secure=secure
    )


def csrf_cookie(token: str, secret_key: str, max_age: int, secure: bool) -> Cookie:
    # Readable by the SPA's script on purpose: it echoes it in X-CSRF-Token.
    return Cookie(
        key=CSRF_COOKIE,
        value=csrf_token_for(token, secret_key),
        max_age=max_age,
        httponly=False,
        samesite="lax",
        secure=secure,
    )


def expired_cookies() -> list[Cookie]:
    return [Cookie(key=name, value="", max_age=0, expires=0) for name in (SESSION_COOKIE, CSRF_COOKIE)]


def client_address(request: Request[Any, Any, Any], trust_forwarded_for: bool) -> str:
    if trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.client.host if request.client else "unknown"
