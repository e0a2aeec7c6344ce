"""A query string's parameters as sent: `attr.<name>` filters have names no handler can declare."""

from typing import Any
from urllib.parse import parse_qsl

from litestar import Request


def query_pairs(request: Request[Any, Any, Any]) -> list[tuple[str, str]]:
    """The query's parameters in the order sent, blank values kept (an empty `attr.x=` is refused)."""
    raw = bytes(request.scope.get("query_string", b""))
    return parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
