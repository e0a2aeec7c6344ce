"""The asynchronous client: the storefront's hot path (search, suggestions, product pages, events),
for async web backends. Administration is in the synchronous `Client`."""

import asyncio
from types import TracebackType
from typing import Any, Self, Unpack
from urllib.parse import quote

import httpx

from ecomsearch_client import calls
from ecomsearch_client.auth import auth_headers
from ecomsearch_client.calls import Call, EventType, SearchFilters
from ecomsearch_client.errors import error_from
from ecomsearch_client.retrying import should_retry, wait_before
from ecomsearch_client.types import CategoryCount, Product, Recommendations, SearchResult, Suggestion


class AsyncClient:
    """As `Client`: `api_key` or `token` authenticates, GETs are retried after 429, 503 or a lost
    connection."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        api_key: str | None = None,
        token: str | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        max_retry_wait: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.token = token or api_key
        self.retries = retries
        self.max_retry_wait = max_retry_wait
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        await self._http.aclose()

    async def search(self, q: str = "", **filters: Unpack[SearchFilters]) -> SearchResult:
        result: SearchResult = await self._json(calls.search(q, filters))
        return result

    async def suggest(self, q: str, limit: int = 8) -> list[Suggestion]:
        body = await self._json(Call("GET", "/api/suggest", [("q", q), ("limit", str(limit))]))
        suggestions: list[Suggestion] = body["suggestions"]
        return suggestions

    async def product(self, sku: str) -> Product:
        product: Product = await self._json(Call("GET", f"/api/products/{quote(sku, safe='')}"))
        return product

    async def categories(self) -> list[CategoryCount]:
        categories: list[CategoryCount] = (await self._json(Call("GET", "/api/categories")))["categories"]
        return categories

    async def recommendations(self, limit: int = 10) -> Recommendations:
        found: Recommendations = await self._json(
            Call("GET", "/api/recommendations", [("limit", str(limit))])
        )
        return found

    async def send_event(
        self,
        type: EventType,
        sku: str,
        *,
        search_id: str | None = None,
        position: int | None = None,
        query: str | None = None,
        visitor_id: str | None = None,
    ) -> None:
        call = calls.event(
            type, sku, search_id=search_id, position=position, query=query, visitor_id=visitor_id
        )
        await self._json(call)

    async def _json(self, call: Call) -> Any:
        response = await self._send(call)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    async def _send(self, call: Call) -> httpx.Response:
        retries = self.retries if call.idempotent else 0
        attempt = 0
        while True:
            response: httpx.Response | None = None
            try:
                response = await self._http.request(
                    call.method,
                    call.path,
                    params=tuple(call.params),
                    json=call.json,
                    content=call.content,
                    headers={**auth_headers(self.token), **call.headers},
                )
            except httpx.TransportError:
                if not should_retry(None, attempt, retries):
                    raise
            if response is not None and response.is_success:
                return response
            if not should_retry(response, attempt, retries):
                assert response is not None
                raise error_from(response)
            await asyncio.sleep(wait_before(response, attempt, self.max_retry_wait))
            attempt += 1
