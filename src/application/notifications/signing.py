"""Signing a delivery: HMAC-SHA256 with the webhook's secret over `<unix seconds>.<body>`.

The header is `X-Ecomsearch-Signature: t=<unix seconds>,v1=<hex digest>`. A receiver recomputes
the digest over the timestamp and the raw body it got, compares in constant time, and refuses a
timestamp too far from its own clock (a replayed old delivery). docs/webhooks.md shows how.
"""

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Ecomsearch-Signature"
EVENT_HEADER = "X-Ecomsearch-Event"
DELIVERY_HEADER = "X-Ecomsearch-Delivery"
SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header's value."""
    return f"t={timestamp},v1={digest(secret, timestamp, body)}"


def verify(
    secret: str, header: str, body: bytes, now: int, tolerance: int = DEFAULT_TOLERANCE_SECONDS
) -> bool:
    """True when the header signs this body with this secret, at most `tolerance` seconds from
    `now` (either way). Unknown parts of the header are ignored (a later `v2`, say)."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if sep:
            parts.setdefault(key, []).append(value)
    stamps = parts.get("t", [])
    if len(stamps) != 1 or not stamps[0].isascii() or not stamps[0].isdigit():
        return False
    timestamp = int(stamps[0])
    if abs(now - timestamp) > tolerance:
        return False
    expected = digest(secret, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in parts.get("v1", []))
