"""Headers every answer carries, added as it leaves (a `before_send` hook, so errors answered by
middleware or the router get them too).

- Content-Security-Policy: the web app is built by Vite into script and style files served from
  here and uses no inline script or style element (React sets `style` through the DOM, which CSP
  allows), so only this origin's files run. The OpenAPI viewers under /schema load their scripts
  from CDNs and run inline ones, so they keep only the framing, plugin and base-URI rules.
- X-Content-Type-Options, X-Frame-Options, Referrer-Policy.
- Strict-Transport-Security only when cookies are `Secure` (SESSION_COOKIE_SECURE): that is the
  setting that says the shop is served over HTTPS.
- `Cache-Control: no-store` on every /api/ answer that sets no caching of its own: answers vary
  per visitor (the user's session, personalised ranking, the experiment arm drawn from the
  anonymous-id cookie, cookies being set), so no browser or shared cache may keep one.
"""

from typing import Final

from litestar.datastructures import MutableScopeHeaders
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

APP_POLICY: Final = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
DOCS_POLICY: Final = "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
HSTS: Final = "max-age=31536000"
ALWAYS: Final = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def _docs_viewer(path: str) -> bool:
    return (path == "/schema" or path.startswith("/schema/")) and not path.endswith(
        (".json", ".yaml", ".yml")
    )


def security_headers(hsts: bool) -> BeforeMessageSendHookHandler:
    """The hook for an app whose cookies are `Secure` when `hsts`."""

    async def add(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        message.setdefault("headers", [])
        headers = MutableScopeHeaders.from_message(message)
        path = str(scope.get("path", ""))
        for name, value in ALWAYS.items():
            headers[name] = value
        headers["Content-Security-Policy"] = DOCS_POLICY if _docs_viewer(path) else APP_POLICY
        if hsts:
            headers["Strict-Transport-Security"] = HSTS
        if path.startswith("/api/") and "cache-control" not in headers:
            headers["Cache-Control"] = "no-store"

    return add
