"""The synchronous client: the whole API, for scripts, jobs and a shop's back office."""

import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self, Unpack
from urllib.parse import quote

import httpx

from ecomsearch_client import calls
from ecomsearch_client.auth import auth_headers
from ecomsearch_client.calls import Call, EventType, SearchFilters
from ecomsearch_client.errors import error_from
from ecomsearch_client.retrying import should_retry, wait_before
from ecomsearch_client.types import (
    ApiKey,
    Cart,
    CategoryCount,
    ImportStatus,
    Job,
    PatchReport,
    Product,
    Recommendations,
    SearchResult,
    Suggestion,
    User,
    Webhook,
)

FINISHED = frozenset({"complete", "failed"})


class Client:
    """`api_key` (an `esk_…` key) or `token` (a session from `login`) authenticates; neither browses
    as an anonymous visitor. GET, PUT and DELETE are sent again after a 429, a 503 or a lost
    connection, up to `retries` times, waiting what `Retry-After` says (at most `max_retry_wait`)."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        api_key: str | None = None,
        token: str | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        max_retry_wait: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.token = token or api_key
        self.retries = retries
        self.max_retry_wait = max_retry_wait
        self._http = httpx.Client(base_url=base_url, timeout=timeout, transport=transport)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # Shopping: what a storefront backend calls.
    def search(self, q: str = "", **filters: Unpack[SearchFilters]) -> SearchResult:
        result: SearchResult = self._json(calls.search(q, filters))
        return result

    def suggest(self, q: str, limit: int = 8) -> list[Suggestion]:
        body = self._json(Call("GET", "/api/suggest", [("q", q), ("limit", str(limit))]))
        suggestions: list[Suggestion] = body["suggestions"]
        return suggestions

    def product(self, sku: str) -> Product:
        product: Product = self._json(Call("GET", f"/api/products/{_segment(sku)}"))
        return product

    def categories(self) -> list[CategoryCount]:
        categories: list[CategoryCount] = self._json(Call("GET", "/api/categories"))["categories"]
        return categories

    def recommendations(self, limit: int = 10) -> Recommendations:
        found: Recommendations = self._json(Call("GET", "/api/recommendations", [("limit", str(limit))]))
        return found

    def send_event(
        self,
        type: EventType,
        sku: str,
        *,
        search_id: str | None = None,
        position: int | None = None,
        query: str | None = None,
        visitor_id: str | None = None,
    ) -> None:
        """Report a shopper's view, click or add to cart. Server-side reporting with an `events:write`
        key names the shopper's `visitor_id`, so the experiment counts them in their own arm."""
        call = calls.event(
            type, sku, search_id=search_id, position=position, query=query, visitor_id=visitor_id
        )
        self._json(call)

    # A shopper's own account.
    def signup(self, username: str, password: str, email: str | None = None) -> User:
        body = {"username": username, "password": password, **({"email": email} if email else {})}
        return self._logged_in(self._json(Call("POST", "/api/auth/signup", json=body)))

    def login(self, username: str, password: str) -> User:
        body = {"username": username, "password": password}
        return self._logged_in(self._json(Call("POST", "/api/auth/login", json=body)))

    def logout(self) -> None:
        self._json(Call("POST", "/api/auth/logout"))
        self.token = None

    def me(self) -> User:
        user: User = self._json(Call("GET", "/api/auth/me"))["user"]
        return user

    def cart(self) -> Cart:
        cart: Cart = self._json(Call("GET", "/api/cart"))
        return cart

    def add_to_cart(self, sku: str, quantity: int = 1) -> Cart:
        cart: Cart = self._json(Call("POST", "/api/cart/items", json={"sku": sku, "quantity": quantity}))
        return cart

    def set_cart_quantity(self, sku: str, quantity: int) -> Cart:
        cart: Cart = self._json(Call("PUT", f"/api/cart/items/{_segment(sku)}", json={"quantity": quantity}))
        return cart

    # The catalog (an administrator, or a key with `catalog:write`).
    def create_product(self, product: Mapping[str, Any]) -> Product:
        created: Product = self._json(Call("POST", "/api/admin/products", json=dict(product)))
        return created

    def update_product(self, sku: str, fields: Mapping[str, Any]) -> Product:
        updated: Product = self._json(Call("PUT", f"/api/admin/products/{_segment(sku)}", json=dict(fields)))
        return updated

    def delete_product(self, sku: str) -> None:
        self._json(Call("DELETE", f"/api/admin/products/{_segment(sku)}"))

    def import_products(
        self,
        source: str | Path | Iterable[Mapping[str, Any]],
        *,
        mode: Literal["upsert", "replace"] = "upsert",
    ) -> str:
        """Send a catalog file or rows for the server to load; returns the import's job id. `replace`
        makes the catalog exactly this file."""
        job_id: str = self._json(calls.product_import(source, mode))["job_id"]
        return job_id

    def import_status(self, job_id: str) -> ImportStatus:
        status: ImportStatus = self._json(Call("GET", f"/api/admin/products/import/{_segment(job_id)}"))
        return status

    def wait_for_import(self, job_id: str, *, timeout: float = 600.0, poll: float = 0.5) -> ImportStatus:
        """The import's final status; TimeoutError when it has not finished within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while (status := self.import_status(job_id))["status"] not in FINISHED:
            if time.monotonic() > deadline:
                raise TimeoutError(f"import {job_id} still {status['status']} after {timeout} s")
            time.sleep(poll)
        return status

    def patch_products(self, rows: Iterable[Mapping[str, Any]]) -> PatchReport:
        """Change some fields of products by sku (`{"sku": …, "price": …}` a row)."""
        report: PatchReport = self._json(calls.product_patch(rows))
        return report

    # Administration.
    def start_job(self, name: Literal["retrain", "cluster", "rollup"]) -> str:
        job_id: str = self._json(Call("POST", f"/api/admin/jobs/{name}"))["job_id"]
        return job_id

    def job(self, job_id: str) -> Job:
        job: Job = self._json(Call("GET", f"/api/admin/jobs/{_segment(job_id)}"))
        return job

    def analytics(self, days: int = 30) -> dict[str, Any]:
        readout: dict[str, Any] = self._json(Call("GET", "/api/analytics", [("days", str(days))]))
        return readout

    def create_api_key(
        self, description: str, scopes: Iterable[str], *, expires_at: str | None = None
    ) -> dict[str, Any]:
        """The new key with its secret, which the server shows this once."""
        body: dict[str, Any] = {"description": description, "scopes": list(scopes)}
        if expires_at is not None:
            body["expires_at"] = expires_at
        created: dict[str, Any] = self._json(Call("POST", "/api/admin/api-keys", json=body))
        return created

    def api_keys(self) -> list[ApiKey]:
        keys: list[ApiKey] = self._json(Call("GET", "/api/admin/api-keys"))["api_keys"]
        return keys

    def revoke_api_key(self, key_id: int) -> None:
        self._json(Call("DELETE", f"/api/admin/api-keys/{key_id}"))

    def create_webhook(
        self, url: str, events: Iterable[str], description: str | None = None
    ) -> dict[str, Any]:
        """The new webhook with its signing secret, which the server shows this once."""
        body: dict[str, Any] = {"url": url, "events": list(events)}
        if description is not None:
            body["description"] = description
        created: dict[str, Any] = self._json(Call("POST", "/api/admin/webhooks", json=body))
        return created

    def webhooks(self) -> list[Webhook]:
        hooks: list[Webhook] = self._json(Call("GET", "/api/admin/webhooks"))["webhooks"]
        return hooks

    def delete_webhook(self, webhook_id: int) -> None:
        self._json(Call("DELETE", f"/api/admin/webhooks/{webhook_id}"))

    def webhook_deliveries(self, webhook_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """The delivery log: status, attempts, last status code or error, newest first."""
        path = f"/api/admin/webhooks/{webhook_id}/deliveries"
        deliveries: list[dict[str, Any]] = self._json(Call("GET", path, [("limit", str(limit))]))[
            "deliveries"
        ]
        return deliveries

    def synonyms(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._json(Call("GET", "/api/admin/synonyms"))["synonyms"]
        return found

    def add_synonyms(
        self, terms: Iterable[str] = (), *, one_way: tuple[str, Iterable[str]] | None = None
    ) -> dict[str, Any]:
        """Multi-way (`terms`, each means the others) or one-way (`one_way=("tv", ["television"])`)."""
        body: dict[str, Any] = {"terms": list(terms)}
        if one_way is not None:
            body = {"from": one_way[0], "to": list(one_way[1])}
        created: dict[str, Any] = self._json(Call("POST", "/api/admin/synonyms", json=body))
        return created

    def delete_synonyms(self, synonym_id: int) -> None:
        self._json(Call("DELETE", f"/api/admin/synonyms/{synonym_id}"))

    def rules(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._json(Call("GET", "/api/admin/rules"))["rules"]
        return found

    def add_rule(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        created: dict[str, Any] = self._json(Call("POST", "/api/admin/rules", json=dict(rule)))
        return created

    def delete_rule(self, rule_id: int) -> None:
        self._json(Call("DELETE", f"/api/admin/rules/{rule_id}"))

    # Sending.
    def _logged_in(self, body: Any) -> User:
        self.token = body["token"]
        user: User = body["user"]
        return user

    def _json(self, call: Call) -> Any:
        response = self._send(call)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def _send(self, call: Call) -> httpx.Response:
        retries = self.retries if call.idempotent else 0
        attempt = 0
        while True:
            response: httpx.Response | None = None
            try:
                response = self._http.request(
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
            time.sleep(wait_before(response, attempt, self.max_retry_wait))
            attempt += 1


def _segment(value: str) -> str:
    """One path segment: a SKU may hold `/` or `?`."""
    return quote(value, safe="")
