"""Input no route can take: deep JSON, NUL bytes and NUL paths are 400 / 404 on every endpoint, never 500."""

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.e2e.test_http_search import assert_error
from tests.fixtures.catalog import CATALOG
from tests.fixtures.loading import settings_for

SKU = CATALOG[0]["sku"]
# Every route that reads a JSON body, with a body it would otherwise take.
JSON_ROUTES = [
    ("POST", "/api/events", {"type": "view", "sku": SKU}),
    (
        "POST",
        "/api/auth/signup",
        {"username": "nul_user", "email": "n@example.com", "password": "long enough pw"},
    ),
    ("POST", "/api/auth/login", {"username": "nul_user", "password": "long enough pw"}),
    ("POST", "/api/auth/password", {"current_password": "long enough pw", "new_password": "another long pw"}),
    ("POST", "/api/cart/items", {"sku": SKU, "quantity": 1}),
    ("PUT", f"/api/cart/items/{SKU}", {"quantity": 2}),
    ("PUT", f"/api/products/{SKU}/reviews/", {"rating": 4, "comment": "fine"}),
    ("POST", "/api/admin/products/", {"sku": "NEW1", "title": "A title", "price": 1.0}),
    ("PUT", f"/api/admin/products/{SKU}", {"sku": SKU, "title": "A title", "price": 1.0}),
]
DEEP = "[" * 1000 + "]" * 1000


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def client(request: pytest.FixtureRequest, make_database) -> AsyncIterator[AsyncTestClient]:
    url = await make_database(request.param)
    settings = load_settings({**settings_for(url), "BCRYPT_ROUNDS": "4"}, dotenv=Path(os.devnull))
    container = build_container(settings)
    await container.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    await container.engine().dispose()
    async with AsyncTestClient(app=create_app(settings, container)) as test_client:
        yield test_client


@pytest.mark.parametrize(("method", "path", "_body"), JSON_ROUTES)
async def test_deeply_nested_json_is_400_before_authentication(client, method, path, _body) -> None:
    assert len(DEEP) == 2000
    response = await client.request(method, path, content=DEEP, headers={"content-type": "application/json"})
    body = assert_error(response, 400)
    assert "nested" in body["error"]["message"]


@pytest.mark.parametrize(("method", "path", "good"), JSON_ROUTES)
async def test_a_nul_byte_in_any_string_field_is_400_naming_it(client, method, path, good) -> None:
    for field, value in good.items():
        if not isinstance(value, str):
            continue
        bad = {**good, field: value[:2] + "\x00" + value[2:]}
        response = await client.request(
            method, path, content=json.dumps(bad), headers={"content-type": "application/json"}
        )
        assert_error(response, 400, field)


async def test_a_nul_byte_nested_in_a_body_is_named_by_its_path(client) -> None:
    body = {"type": "view", "sku": SKU, "extra": {"list": ["ok", "b\x00d"]}}
    response = await client.post(
        "/api/events", content=json.dumps(body), headers={"content-type": "application/json"}
    )
    assert_error(response, 400, "extra.list[1]")


@pytest.mark.parametrize("path", ["/api/search", "/api/suggest", "/api/categories", f"/api/products/{SKU}"])
async def test_a_nul_byte_in_a_query_parameter_is_400_naming_it(client, path) -> None:
    assert_error(await client.get(f"{path}?q=ab%00c&brand=x%00"), 400, "q")


@pytest.mark.parametrize("path", ["/%00", "/api/%00", f"/api/products/{SKU}%00", "/shop/%00/x"])
async def test_a_nul_byte_in_the_path_is_404(client, path) -> None:
    assert_error(await client.get(path), 404)


async def test_well_formed_bodies_still_reach_their_routes(client) -> None:
    event = {"type": "view", "sku": SKU}
    response = await client.post(
        "/api/events", content=json.dumps(event), headers={"content-type": "application/json"}
    )
    assert response.status_code == 202, response.text
    assert (await client.get("/api/search", params={"q": "mouse"})).status_code == 200
