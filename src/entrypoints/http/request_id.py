"""The request id, the access log line and the request metrics, around everything Litestar does.

This wraps Litestar's own ASGI handler (the router inside its exception handling), not the route
middleware, so answers the router gives itself (404, 405) and errors carry the `X-Request-ID`
header and are counted too. The client's own id is kept when it is sensible (1 to 128 printable
ASCII characters); otherwise a new one is made. Requests are counted by their route's template
(`/api/products/{sku:str}`), never the raw path, so the metrics' labels stay few.
"""

import logging
import re
import time
import uuid
from typing import Final

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from adapters.metrics.prometheus import PrometheusMetrics
from entrypoints.http.errors import loggable
from entrypoints.logs import request_id

HEADER: Final = "x-request-id"
_SENSIBLE: Final = re.compile(r"[\x21-\x7e]{1,128}")
METHODS: Final = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED: Final = "unmatched"  # no route: the router's 404, or a path no handler serves

access_log = logging.getLogger("ecomsearch.access")


def chosen_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _SENSIBLE.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


def observed(app: ASGIApp, metrics: PrometheusMetrics) -> ASGIApp:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:  # websockets: no answer headers to add
            await app(scope, receive, send)
            return
        rid = chosen_id(scope)
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500  # unless an answer starts

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                MutableScopeHeaders.from_message(message)["X-Request-ID"] = rid
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            try:
                _report(metrics, scope, status, time.perf_counter() - started)
            finally:
                request_id.reset(token)

    return handle


def _report(metrics: PrometheusMetrics, scope: Scope, status: int, seconds: float) -> None:
    route = scope.get("path_template") or UNMATCHED
    method = scope.get("method", "")
    method = method if method in METHODS else "other"
    if route == "/metrics":  # the scrape itself is not traffic
        return
    metrics.request(method, route, status, seconds)
    ms = round(seconds * 1000, 1)
    path = loggable(scope.get("path", ""))  # the client's text: escaped, so it cannot forge a line
    access_log.info(
        "%s %s %d %.1fms",
        method,
        path,
        status,
        ms,
        extra={"method": method, "route": route, "path": path, "status": status, "duration_ms": ms},
    )
