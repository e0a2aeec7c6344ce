"""Input no route can take, refused before routing, authentication or the database see it.

- A path with a NUL byte names no resource: 404.
- A NUL byte in a query parameter or in any string of a JSON body: 400 naming the field
  (PostgreSQL refuses NUL in text, so it would otherwise fail deep inside a write).
- A JSON body nested deeper than the decoder goes (`[[[...]]]`): 400, not a recursion error.
"""

from typing import Any, Final
from urllib.parse import parse_qsl

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

# A body larger than this is not looked at here; Litestar answers 413 for it.
SCAN_LIMIT: Final = 1_000_000


def _answer(status: int, code: str, message: str, field: str | None, source: str | None) -> bytes:
    details = None
    if field is not None or status == 400:
        details = {"field": field, "fields": [{"field": field, "message": message, "source": source}]}
    return msgspec.json.encode({"error": {"code": code, "message": message, "details": details}})


async def _send(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def nul_field(value: Any) -> str | None:
    """The dotted path of the first string (or key) in a decoded JSON value that holds a NUL byte."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return path or "body"
        elif isinstance(node, dict):
            for key, item in reversed(node.items()):
                name = f"{path}.{key}" if path else str(key)
                if "\x00" in str(key):
                    return path or "body"
                stack.append((name, item))
        elif isinstance(node, list):
            stack.extend((f"{path}[{i}]", item) for i, item in reversed(list(enumerate(node))))
    return None


def body_problem(body: bytes) -> tuple[str | None, str] | None:
    """(field, message) when a JSON body must be refused; None to let the route judge it."""
    if body.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        value = msgspec.json.decode(body)
    except RecursionError:
        return None, "the JSON body is nested too deeply"
    except msgspec.DecodeError:
        return None  # malformed JSON: the route's own validation says so
    field = nul_field(value)
    return None if field is None else (field, f"invalid value for '{field}': a NUL byte is not allowed")


def query_problem(query_string: bytes) -> str | None:
    lowered = query_string.lower()
    if b"%00" not in lowered and b"\x00" not in lowered:
        return None
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return name.replace("\x00", "") or "query"
    return None


class MalformedInputMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        raw_path = (
            bytes(scope.get("raw_path") or b"").split(b"?", 1)[0].lower()
        )  # some servers keep the query
        if "\x00" in scope["path"] or b"%00" in raw_path:
            await _send(send, 404, _answer(404, "not_found", "Not Found", None, None))
            return
        field = query_problem(scope.get("query_string", b""))
        if field is not None:
            refusal = f"invalid value for '{field}': a NUL byte is not allowed"
            await _send(send, 400, _answer(400, "validation_error", refusal, field, "query"))
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        read: list[Any] = []
        body = b""
        while True:
            message: Any = await receive()
            read.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False) or len(body) > SCAN_LIMIT:
                break
        if len(body) <= SCAN_LIMIT and (problem := body_problem(body)) is not None:
            name, text = problem
            await _send(send, 400, _answer(400, "validation_error", text, name, "body"))
            return

        async def replay() -> Any:
            return read.pop(0) if read else await receive()

        await self.app(scope, replay, send)
