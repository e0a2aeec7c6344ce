"""A shop with the test catalog behind a Litestar test client, and shoppers with bearer tokens."""

import os
from collections.abc import AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from entrypoints.container import build_container, close_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.fixtures.catalog import CATALOG

PASSWORD = "correct horse battery"


async def open_shop(
    make_database,
    kind: str,
    rows: Iterable[Mapping[str, Any]] = CATALOG,
    env: Mapping[str, str] | None = None,
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    """A migrated shop holding `rows` (the test catalog unless given), with settings `env` added."""
    url = await make_database(kind)
    # Every shopper signs up from the test client's one address: no signup limit unless `env` sets one.
    # Shoppers sign up without an email, so they cannot verify one: reviews are opened to them
    # deliberately (test_http_account_links checks the refusal).
    base = {
        "DATABASE_URL": url,
        "BCRYPT_ROUNDS": "4",
        "SIGNUP_RATE_LIMIT": "0",
        "UNVERIFIED_MAY_REVIEW": "true",
    }
    settings = load_settings({**base, **(env or {})}, dotenv=Path(os.devnull))
    container = build_container(settings)
    report = await container.import_catalog()([(i + 2, row) for i, row in enumerate(rows)])
    assert report.rejected == 0, report.rejected_rows
    await close_container(container)
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client, settings


async def shopper(client: AsyncTestClient, name: str) -> dict[str, str]:
    """Sign up (or log in) and answer bearer headers; the client keeps no cookies."""
    response = await client.post("/api/auth/signup", json={"username": name, "password": PASSWORD})
    if response.status_code == 409:
        response = await client.post("/api/auth/login", json={"username": name, "password": PASSWORD})
    assert response.status_code in (200, 201), response.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}
