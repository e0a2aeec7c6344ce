"""`ecomsearch cluster`, `ecomsearch train`, `ecomsearch worker` from the command line."""

import asyncio
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from application.shoppers.refresh_profiles import RefreshProfiles
from entrypoints.cli.main import main
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from tests.unit.segment_fakes import InMemoryEvents, segment_events


def seed_profiles(url: str) -> None:
    async def run() -> None:
        container = build_container(load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull)))
        try:
            events, truth = segment_events(datetime.now(UTC), per_segment=10)
            refresh = RefreshProfiles(
                InMemoryEvents(events), container.profiles(), container.clusters(), container.clock()
            )
            await refresh(sorted(truth))
        finally:
            await close_container(container)

    asyncio.run(run())


def test_cluster_train_and_worker_commands(cli_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = cli_database
    capsys.readouterr()
    assert main(["cluster"]) == 0
    assert json.loads(capsys.readouterr().out)["result"]["status"] == "skipped"  # nobody to cluster yet
    seed_profiles(url)
    assert main(["cluster"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "done"
    assert report["result"]["status"] == "clustered" and report["result"]["k"] == 3
    # Retrain reads the (still empty) impression log and says why it did not train.
    assert main(["train"]) == 0
    trained = json.loads(capsys.readouterr().out)
    assert trained["status"] == "done" and trained["result"]["status"] == "skipped"
    assert "0 training" in trained["result"]["reason"]
    assert main(["worker"]) == 2
    assert "REDIS_URL" in capsys.readouterr().err
