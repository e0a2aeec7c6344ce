"""`ecomsearch analytics`: tables from the rollups, --refresh runs the rollup job, --json as the API."""

import asyncio
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from adapters.sql.tables import events, impressions
from entrypoints.cli.analytics import table
from entrypoints.cli.main import main
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from tests.e2e.test_http_analytics import _log


def load_log(url: str) -> None:
    async def run() -> None:
        container = build_container(load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull)))
        try:
            shown, acted = _log(datetime.now(UTC))
            async with container.engine().begin() as connection:
                await connection.execute(sa.insert(impressions), shown)
                await connection.execute(sa.insert(events), acted)
        finally:
            await close_container(container)

    asyncio.run(run())


def test_analytics_command(cli_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = cli_database
    load_log(url)
    capsys.readouterr()

    # Without --refresh nothing is rolled up: the log is there, the summaries are still empty.
    assert main(["analytics", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert before["arms"]["personalized"]["searches"] == 0 and before["days"] == 30

    assert main(["analytics", "--refresh", "--days", "7"]) == 0
    out = capsys.readouterr().out
    assert "(7 days, UTC)" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.strip().startswith("arm "))
    personalized = next(line for line in lines if line.strip().startswith("personalized "))
    # Aligned: each arm row's columns end where the header's do.
    assert len(personalized) == len(header)
    assert personalized.split()[:6] == ["personalized", "2", "2", "2", "1", "1"]
    assert "Verdict: not enough data" in out and "Sample ratio: personalized 0.667" in out
    assert "mismatch: no" in out and "z-test" in out
    zero = lines[lines.index("Zero-result queries") + 2]
    assert zero.split() == ["zzz", "1"]
    assert lines[lines.index("Clusters") + 1] == "  (none)"

    assert main(["analytics", "--json", "--days", "7"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["top_queries"] == [{"query": "mug", "count": 2}, {"query": "zzz", "count": 1}]
    assert report["arms"]["popularity"]["mrr"] == 1.0 and len(report["positions"]) == 4


@pytest.mark.parametrize("days", ["0", "366", "abc"])
def test_a_bad_window_exits_2_with_a_message(
    days: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}")
    assert main(["analytics", "--days", days]) == 2
    assert "between 1 and 365" in capsys.readouterr().err


def test_tables_align_text_left_and_numbers_right() -> None:
    assert table(["q", "n"], [("mug", 12), ("teapot", 3)]).splitlines() == [
        "  q        n",
        "  mug     12",
        "  teapot   3",
    ]
    assert table(["q"], []) == "  (none)"
