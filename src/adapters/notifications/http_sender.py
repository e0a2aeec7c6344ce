"""HttpWebhookSender: one POST per delivery over httpx, no redirects followed, the whole exchange
bounded by the timeout (httpx's own timeouts bound each read, not a slowly dripping answer).

A client per POST, so nothing (cookies, a connection bound to another event loop) carries over;
the TLS context, the costly part of a client (140 ms under load against 4), is made once.
"""

import asyncio
import ssl
from collections.abc import Mapping

import httpx


class HttpWebhookSender:
    def __init__(self, timeout_seconds: float) -> None:
        self._timeout = timeout_seconds
        self._tls: ssl.SSLContext | None = None

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        if self._tls is None:
            self._tls = httpx.create_ssl_context()
        async with asyncio.timeout(self._timeout):
            async with httpx.AsyncClient(
                timeout=self._timeout, follow_redirects=False, verify=self._tls
            ) as client:
                response = await client.post(url, content=body, headers=dict(headers))
        return response.status_code
