"""Events posted over HTTP count towards the job thresholds; crossing one starts the job."""

import os
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.fixtures.catalog import CATALOG
from tests.fixtures.loading import settings_for


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_the_cluster_threshold_enqueues_the_job_once(kind: str, make_database) -> None:
    url = await make_database(kind)
    settings = load_settings({**settings_for(url), "CLUSTER_EVERY_EVENTS": "3"}, dotenv=Path(os.devnull))
    container = build_container(settings)
    await container.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    await container.engine().dispose()
    async with AsyncTestClient(app=create_app(settings, container)) as client:
        cache = container.cache()
        for n in range(1, 6):
            response = await client.post("/api/events", json={"type": "click", "sku": "HP-001"})
            assert response.status_code == 202, response.text
            fired = await cache.get("jobs:enqueued_at:cluster")
            assert (fired is not None) == (n >= 3), n
        assert int(await cache.get("jobs:events:cluster") or 0) == 5
        # A refused event (unknown product) counts for nothing.
        assert (await client.post("/api/events", json={"type": "click", "sku": "NOPE"})).status_code == 404
        assert int(await cache.get("jobs:events:cluster") or 0) == 5
        # One job started (it runs on the app's own event loop).
        assert [job_id.split(":")[0] for job_id in container.job_queue().tasks] == ["cluster"]
