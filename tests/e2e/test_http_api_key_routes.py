"""Every route of the app, walked from its route table (so routes added later are covered too),
answers an API key as its `opt["scope"]` says: a key without the scope gets 403, a key with it
gets past the guard, a key on a person's route gets 403, and revoked or expired keys get 401."""

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from domain.apikeys.model import ADMIN, SCOPES
from entrypoints.http.key_access import OPEN, PERSON, route_scope
from entrypoints.settings import Settings
from tests.e2e.api_keys import error_code, make_key, with_key
from tests.e2e.shop import open_shop
from tests.e2e.test_http_admin_products import bearer, token_for

KEY_REFUSALS = {"invalid_api_key", "insufficient_scope", "api_key_not_accepted"}
_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


def concrete(path: str) -> str:
    """A path with each parameter filled in by a harmless value of its type."""
    return _PARAM.sub(lambda m: "1" if m.group(2) == "int" else "nothing-here", path)


def every_route(app: Litestar) -> list[tuple[str, str, str]]:
    """(method, concrete path, scope) of every handler of the app, HEAD and OPTIONS included."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            for method in sorted(getattr(handler, "http_methods", ())):
                found.append((method, concrete(route.path), route_scope(handler)))
    return sorted(set(found))


@pytest.fixture(scope="module")
async def shop(make_database) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    async for opened in open_shop(
        make_database, "sqlite", env={"API_KEY_RATE_LIMIT": "0", "EVENT_RATE_LIMIT": "0"}
    ):
        yield opened


@pytest.fixture(scope="module")
async def keys(shop) -> dict[str, str]:
    """A secret per single scope, plus one revoked and one expired `admin` key."""
    client, settings = shop
    admin = bearer(await token_for(client, settings, "walker", admin=True))
    secrets = {s: (await make_key(client, admin, s))["secret"] for s in SCOPES}
    revoked = await make_key(client, admin, ADMIN)
    assert (await client.delete(f"/api/admin/api-keys/{revoked['id']}", headers=admin)).status_code == 204
    secrets["revoked"] = revoked["secret"]
    soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    secrets["expired"] = (await make_key(client, admin, ADMIN, expires_at=soon))["secret"]
    await asyncio.sleep(1.2)
    return secrets


async def call(client: AsyncTestClient, method: str, path: str, secret: str) -> Any:
    body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
    return await client.request(method, path, headers=with_key(secret), **body)


async def test_the_walk_sees_every_kind_of_route(shop) -> None:
    client, _ = shop
    routes = every_route(client.app)
    kinds = {scope for _, _, scope in routes}
    assert kinds == {*SCOPES, OPEN, PERSON}
    assert len(routes) > 100
    assert ("POST", "/api/admin/api-keys", PERSON) in routes


async def test_every_route_enforces_its_scope_for_keys(shop, keys) -> None:
    client, _ = shop
    problems = []
    for method, path, needed in every_route(client.app):
        if needed in SCOPES:
            other = next(s for s in SCOPES if s not in (needed, ADMIN))
            lacking = await call(client, method, path, keys[other])
            if lacking.status_code != 403 or error_code(lacking) != "insufficient_scope":
                problems.append((method, path, other, lacking.status_code, error_code(lacking)))
            for holder in {needed, ADMIN}:
                held = await call(client, method, path, keys[holder])
                if error_code(held) in KEY_REFUSALS or held.status_code == 401:
                    problems.append((method, path, holder, held.status_code, error_code(held)))
        elif needed == OPEN:
            passed = await call(client, method, path, keys["search"])
            if error_code(passed) in KEY_REFUSALS:
                problems.append((method, path, "search", passed.status_code, error_code(passed)))
        else:
            refused = await call(client, method, path, keys[ADMIN])
            if refused.status_code != 403 or error_code(refused) != "api_key_not_accepted":
                problems.append((method, path, ADMIN, refused.status_code, error_code(refused)))
    assert problems == []


async def test_every_route_refuses_revoked_and_expired_keys(shop, keys) -> None:
    client, _ = shop
    problems = []
    for method, path, _ in every_route(client.app):
        for dead in ("revoked", "expired"):
            answer = await call(client, method, path, keys[dead])
            if answer.status_code != 401 or error_code(answer) != "invalid_api_key":
                problems.append((method, path, dead, answer.status_code))
    assert problems == []
