"""The web app's built files at `/`, the index fallback for the app's own URLs, and the API untouched."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.fixtures.loading import settings_for

INDEX = "<!doctype html><title>shop</title><div id=root></div>"


def _dist(root: Path) -> Path:
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX)
    (root / "assets" / "index-abc123.js").write_text("console.log(1)")
    (root / "robots.txt").write_text("User-agent: *")
    (root.parent / "secret.txt").write_text("not for the web")
    return root


@pytest.fixture(params=["built", "missing"])
async def client(
    request: pytest.FixtureRequest, make_database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[AsyncTestClient]:
    dist = _dist(tmp_path / "dist") if request.param == "built" else tmp_path / "nothing"
    monkeypatch.setenv("WEB_DIST_DIR", str(dist))
    settings = load_settings(settings_for(await make_database("sqlite")), dotenv=Path(os.devnull))
    container = build_container(settings)
    await container.engine().dispose()
    async with AsyncTestClient(app=create_app(settings, container)) as test_client:
        test_client.built = request.param == "built"  # type: ignore[attr-defined]
        yield test_client


async def test_api_and_operations_are_untouched(client: AsyncTestClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    assert (await client.get("/api/search", params={"q": "x"})).status_code == 200
    assert (await client.get("/schema/openapi.json")).json()["info"]["title"] == "Ecomsearch"
    # Litestar's schema router answers its own unknown paths; they never become the app's index.
    assert (await client.get("/schema/nothing")).text != INDEX
    for path in ("/api/nothing-here", "/api/products/x/y/z", "/ready/x"):
        response = await client.get(path)
        assert response.status_code in (404, 405), path
        assert response.headers["content-type"].startswith("application/json"), path
        assert set(response.json()) == {"error"}, path


async def test_the_app_and_its_urls_serve_the_index(client: AsyncTestClient) -> None:
    for path in ("/", "/search", "/product/SKU-1?x=1", "/deep/link/"):
        response = await client.get(path)
        if client.built:  # type: ignore[attr-defined]
            assert response.status_code == 200, path
            assert response.text == INDEX
            assert response.headers["content-type"].startswith("text/html")
            assert response.headers["cache-control"] == "no-cache"
        else:
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "web_app_not_built"


async def test_built_files_are_served_and_nothing_outside(client: AsyncTestClient) -> None:
    asset = await client.get("/assets/index-abc123.js")
    missing = await client.get("/assets/index-gone.js")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/json")
    outside = await client.get("/%2e%2e/secret.txt")
    assert "not for the web" not in outside.text
    if client.built:  # type: ignore[attr-defined]
        assert asset.status_code == 200 and asset.text == "console.log(1)"
        assert "javascript" in asset.headers["content-type"]
        assert "immutable" in asset.headers["cache-control"]
        assert (await client.get("/robots.txt")).text == "User-agent: *"
    else:
        assert asset.status_code == 404
