"""Every error leaves as {"error": {"code", "message", "details"}} with the right status; never a trace."""

import logging
import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, Final

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from adapters.sql.failures import database_unreachable
from domain.errors import DomainError, ErrorKind

log = logging.getLogger("ecomsearch.http")

_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "unavailable",
}


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> Response[Any]:
    return Response(
        {"error": {"code": code, "message": message, "details": details}},
        status_code=status,
        headers=headers,
        media_type="application/json",
    )


_MISSING = re.compile(r"missing required field `([^`]+)`")


def _field_of(problem: dict[str, Any]) -> Any:
    """Litestar names the whole body `data` when a field is missing; name the field instead."""
    key = problem.get("key")
    found = _MISSING.search(str(problem.get("message", "")))
    return found.group(1) if key == "data" and found else key


def _validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    problems = exc.extra if isinstance(exc.extra, list) else []
    fields = [
        {"field": _field_of(p), "message": p.get("message"), "source": p.get("source")}
        for p in problems
        if isinstance(p, dict)
    ]
    first = fields[0]["field"] if fields else None
    message = f"invalid value for '{first}': {fields[0]['message']}" if fields else "the request is malformed"
    return error_response(400, "validation_error", message, {"field": first, "fields": fields})


def _http(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    headers = dict(exc.headers or {})
    if exc.status_code == 429 and "RateLimit-Reset" in headers:  # Litestar's rate limiter
        headers.setdefault("Retry-After", str(max(1, int(headers["RateLimit-Reset"]))))
    # A refusal may name itself (`extra={"code": ...}`), e.g. the cross-site one.
    named = exc.extra.get("code") if isinstance(exc.extra, dict) else None
    code = str(named) if named else _CODES.get(exc.status_code, "error")
    message = exc.detail if exc.status_code < 500 else "the service could not answer"
    return error_response(exc.status_code, code, str(message), None, headers or None)


# The one place a kind of domain error becomes an HTTP status.
STATUS: Final[Mapping[ErrorKind, int]] = {
    ErrorKind.INVALID: 400,
    ErrorKind.NOT_AUTHENTICATED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.RATE_LIMITED: 429,
    ErrorKind.TOO_LARGE: 413,
}


def _domain(_: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    wait = exc.retry_after_seconds
    headers = None if wait is None else {"Retry-After": str(wait)}
    return error_response(STATUS[exc.kind], exc.code, str(exc), exc.details(), headers)


class ErrorBody(msgspec.Struct):
    code: str
    message: str
    details: object  # null when there is nothing to add


class ErrorOut(msgspec.Struct):
    """The body of every error answer, as the OpenAPI document shows it."""

    error: ErrorBody


def error_responses(
    *errors: type[DomainError],
    malformed: bool = True,
    unavailable: bool = True,
    also: Mapping[int, str] | None = None,
) -> dict[int, ResponseSpec]:
    """A route's OpenAPI error answers: each domain error's status from STATUS, with its codes.

    `malformed`: Litestar checks the route's parameters or body (400 validation_error); this
    also replaces the 400 Litestar documents itself, whose body is not the one we send.
    `unavailable`: the route reads a database or cache (503 unavailable).
    `also`: status -> code of the answers the route builds itself with `error_response`.
    """
    codes: dict[int, set[str]] = {}
    for error in errors:
        codes.setdefault(STATUS[error.kind], set()).update(error.codes())
    for status, code in (also or {}).items():
        codes.setdefault(status, set()).add(code)
    if malformed:
        codes.setdefault(400, set()).add("validation_error")
    if unavailable:
        codes.setdefault(503, set()).add("unavailable")
    return {
        status: ResponseSpec(
            data_container=ErrorOut,
            description=f"{HTTPStatus(status).phrase}: {', '.join(sorted(names))}",
            generate_examples=False,
        )
        for status, names in sorted(codes.items())
    }


def _unavailable(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("dependency unavailable: %s", exc.__class__.__name__)
    return error_response(
        503, "unavailable", "a backing service is unavailable; try again shortly", None, {"Retry-After": "5"}
    )


def _database(request: Request[Any, Any, Any], exc: DBAPIError) -> Response[Any]:
    # A connection lost mid-request (database restarted or its connections ended) is the
    # database being unavailable, not our fault; SQLAlchemy has already dropped the pool. So is
    # a server that is stopping or starting (see `database_unreachable`).
    if exc.connection_invalidated or database_unreachable(exc):
        return _unavailable(request, exc)
    if getattr(exc.orig, "sqlstate", None) == QUERY_CANCELED:
        return _timed_out(request, exc)
    return _internal(request, exc)


# PostgreSQL's SQLSTATE for a statement cancelled by `statement_timeout`.
QUERY_CANCELED: Final = "57014"


def _timed_out(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # A statement over DATABASE_STATEMENT_TIMEOUT_MS: the database is too busy to answer in time.
    log.warning("statement timed out on %s", request.method)
    return error_response(
        503,
        "unavailable",
        "the database took too long to answer; try again shortly",
        None,
        {"Retry-After": "5"},
    )


def loggable(text: str) -> str:
    """Client text for a log line: control and other unprintable characters (a newline would
    forge a line) and backslashes are escaped, as `repr` does."""
    return "".join(c if c.isprintable() and c != "\\" else repr(c)[1:-1] for c in text)


def _internal(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if database_unreachable(exc):  # e.g. asyncpg's CannotConnectNowError, raised unwrapped
        return _unavailable(request, exc)
    log.exception(
        "unhandled error on %s %s", loggable(request.method), loggable(request.url.path), exc_info=exc
    )
    return error_response(HTTP_500_INTERNAL_SERVER_ERROR, "internal_error", "an unexpected error occurred")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ValidationException: _validation,
    HTTPException: _http,
    DomainError: _domain,
    OperationalError: _unavailable,
    PoolTimeoutError: _unavailable,
    RedisConnectionError: _unavailable,
    RedisTimeoutError: _unavailable,
    ConnectionRefusedError: _unavailable,
    DBAPIError: _database,
    Exception: _internal,
}
