"""Helpers for the API key tests: making keys over HTTP and sending them."""

from typing import Any

from litestar.testing import AsyncTestClient


async def make_key(
    client: AsyncTestClient, admin: dict[str, str], *scopes: str, **extra: Any
) -> dict[str, Any]:
    body = {"description": "test key", "scopes": list(scopes), **extra}
    response = await client.post("/api/admin/api-keys", json=body, headers=admin)
    assert response.status_code == 201, response.text
    return dict(response.json())


def with_key(secret: str) -> dict[str, str]:
    return {"X-API-Key": secret}


def as_bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def error_code(response: Any) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("error", {}).get("code") if isinstance(body, dict) else None
