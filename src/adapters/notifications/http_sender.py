"""HttpWebhookSender: one POST per delivery over httpx, no redirects followed, the whole exchange
bounded by the timeout (httpx's own timeouts bound each read, not a slowly dripping answer)."""

import asyncio
from collections.abc import Mapping

import httpx


class HttpWebhookSender:
    def __init__(self, timeout_seconds: float) -> None:
        self._timeout = timeout_seconds

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        async with asyncio.timeout(self._timeout):
            # A client per POST: deliveries are few, and nothing (cookies) should carry over.
            async with httpx.AsyncClient(timeout=self._timeout, follow_redirects=False) as client:
                response = await client.post(url, content=body, headers=dict(headers))
        return response.status_code
