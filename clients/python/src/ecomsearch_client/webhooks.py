"""For a shop's webhook receiver: is this request really from its Ecomsearch, and recent?"""

import hashlib
import hmac
import time

DEFAULT_TOLERANCE = 300  # seconds: how old a signed timestamp may be, against replays


def verify_signature(
    secret: str, header: str, body: bytes, *, tolerance: float = DEFAULT_TOLERANCE, now: float | None = None
) -> bool:
    """`header` is the `X-Ecomsearch-Signature` value, `t=<unix seconds>,v1=<hex>`: the HMAC-SHA256
    of `"<t>.<body>"` under the webhook's secret. False when it does not match or is too old."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    stamp, signature = parts.get("t", ""), parts.get("v1", "")
    if not stamp.isdigit() or not signature:
        return False
    if abs((time.time() if now is None else now) - int(stamp)) > tolerance:
        return False
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)
