"""When a call is worth sending again, and after how long."""

import httpx

RETRY_STATUSES = frozenset({429, 503})


def should_retry(response: httpx.Response | None, attempt: int, retries: int) -> bool:
    """`response` is None when the connection failed before an answer came."""
    if attempt >= retries:
        return False
    return response is None or response.status_code in RETRY_STATUSES


def wait_before(response: httpx.Response | None, attempt: int, max_wait: float) -> float:
    """The server's Retry-After when it gave one, else a short doubling pause."""
    if response is not None:
        value = response.headers.get("retry-after", "")
        if value.isdigit():
            return min(float(value), max_wait)
    return min(0.2 * 2.0**attempt, max_wait)
