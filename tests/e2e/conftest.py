"""Fixtures shared by the end-to-end CLI tests."""

from pathlib import Path

import pytest

from entrypoints.cli.main import main


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite shop that `ecomsearch` commands find through DATABASE_URL, no Redis."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no developer .env is read
    assert main(["db", "upgrade"]) == 0
    return url
