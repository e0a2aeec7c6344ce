"""A catalog upload received by one process is loaded by a real SAQ worker on Redis, through
its own container and connections (as on another machine: the file travels in the database)."""

import asyncio
import gzip
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from dependency_injector import providers
from saq import Worker

from application.catalog.uploads import ImportState
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from entrypoints.worker.tasks import worker_settings
from tests.fixtures.actors import TEST_ACTOR
from tests.integration.test_saq_worker import settings_for, wait_for


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, make_database, redis_client) -> AsyncIterator[str]:
    yield await make_database(request.param)


async def body(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), 1000):
        yield data[start : start + 1000]


async def test_the_worker_loads_an_upload_received_elsewhere(database: str) -> None:
    settings = settings_for(database, IMPORT_BATCH_SIZE="10")
    api, worker_side = build_container(settings), build_container(settings)
    worker = Worker(**worker_settings(settings, worker_side))
    running = asyncio.create_task(worker.start())
    try:
        rows = [{"sku": f"W-{i}", "title": f"Worker lamp {i}", "price": i} for i in range(45)]
        rows[7]["price"] = "cheap"
        text = "\n".join(json.dumps(r) for r in rows).encode()
        job_id = await api.receive_import()(
            body(gzip.compress(text)), format="jsonl", gzipped=True, mode="upsert", actor=TEST_ACTOR
        )

        async def done() -> ImportState | None:
            state = await api.read_import()(job_id)
            return state if state.status in ("complete", "failed") else None

        state = await wait_for(done, 60)
        assert (state.status, state.processed, state.inserted, state.rejected_count) == (
            "complete",
            45,
            44,
            1,
        )
        assert state.rejected[0].line == 8 and "price" in state.rejected[0].errors
        assert await api.products().count() == 44
        product = await api.products().get("W-3")
        assert product is not None and product.title == "Worker lamp 3"
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await worker.stop()
        await close_container(worker_side)
        await close_container(api)


class AwayQueue:
    def names(self) -> frozenset[str]:
        return frozenset({"catalog_import"})

    async def enqueue(self, name: str) -> str:
        raise ConnectionError("Redis is away")


async def test_an_upload_stored_while_the_queue_was_away_is_loaded_by_the_periodic_check(
    database: str,
) -> None:
    settings = load_settings({"DATABASE_URL": database}, dotenv=Path(os.devnull))  # in-process jobs
    api = build_container(settings)
    try:
        api.job_queue.override(providers.Object(AwayQueue()))
        job_id = await api.receive_import()(
            body(b'{"sku": "R-1", "title": "Resumed", "price": 1}\n'),
            format="jsonl",
            gzipped=False,
            mode="upsert",
            actor=TEST_ACTOR,
        )
        assert (await api.read_import()(job_id)).status == "queued"  # stored: the answer was 202
        api.job_queue.reset_override()
        assert await api.resume_imports()()  # the check every minute, with the queue back

        async def done() -> ImportState | None:
            state = await api.read_import()(job_id)
            return state if state.status == "complete" else None

        assert (await wait_for(done, 30)).inserted == 1
        assert not await api.catalog_uploads().any_waiting()
        assert not await api.resume_imports()()  # nothing waits: nothing asked
    finally:
        await close_container(api)
