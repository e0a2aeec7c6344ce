"""`ecomsearch user revoke-admin`: the administrator's very next request to an admin route is
403, with the in-process cache (SQLite) and with Redis (PostgreSQL)."""

import asyncio
import os
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.cli.main import main
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.e2e.test_http_auth import bearer, fresh_name, signup
from tests.e2e.test_http_search import assert_error


async def test_a_revoked_administrator_gets_403_at_once_with_the_in_process_cache(
    make_database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": await make_database("sqlite"), "BCRYPT_ROUNDS": "4"}
    await revoke_through_the_cli(env, monkeypatch, tmp_path, shared_cache=False)


async def test_a_revoked_administrator_gets_403_at_once_with_redis(
    make_database, redis_client, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.conftest import REDIS_URL

    env = {"DATABASE_URL": await make_database("postgresql"), "REDIS_URL": REDIS_URL, "BCRYPT_ROUNDS": "4"}
    await revoke_through_the_cli(env, monkeypatch, tmp_path, shared_cache=True)


async def revoke_through_the_cli(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shared_cache: bool
) -> None:
    """With a cache the CLI shares (Redis) a grant applies at once too; with an in-process cache
    only the revocation must (administrator rights are re-read, never taken from the cache alone)."""
    settings = load_settings(env, dotenv=Path(os.devnull))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # the CLI reads .env from here: none
    async with AsyncTestClient(app=create_app(settings, build_container(settings))) as shop:
        name = fresh_name()
        token = (await signup(shop, name))["token"]
        shop.cookies.clear()
        if shared_cache:  # the session is cached as a shopper's before the grant
            assert (await shop.get("/api/auth/me", headers=bearer(token))).json()["user"]["is_admin"] is False
        assert await asyncio.to_thread(main, ["user", "create-admin", name]) == 0
        assert (await shop.get("/api/admin/jobs", headers=bearer(token))).status_code == 200
        assert (await shop.get("/api/admin/jobs", headers=bearer(token))).status_code == 200  # cached
        # The CLI runs in its own container: its own connections and, without Redis, its own cache.
        assert await asyncio.to_thread(main, ["user", "revoke-admin", name.upper()]) == 0
        assert_error(await shop.get("/api/admin/jobs", headers=bearer(token)), 403)
        me = await shop.get("/api/auth/me", headers=bearer(token))
        assert me.status_code == 200 and me.json()["user"]["is_admin"] is False
