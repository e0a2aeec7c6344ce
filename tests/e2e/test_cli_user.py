"""`ecomsearch user create-admin USERNAME`, `user revoke-admin USERNAME` and `user list`."""

import asyncio
import os
from pathlib import Path

import pytest

from entrypoints.cli.main import main
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings


def container_for(url: str):
    return build_container(
        load_settings({"DATABASE_URL": url, "BCRYPT_ROUNDS": "4"}, dotenv=Path(os.devnull))
    )


def signup(url: str, username: str) -> int:
    async def run() -> int:
        container = container_for(url)
        try:
            return (await container.signup()(username, "a long enough secret")).user.id
        finally:
            await close_container(container)

    return asyncio.run(run())


def is_admin(url: str, user_id: int) -> bool:
    async def run() -> bool:
        container = container_for(url)
        try:
            user = await container.users().get(user_id)
            assert user is not None
            return user.is_admin
        finally:
            await close_container(container)

    return asyncio.run(run())


def test_create_admin_grants_the_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    assert main(["db", "upgrade"]) == 0
    alice, bob = signup(url, "alice"), signup(url, "bob")
    assert not is_admin(url, alice)
    assert main(["user", "create-admin", "Alice"]) == 0
    assert "alice is now an administrator" in capsys.readouterr().out
    assert is_admin(url, alice) and not is_admin(url, bob)
    assert main(["user", "create-admin", "nobody"]) == 1
    assert "no user named 'nobody'" in capsys.readouterr().err


def test_revoke_admin_takes_the_flag_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    assert main(["db", "upgrade"]) == 0
    alice, bob = signup(url, "alice"), signup(url, "bob")
    assert main(["user", "create-admin", "alice"]) == 0
    assert main(["user", "create-admin", "bob"]) == 0
    capsys.readouterr()
    assert main(["user", "revoke-admin", "ALICE"]) == 0
    assert "alice is no longer an administrator" in capsys.readouterr().out
    assert not is_admin(url, alice) and is_admin(url, bob)
    assert main(["user", "revoke-admin", "nobody"]) == 1
    assert "no user named 'nobody'" in capsys.readouterr().err
    assert is_admin(url, bob)


def test_list_shows_users_and_with_admins_only_the_administrators(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    assert main(["db", "upgrade"]) == 0
    for name in ("carol", "Alice", "bob"):
        signup(url, name)
    assert main(["user", "create-admin", "carol"]) == 0
    assert main(["user", "create-admin", "alice"]) == 0
    assert main(["user", "revoke-admin", "alice"]) == 0
    capsys.readouterr()
    assert main(["user", "list", "--admins"]) == 0
    assert capsys.readouterr().out == "carol\t-\n"
    assert main(["user", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == ["Alice\t-", "bob\t-", "carol\t-\tadmin"]
