"""`ecomsearch apikey create|list|revoke` against a running app: the secret printed once and
working, the list without it, and a revocation from the command line refused at the app's next
request, with the in-process cache (SQLite) and with Redis (PostgreSQL)."""

import asyncio
import os
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.cli.main import main
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.e2e.api_keys import as_bearer, error_code, with_key


async def test_keys_from_the_command_line_with_the_in_process_cache(
    make_database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {"DATABASE_URL": await make_database("sqlite")}
    await create_use_list_revoke(env, monkeypatch, tmp_path, capsys)


async def test_keys_from_the_command_line_with_redis(
    make_database,
    redis_client,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.conftest import REDIS_URL

    env = {"DATABASE_URL": await make_database("postgresql"), "REDIS_URL": REDIS_URL}
    await create_use_list_revoke(env, monkeypatch, tmp_path, capsys)


async def create_use_list_revoke(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # the CLI reads .env from here: none
    settings = load_settings(env, dotenv=Path(os.devnull))
    async with AsyncTestClient(app=create_app(settings, build_container(settings))) as shop:
        capsys.readouterr()
        created = [
            "apikey",
            "create",
            "--scope",
            "search",
            "--scope",
            "analytics:read",
            "--description",
            "BI",
        ]
        assert await asyncio.to_thread(main, [*created, "--expires-in-days", "30"]) == 0
        out = capsys.readouterr()
        secret = out.out.strip()
        assert secret.startswith("esk_") and len(secret.splitlines()) == 1
        assert "shown only now" in out.err
        prefix = secret.split("_")[1]
        assert (await shop.get("/api/analytics", headers=as_bearer(secret))).status_code == 200
        assert (await shop.get("/api/search", headers=with_key(secret))).status_code == 200

        assert await asyncio.to_thread(main, ["apikey", "list"]) == 0
        listing = capsys.readouterr().out
        line = next(row for row in listing.splitlines() if prefix in row)
        key_id, _, scopes, state = line.split("\t")[:4]
        assert (scopes, state) == ("search,analytics:read", "active")
        assert secret.rsplit("_", 1)[1] not in listing

        assert await asyncio.to_thread(main, ["apikey", "revoke", key_id]) == 0
        assert f"key {key_id} ({prefix}) is revoked" in capsys.readouterr().out
        assert error_code(await shop.get("/api/search", headers=with_key(secret))) == "invalid_api_key"
        assert await asyncio.to_thread(main, ["apikey", "list"]) == 0
        assert prefix not in capsys.readouterr().out
        assert await asyncio.to_thread(main, ["apikey", "list", "--all"]) == 0
        assert "revoked" in capsys.readouterr().out

        assert await asyncio.to_thread(main, ["apikey", "revoke", "987654"]) == 1
        assert "no API key with id 987654" in capsys.readouterr().err
        assert (
            await asyncio.to_thread(main, ["apikey", "create", "--scope", "search", "--expires-in-days", "0"])
            == 2
        )
        audit = await asyncio.to_thread(main, ["audit", "--limit", "10"])
        assert audit == 0
        trail = capsys.readouterr().out
        assert "api_key.create" in trail and "api_key.revoke" in trail
