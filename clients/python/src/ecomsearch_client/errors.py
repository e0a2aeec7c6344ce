"""Errors the API answers, as exceptions: one class per status, the contract's code and details kept."""

from typing import Any

import httpx


class EcomsearchError(Exception):
    """An answer outside 2xx. `code`, `message` and `details` come from the contract's error body."""

    def __init__(
        self, status: int, code: str, message: str, details: Any = None, retry_after: float | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.retry_after = retry_after


class BadRequest(EcomsearchError):
    """400: the request was malformed or failed validation; `details` names the field."""


class NotAuthenticated(EcomsearchError):
    """401: no credentials, or a session or API key that no longer works."""


class Forbidden(EcomsearchError):
    """403: authenticated, but not allowed (an API key without the scope, a shopper on admin routes)."""


class NotFound(EcomsearchError):
    """404."""


class Conflict(EcomsearchError):
    """409."""


class PayloadTooLarge(EcomsearchError):
    """413."""


class RateLimited(EcomsearchError):
    """429: `retry_after` says in how many seconds to try again."""


class Unavailable(EcomsearchError):
    """503: a dependency of the service is down; `retry_after` says when to try again."""


_BY_STATUS: dict[int, type[EcomsearchError]] = {
    400: BadRequest,
    401: NotAuthenticated,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    429: RateLimited,
    503: Unavailable,
}


def error_from(response: httpx.Response) -> EcomsearchError:
    code, message, details = "http_error", response.reason_phrase or "error", None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        code = str(error.get("code", code))
        message = str(error.get("message", message))
        details = error.get("details")
    kind = _BY_STATUS.get(response.status_code, EcomsearchError)
    return kind(response.status_code, code, message, details, retry_after_of(response))


def retry_after_of(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: the API sends seconds, so another server answered
