"""`ecomsearch audit [--limit N]`: what administrators did, newest first, as a table."""

import getpass
from pathlib import Path

import pytest

from entrypoints.cli.main import main
from tests.e2e.test_cli_user import signup


@pytest.fixture
def shop_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BCRYPT_ROUNDS", "4")
    monkeypatch.chdir(tmp_path)
    assert main(["db", "upgrade"]) == 0
    return url


def lines_of(out: str) -> list[list[str]]:
    return [line.split() for line in out.strip().splitlines()]


def test_audit_prints_the_log_newest_first(shop_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit"]) == 0
    assert "(none)" in capsys.readouterr().out
    for name in ("alice", "bob", "carol"):
        signup(shop_url, name)
    for name in ("alice", "bob", "carol", "nobody"):
        main(["user", "create-admin", name])
    main(["user", "revoke-admin", "alice"])
    main(["user", "revoke-admin", "nobody"])  # unknown: nothing changed, nothing recorded
    capsys.readouterr()
    assert main(["audit", "--limit", "3"]) == 0
    header, *rows = lines_of(capsys.readouterr().out)
    assert header == ["at", "actor", "action", "target", "address", "details"]
    cli = f"cli:{getpass.getuser()}"
    assert [row[1:5] for row in rows] == [
        [cli, "role.revoke", "alice", "local"],
        [cli, "role.grant", "carol", "local"],
        [cli, "role.grant", "bob", "local"],
    ]
    assert main(["audit"]) == 0
    assert len(lines_of(capsys.readouterr().out)) == 1 + 4
    assert main(["audit", "--limit", "0"]) == 2
    assert "limit must be between 1 and 500" in capsys.readouterr().err
