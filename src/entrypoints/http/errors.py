"""Every error leaves as {"error": {"code", "message", "details"}} with the right status; never a trace."""

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from application.analytics.readout import InvalidWindow
from application.catalog.manage_products import ProductExists, ProductNotFound
from domain.cart.errors import InvalidQuantity, UnknownProduct
from domain.catalog.rules import InvalidProduct
from domain.events.rules import InvalidEvent
from domain.identity.errors import (
    InvalidField,
    InvalidLogin,
    NotAuthenticated,
    TooManyAttempts,
    UsernameTaken,
)
from domain.recommendations.rules import InvalidLimit
from domain.reviews.errors import InvalidReview, ReviewNotFound
from domain.search.errors import InvalidQuery

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
    code = _CODES.get(exc.status_code, "error")
    message = exc.detail if exc.status_code < 500 else "the service could not answer"
    return error_response(exc.status_code, code, str(message), None, headers or None)


def _invalid_query(_: Request[Any, Any, Any], exc: InvalidQuery) -> Response[Any]:
    return error_response(400, "invalid_parameter", exc.message, {"field": exc.field})


def _invalid_window(_: Request[Any, Any, Any], exc: InvalidWindow) -> Response[Any]:
    return error_response(400, "invalid_parameter", str(exc), {"field": "days"})


def _invalid_product(_: Request[Any, Any, Any], exc: InvalidProduct) -> Response[Any]:
    field = next(iter(exc.errors), None)
    return error_response(400, "invalid_product", str(exc), {"field": field, "fields": exc.errors})


def _not_found(_: Request[Any, Any, Any], exc: ProductNotFound) -> Response[Any]:
    return error_response(404, "product_not_found", str(exc), {"sku": exc.sku})


def _invalid_event(_: Request[Any, Any, Any], exc: InvalidEvent) -> Response[Any]:
    return error_response(
        400,
        "validation_error",
        f"invalid value for '{exc.field}': {exc.message}",
        {"field": exc.field, "fields": [exc.field]},
    )


def _exists(_: Request[Any, Any, Any], exc: ProductExists) -> Response[Any]:
    return error_response(409, "product_exists", str(exc), {"field": "sku"})


def _invalid_input(
    _: Request[Any, Any, Any], exc: InvalidQuantity | InvalidReview | InvalidLimit
) -> Response[Any]:
    return error_response(400, "validation_error", str(exc), {"field": exc.field, "fields": [exc.field]})


def _unknown_product(_: Request[Any, Any, Any], exc: UnknownProduct) -> Response[Any]:
    return error_response(404, "product_not_found", str(exc), {"sku": exc.sku})


def _no_review(_: Request[Any, Any, Any], exc: ReviewNotFound) -> Response[Any]:
    return error_response(404, "review_not_found", str(exc), {"sku": exc.sku})


def _invalid_field(_: Request[Any, Any, Any], exc: InvalidField) -> Response[Any]:
    return error_response(
        400, "validation_error", f"{exc.field} {exc.message}", {"field": exc.field, "fields": [exc.field]}
    )


def _taken(_: Request[Any, Any, Any], exc: UsernameTaken) -> Response[Any]:
    return error_response(409, f"{exc.field}_taken", str(exc), {"field": exc.field})


def _invalid_login(_: Request[Any, Any, Any], exc: InvalidLogin) -> Response[Any]:
    return error_response(401, "invalid_credentials", str(exc))


def _not_authenticated(_: Request[Any, Any, Any], exc: NotAuthenticated) -> Response[Any]:
    return error_response(401, "not_authenticated", str(exc))


def _too_many(_: Request[Any, Any, Any], exc: TooManyAttempts) -> Response[Any]:
    seconds = exc.retry_after_seconds
    return error_response(
        429, "rate_limited", str(exc), {"retry_after": seconds}, {"Retry-After": str(seconds)}
    )


def _unavailable(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("dependency unavailable: %s", exc.__class__.__name__)
    return error_response(
        503, "unavailable", "a backing service is unavailable; try again shortly", None, {"Retry-After": "5"}
    )


def _internal(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(HTTP_500_INTERNAL_SERVER_ERROR, "internal_error", "an unexpected error occurred")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ValidationException: _validation,
    HTTPException: _http,
    InvalidQuery: _invalid_query,
    InvalidWindow: _invalid_window,
    InvalidProduct: _invalid_product,
    ProductNotFound: _not_found,
    ProductExists: _exists,
    InvalidEvent: _invalid_event,
    InvalidField: _invalid_field,
    InvalidQuantity: _invalid_input,
    InvalidReview: _invalid_input,
    InvalidLimit: _invalid_input,
    UnknownProduct: _unknown_product,
    ReviewNotFound: _no_review,
    UsernameTaken: _taken,
    InvalidLogin: _invalid_login,
    NotAuthenticated: _not_authenticated,
    TooManyAttempts: _too_many,
    OperationalError: _unavailable,
    PoolTimeoutError: _unavailable,
    RedisConnectionError: _unavailable,
    RedisTimeoutError: _unavailable,
    ConnectionRefusedError: _unavailable,
    DBAPIError: _internal,
    Exception: _internal,
}
