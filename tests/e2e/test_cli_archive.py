"""`ecomsearch archive`: moves what is past EVENT_RETENTION_DAYS, reports it, and refuses bad settings."""

import asyncio
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from adapters.sql.engine import make_engine
from adapters.sql.tables import events, events_archive
from application.events.archive_events import ArchiveConfig
from entrypoints.cli.main import main
from entrypoints.settings import load_settings
from tests.integration.test_event_archive import event_row


def counts(url: str) -> tuple[int, int]:
    async def run() -> tuple[int, int]:
        engine = make_engine(url)
        async with engine.connect() as connection:
            live = (await connection.execute(sa.select(sa.func.count()).select_from(events))).scalar_one()
            gone = (
                await connection.execute(sa.select(sa.func.count()).select_from(events_archive))
            ).scalar_one()
        await engine.dispose()
        return int(live), int(gone)

    return asyncio.run(run())


def insert_events(url: str, ages: list[float]) -> None:
    async def run() -> None:
        engine = make_engine(url)
        now = datetime.now(UTC)
        rows = [{**event_row(i, 0), "occurred_at": now - timedelta(days=age)} for i, age in enumerate(ages)]
        async with engine.begin() as connection:
            await connection.execute(sa.insert(events), rows)
        await engine.dispose()

    asyncio.run(run())


def test_archive_command(
    cli_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = cli_database
    insert_events(url, [400, 40, 31, 29, 1])
    monkeypatch.setenv("EVENT_RETENTION_DAYS", "30")
    capsys.readouterr()
    assert main(["archive"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["job"] == "archive" and report["status"] == "done"
    assert (report["result"]["events"], report["result"]["impressions"]) == (3, 0)
    assert counts(url) == (2, 3)
    assert main(["archive"]) == 0
    assert json.loads(capsys.readouterr().out)["result"]["events"] == 0
    monkeypatch.setenv("EVENT_RETENTION_DAYS", "0")
    assert main(["archive"]) == 2
    assert "EVENT_RETENTION_DAYS" in capsys.readouterr().err
    assert counts(url) == (2, 3)


def test_settings_read_the_retention_and_batch_size() -> None:
    settings = load_settings(
        {"EVENT_RETENTION_DAYS": "30", "ARCHIVE_BATCH_SIZE": "250"}, dotenv=Path(os.devnull)
    )
    assert settings.archive == ArchiveConfig(retention_days=30, batch_size=250)
    assert load_settings({}, dotenv=Path(os.devnull)).archive == ArchiveConfig(
        retention_days=180, batch_size=5000
    )
    with pytest.raises(ValueError, match="EVENT_RETENTION_DAYS"):
        load_settings({"EVENT_RETENTION_DAYS": "half a year"}, dotenv=Path(os.devnull))
