"""Writes another site could forge: a non-JSON body is 415, a cross-site unsafe request is 403.

API clients (bearer token, no `Origin`) and the web app (same origin, cookie and CSRF token) keep
working; ALLOWED_ORIGINS may write as CORS lets them.
"""

import json
from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.settings import Settings
from tests.e2e.shop import PASSWORD, open_shop, shopper
from tests.e2e.test_http_malformed_input import JSON_ROUTES
from tests.e2e.test_http_search import assert_error

PARTNER = "https://partner.example"
OWN = "http://testserver.local"  # the test client's base URL


@pytest.fixture(scope="module")
async def shop(make_database) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    async for opened in open_shop(make_database, "sqlite", env={"ALLOWED_ORIGINS": PARTNER}):
        yield opened


def login_body(name: str) -> bytes:
    return json.dumps({"username": name, "password": PASSWORD}).encode()


@pytest.mark.parametrize(("method", "path", "good"), JSON_ROUTES)
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None]
)
async def test_every_json_route_refuses_another_body_type_with_415(
    shop, method, path, good, content_type
) -> None:
    client, _ = shop
    headers = {} if content_type is None else {"content-type": content_type}
    response = await client.request(method, path, content=json.dumps(good).encode(), headers=headers)
    body = assert_error(response, 415)
    assert body["error"]["code"] == "unsupported_media_type"
    assert "application/json" in body["error"]["message"]


async def test_login_csrf_with_a_text_plain_body_changes_nothing(shop) -> None:
    client, _ = shop
    await shopper(client, "victim_415")
    # What a form or `fetch(..., {mode: "no-cors"})` on another page can send without a preflight.
    forged = await client.post(
        "/api/auth/login", content=login_body("victim_415"), headers={"content-type": "text/plain"}
    )
    assert_error(forged, 415)
    assert "set-cookie" not in forged.headers
    signup = await client.post(
        "/api/auth/signup",
        content=json.dumps({"username": "never_made", "password": PASSWORD}).encode(),
        headers={"content-type": "text/plain;charset=UTF-8"},
    )
    assert_error(signup, 415)
    assert_error(
        await client.post("/api/auth/login", json={"username": "never_made", "password": PASSWORD}), 401
    )


async def test_json_with_parameters_and_empty_bodies_pass_the_type_check(shop) -> None:
    client, _ = shop
    created = await client.post(
        "/api/auth/signup",
        content=login_body("charset_user"),
        headers={"content-type": "Application/JSON; charset=utf-8"},
    )
    assert created.status_code == 201, created.text
    client.cookies.clear()
    # No body at all is not "a body that is not JSON": the route says what is missing.
    assert_error(await client.post("/api/auth/login", headers={"content-type": "text/plain"}), 400)


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},  # sandboxed frames and some redirects
        {"origin": "http://testserver.local.evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"origin": "https://evil.example", "sec-fetch-site": "same-origin"},
    ],
)
async def test_cross_site_unsafe_requests_are_403_and_change_nothing(shop, headers) -> None:
    client, _ = shop
    await shopper(client, "cross_site_victim")
    forged = await client.post(
        "/api/auth/login", json=json.loads(login_body("cross_site_victim")), headers=headers
    )
    body = assert_error(forged, 403)
    assert body["error"]["code"] == "cross_site_request"
    assert "set-cookie" not in forged.headers
    signup = await client.post(
        "/api/auth/signup", json={"username": "cross_made", "password": PASSWORD}, headers=headers
    )
    assert_error(signup, 403)
    assert_error(
        await client.post("/api/auth/login", json={"username": "cross_made", "password": PASSWORD}), 401
    )


async def test_a_bearer_client_from_another_site_is_refused_too(shop) -> None:
    client, _ = shop
    me = await shopper(client, "bearer_cross")
    refused = await client.post(
        "/api/cart/items",
        json={"sku": "HP-004", "quantity": 1},
        headers={**me, "origin": "https://evil.example"},
    )
    assert_error(refused, 403)
    assert (await client.get("/api/cart", headers=me)).json()["items"] == []


@pytest.mark.parametrize(
    "headers",
    [
        {},  # an API client: curl, a server, a mobile app
        {"origin": OWN, "sec-fetch-site": "same-origin"},
        {"origin": "https://testserver.local"},  # the app behind a TLS-terminating proxy
        {"origin": PARTNER, "sec-fetch-site": "cross-site"},  # ALLOWED_ORIGINS
        {"origin": PARTNER + "/"},
        {"sec-fetch-site": "same-site"},
        {"sec-fetch-site": "none"},  # typed by the user
    ],
)
async def test_own_allowed_and_headerless_requests_may_write(shop, headers) -> None:
    client, _ = shop
    me = await shopper(client, "may_write")
    await client.delete("/api/cart", headers=me)
    added = await client.post(
        "/api/cart/items", json={"sku": "HP-004", "quantity": 1}, headers={**me, **headers}
    )
    assert added.status_code == 200, added.text
    login = await client.post(
        "/api/auth/login",
        content=login_body("may_write"),
        headers={"content-type": "application/json", **headers},
    )
    assert login.status_code == 200, login.text
    client.cookies.clear()


async def test_the_web_app_writes_with_its_cookie_from_its_own_origin(shop) -> None:
    client, _ = shop
    same_origin = {"origin": OWN, "sec-fetch-site": "same-origin"}
    signed_up = await client.post(
        "/api/auth/signup", json={"username": "spa_writer", "password": PASSWORD}, headers=same_origin
    )
    assert signed_up.status_code == 201, signed_up.text
    csrf = {"x-csrf-token": client.cookies["csrftoken"]}
    added = await client.post(
        "/api/cart/items", json={"sku": "HP-004", "quantity": 2}, headers={**same_origin, **csrf}
    )
    assert added.status_code == 200, added.text
    # The same cookie from another site: refused before the CSRF check or the cart see it.
    forged = await client.post(
        "/api/cart/items",
        json={"sku": "HP-004", "quantity": 5},
        headers={"origin": "https://evil.example", **csrf},
    )
    assert_error(forged, 403)
    assert (await client.get("/api/cart")).json()["total_items"] == 2
    client.cookies.clear()


async def test_reads_from_any_site_are_not_refused(shop) -> None:
    client, _ = shop
    read = await client.get(
        "/api/search?q=cable", headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"}
    )
    assert read.status_code == 200


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/api/search"), ("DELETE", "/api/categories"), ("PUT", "/health")]
)
async def test_a_known_path_with_another_method_is_405_in_the_contract_shape(shop, method, path) -> None:
    client, _ = shop
    response = await client.request(method, path)
    body = assert_error(response, 405)
    assert body["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["allow"]
