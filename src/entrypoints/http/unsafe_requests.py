"""Writes another site could make a browser send, refused before the body is read.

- An unsafe method from another site: 403 `cross_site_request`. The `Origin` header decides when
  it is sent: the request's own origin, or one of ALLOWED_ORIGINS (the CORS origins, which may
  call the API by design), may write; any other origin (`null` too) may not. Without `Origin`,
  `Sec-Fetch-Site: cross-site` is refused. A request with neither (an API client, curl) passes:
  no browser sends a cross-site write without them.
- A body that is not `application/json` on a route that reads JSON: 415 `unsupported_media_type`.
  A form or `text/plain` body is what a page on another site may send without a CORS preflight,
  so this closes login CSRF even in a browser that sends neither header.
"""

from collections.abc import Iterable
from typing import Final

from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.exceptions import ClientException, PermissionDeniedException
from litestar.types import ASGIApp, Receive, Scope, Send

UNSAFE_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON_MEDIA_TYPE: Final = "application/json"
CROSS_SITE_CODE: Final = "cross_site_request"


def media_type(content_type: str) -> str:
    """`application/json; charset=utf-8` -> `application/json`."""
    return content_type.split(";", 1)[0].strip().lower()


def has_body(headers: Headers) -> bool:
    return headers.get("content-length", "0").strip() not in ("", "0") or "transfer-encoding" in headers


def own_origins(scheme: str, host: str) -> set[str]:
    # Behind a TLS-terminating proxy the app sees http while the browser's origin is https.
    host = host.strip().lower()
    return {f"{scheme}://{host}", f"https://{host}"} if host else set()


def cross_site(headers: Headers, scheme: str, allowed: frozenset[str]) -> bool:
    """Whether an unsafe request comes from a site that may not write."""
    origin = headers.get("origin")
    if origin is not None:
        origin = origin.strip().lower().rstrip("/")
        if "*" in allowed or origin in allowed:
            return False
        return origin not in own_origins(scheme, headers.get("host", ""))
    return headers.get("sec-fetch-site", "").strip().lower() == "cross-site"


def reads_json(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    signature = getattr(handler, "parsed_fn_signature", None)
    return signature is not None and "data" in signature.parameters


def normalised_origins(origins: Iterable[str]) -> frozenset[str]:
    return frozenset(origin.strip().lower().rstrip("/") for origin in origins if origin.strip())


class UnsafeRequestMiddleware:
    """Runs after routing (Litestar builds middleware per route), so it knows the route's body."""

    def __init__(self, app: ASGIApp, allowed_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed_origins = normalised_origins(allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope.get("method") not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers.from_scope(scope)
        if cross_site(headers, scope.get("scheme", "http"), self.allowed_origins):
            raise PermissionDeniedException(
                detail="a request from another site may not change anything here",
                extra={"code": CROSS_SITE_CODE},
            )
        not_json = media_type(headers.get("content-type", "")) != JSON_MEDIA_TYPE
        if not_json and has_body(headers) and reads_json(scope):
            raise ClientException(status_code=415, detail="the request body must be application/json")
        await self.app(scope, receive, send)
