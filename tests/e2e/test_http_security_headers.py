"""Security headers on every answer (the web app's files, API answers, errors from any layer), HSTS
only with Secure cookies, and no API answer stored by a cache."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.e2e.shop import PASSWORD

ASSET = "assets/index-abc123.js"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dist")
    (root / "assets").mkdir()
    (root / "index.html").write_text(
        '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>'
    )
    (root / ASSET).write_text("console.log('shop')")
    return root


async def opened(make_database, dist: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> AsyncTestClient:
    monkeypatch.setenv("WEB_DIST_DIR", str(dist))
    url = await make_database("sqlite")
    settings = load_settings({"DATABASE_URL": url, "BCRYPT_ROUNDS": "4", **env}, dotenv=Path(os.devnull))
    return AsyncTestClient(app=create_app(settings))


@pytest.fixture
async def client(make_database, dist, monkeypatch) -> AsyncIterator[AsyncTestClient]:
    async with await opened(make_database, dist, monkeypatch) as test_client:
        yield test_client


@pytest.fixture
async def secure_client(make_database, dist, monkeypatch) -> AsyncIterator[AsyncTestClient]:
    async with await opened(make_database, dist, monkeypatch, SESSION_COOKIE_SECURE="true") as test_client:
        yield test_client


def policy(response) -> dict[str, str]:
    directives = [d.strip() for d in response.headers["content-security-policy"].split(";")]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in directives if d}


async def every_kind_of_answer(client: AsyncTestClient) -> dict[str, object]:
    return {
        "index": await client.get("/"),
        "spa route": await client.get("/dashboard"),
        "asset": await client.get("/" + ASSET),
        "api": await client.get("/api/categories"),
        "api 404": await client.get("/api/nothing-here"),
        "router 405": await client.post("/api/search"),
        "middleware 400": await client.get("/api/search?q=a%00b"),
        "415": await client.post("/api/auth/login", content=b"{}", headers={"content-type": "text/plain"}),
        "health": await client.get("/health"),
        "schema": await client.get("/schema/openapi.json"),
    }


async def test_every_answer_carries_the_security_headers(client: AsyncTestClient) -> None:
    for name, response in (await every_kind_of_answer(client)).items():
        headers = response.headers  # type: ignore[attr-defined]
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["x-frame-options"] == "DENY", name
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin", name
        assert "strict-transport-security" not in headers, name
        csp = policy(response)
        assert csp["default-src"] == "'self'", name
        assert (csp["object-src"], csp["frame-ancestors"], csp["base-uri"]) == ("'none'", "'none'", "'self'")
        assert "unsafe-inline" not in headers["content-security-policy"], name


async def test_hsts_only_when_cookies_are_secure(secure_client: AsyncTestClient) -> None:
    for name, response in (await every_kind_of_answer(secure_client)).items():
        assert response.headers["strict-transport-security"] == "max-age=31536000", name  # type: ignore[attr-defined]


async def test_the_openapi_viewers_may_load_their_scripts_but_not_be_framed(client: AsyncTestClient) -> None:
    viewer = await client.get("/schema")
    assert viewer.status_code == 200 and "text/html" in viewer.headers["content-type"]
    csp = policy(viewer)
    assert "default-src" not in csp and csp["frame-ancestors"] == "'none'"
    assert viewer.headers["x-frame-options"] == "DENY"


async def test_no_api_answer_is_stored_and_the_apps_files_keep_their_caching(client: AsyncTestClient) -> None:
    answers = await every_kind_of_answer(client)
    for name in ("api", "api 404", "router 405", "middleware 400", "415"):
        assert answers[name].headers["cache-control"] == "no-store", name  # type: ignore[attr-defined]
    signed_up = await client.post("/api/auth/signup", json={"username": "cache_user", "password": PASSWORD})
    assert signed_up.status_code == 201 and signed_up.headers["cache-control"] == "no-store"
    token = signed_up.json()["token"]
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.headers["cache-control"] == "no-store"
    by_cookie = await client.get("/api/cart")  # the session cookie from the signup
    assert by_cookie.status_code == 200 and by_cookie.headers["cache-control"] == "no-store"
    # A logged-in browser sends its cookie with every file too: they stay cacheable, being the same for all.
    asset = await client.get("/" + ASSET)
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (await client.get("/")).headers["cache-control"] == "no-cache"
