"""RunImports (the `catalog_import` job) over fakes: replace mode, what an unreadable file leaves,
the notice each finished import publishes, and an idempotent repeat."""

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from application.cached import catalog_version
from application.catalog.bulk_import import RunImports
from application.catalog.errors import UnreadableCatalog
from application.catalog.import_catalog import ImportCatalog, ImportItem, RejectedRow
from application.catalog.product_cache import ProductCache
from application.catalog.uploads import ImportState
from tests.unit.fakes import FIXED_NOW, FakeCache, FakeClock, InMemoryProductRepository, make_product


class FakeUploads:
    """Uploads as lists of items; `None` stands for a file that breaks after its rows."""

    def __init__(self) -> None:
        self.files: dict[str, list[ImportItem | None]] = {}
        self.states: dict[str, ImportState] = {}
        self.saves: list[tuple[str, int]] = []

    def add(self, job_id: str, mode: str, items: list[ImportItem | None]) -> None:
        self.files[job_id] = items
        self.states[job_id] = ImportState(
            job_id=job_id, mode=mode, format="jsonl", status="queued", queued_at=FIXED_NOW
        )

    async def claim_next(self, at: Any) -> ImportState | None:
        waiting = [s for s in self.states.values() if s.status in ("queued", "running")]
        if not waiting:
            return None
        waiting[0].status = "running"
        return waiting[0]

    @asynccontextmanager
    async def rows(self, job_id: str) -> AsyncIterator[Iterator[ImportItem]]:
        def items() -> Iterator[ImportItem]:
            for item in self.files[job_id]:
                if item is None:
                    raise UnreadableCatalog("the file is not UTF-8 text (line 3)")
                yield item

        yield items()

    async def save(self, state: ImportState) -> None:
        self.saves.append((state.status, state.processed))
        self.states[state.job_id] = state

    async def get(self, job_id: str) -> ImportState | None:
        return self.states.get(job_id)

    async def any_waiting(self) -> bool:
        return any(s.status == "queued" for s in self.states.values())


class Notices:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, object]]] = []

    async def publish(self, kind: str, data: Mapping[str, object]) -> None:
        self.sent.append((kind, dict(data)))


def row(sku: str, price: Any = 10) -> tuple[int, dict[str, Any]]:
    return (0, {"sku": sku, "title": f"Product {sku}", "price": price})


def numbered(items: list[Any]) -> list[Any]:
    return [(n, item[1]) if isinstance(item, tuple) else item for n, item in enumerate(items, start=1)]


def build(*skus: str) -> tuple[RunImports, FakeUploads, InMemoryProductRepository, FakeCache, Notices]:
    repo = InMemoryProductRepository([make_product(sku, f"Stored {sku}") for sku in skus])
    cache, uploads, notices = FakeCache(), FakeUploads(), Notices()
    importer = ImportCatalog(repo, cache, FakeClock(), batch_size=2)
    job = RunImports(uploads, importer, repo, cache, ProductCache(cache), notices, FakeClock())
    return job, uploads, repo, cache, notices


async def test_replace_deletes_what_the_file_does_not_name_and_keeps_rejected_lines_products() -> None:
    job, uploads, repo, cache, notices = build("A", "B", "C", "D")
    uploads.add("import-1", "replace", numbered([row("A"), row("B", price=-1), row("E")]))
    assert (await job()).imports == ["import-1"]
    assert sorted(repo.products) == ["A", "B", "E"]  # B's line was rejected: B stays
    state = uploads.states["import-1"]
    assert (state.status, state.deleted, state.inserted, state.updated, state.rejected_count) == (
        "complete", 2, 1, 1, 1,
    )  # fmt: skip
    assert state.rejected == [RejectedRow(line=2, errors={"price": "must be between 0 and 1e+09"})]
    assert await catalog_version(cache) >= 2  # the load and the deletes
    assert notices.sent == [
        (
            "import.completed",
            {
                "job_id": "import-1", "mode": "replace", "status": "complete", "processed": 3, "loaded": 2,
                "inserted": 1, "updated": 1, "unchanged": 0, "rejected": 1, "deleted": 2,
            },
        )
    ]  # fmt: skip
    assert uploads.saves == [("running", 3), ("complete", 3)]  # after the one batch (A and E), then the end


async def test_a_file_that_breaks_deletes_nothing_and_fails_with_its_reason() -> None:
    job, uploads, repo, _, notices = build("A", "B")
    uploads.add("import-2", "replace", [*numbered([row("A"), row("N")]), None])
    await job()
    state = uploads.states["import-2"]
    assert (state.status, state.deleted, state.error) == ("failed", 0, "the file is not UTF-8 text (line 3)")
    assert sorted(repo.products) == ["A", "B", "N"]  # the batch written before the break stays
    assert notices.sent[0][1]["status"] == "failed"


async def test_every_waiting_upload_is_loaded_in_turn_and_a_repeat_changes_nothing() -> None:
    job, uploads, repo, cache, _ = build()
    uploads.add("import-3", "upsert", numbered([row("A"), row("B")]))
    uploads.add("import-4", "upsert", numbered([row("A"), row("B")]))
    assert (await job()).imports == ["import-3", "import-4"]
    first, second = uploads.states["import-3"], uploads.states["import-4"]
    assert (first.inserted, second.inserted, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert await catalog_version(cache) == 1  # moved by the first only
    assert sorted(repo.products) == ["A", "B"]


async def test_a_notice_that_fails_never_fails_the_import() -> None:
    job, uploads, _, _, notices = build()

    async def broken(kind: str, data: Mapping[str, object]) -> None:
        raise ConnectionError("webhook store away")

    notices.publish = broken  # type: ignore[method-assign]
    uploads.add("import-5", "upsert", numbered([row("A")]))
    await job()
    assert uploads.states["import-5"].status == "complete"
