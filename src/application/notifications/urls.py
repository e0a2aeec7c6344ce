"""Which URLs a webhook may have: absolute http(s), with a host, no credentials, one line."""

from urllib.parse import urlsplit

from application.notifications.webhooks import MAX_URL


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a webhook's URL; None when it can."""
    if not url or len(url) > MAX_URL:
        return f"url must be 1 to {MAX_URL} characters"
    if not url.isascii() or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return "url must be ASCII without spaces or control characters (percent-encode the rest)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError:
        return "url is not a valid URL"
    if parts.scheme not in ("http", "https"):
        return "url must start with http:// or https://"
    if not parts.hostname:
        return "url must name a host"
    if parts.username is not None or parts.password is not None:
        return "url must not carry credentials (use the signature to authenticate deliveries)"
    return None


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
