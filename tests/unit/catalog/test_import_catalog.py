"""ImportCatalog over the in-memory repository."""

from typing import Any

from application.cached import CATALOG_VERSION_KEY, catalog_version
from application.catalog.import_catalog import MAX_REPORTED, ImportCatalog, ImportItem, RejectedRow
from tests.unit.fakes import FIXED_NOW, FakeCache, FakeClock, InMemoryProductRepository, make_product


def good(n: int, **extra: Any) -> dict[str, Any]:
    return {"sku": f"SKU-{n}", "title": f"Product {n}", "price": str(n), **extra}


def numbered(rows: list[dict[str, Any]], first_line: int = 2) -> list[ImportItem]:
    """Rows as a CSV reader yields them: line 1 is the header."""
    return [(first_line + i, row) for i, row in enumerate(rows)]


def build(
    batch_size: int = 1000, repo: InMemoryProductRepository | None = None
) -> tuple[ImportCatalog, InMemoryProductRepository, FakeCache]:
    repo = repo if repo is not None else InMemoryProductRepository()
    cache = FakeCache()
    return ImportCatalog(repo, cache, FakeClock(), batch_size=batch_size), repo, cache


async def test_imports_valid_rows() -> None:
    importer, repo, cache = build()
    report = await importer(numbered([good(1), good(2, category="Socks", color="red")]))
    assert (report.read, report.inserted, report.updated, report.rejected, report.loaded) == (2, 2, 0, 0, 2)
    assert report.rejected_rows == []
    assert sorted(repo.products) == ["SKU-1", "SKU-2"]
    product = repo.products["SKU-2"]
    assert (product.title, product.price, product.category) == ("Product 2", 2.0, "Socks")
    assert product.attributes == {"color": "red"}
    assert product.created_at == FIXED_NOW  # from the clock, as no created_at was given
    assert await catalog_version(cache) == 1


async def test_rows_are_upserted_in_batches() -> None:
    importer, repo, _ = build(batch_size=2)
    report = await importer(numbered([good(i) for i in range(1, 6)]))
    assert report.inserted == 5
    assert repo.upsert_batches == [["SKU-1", "SKU-2"], ["SKU-3", "SKU-4"], ["SKU-5"]]


async def test_exact_multiple_of_the_batch_size_has_no_empty_flush() -> None:
    importer, repo, _ = build(batch_size=2)
    await importer(numbered([good(i) for i in range(1, 5)]))
    assert repo.upsert_batches == [["SKU-1", "SKU-2"], ["SKU-3", "SKU-4"]]


async def test_batch_size_below_one_is_one() -> None:
    importer, repo, _ = build(batch_size=0)
    await importer(numbered([good(1), good(2)]))
    assert repo.upsert_batches == [["SKU-1"], ["SKU-2"]]


async def test_rejected_rows_are_reported_with_line_and_errors() -> None:
    importer, repo, _ = build()
    rows = numbered(
        [
            good(1),
            {"sku": "SKU-2", "title": "", "price": "abc"},
            good(3),
            {"sku": "bad/sku", "title": "Ok", "price": "1", "rating": "7"},
        ]
    )
    report = await importer(rows)
    assert (report.read, report.inserted, report.updated, report.rejected) == (4, 2, 0, 2)
    assert report.rejected_rows == [
        RejectedRow(line=3, errors={"title": "is required", "price": "must be a number"}),
        RejectedRow(
            line=5,
            errors={"sku": "must not contain spaces, '/', '?' or '#'", "rating": "must be between 0 and 5"},
        ),
    ]
    assert sorted(repo.products) == ["SKU-1", "SKU-3"]


async def test_rows_rejected_by_the_reader_are_passed_through() -> None:
    importer, repo, _ = build()
    unreadable = RejectedRow(line=7, errors={"row": "has more fields than the header"})
    report = await importer([(6, good(1)), unreadable, (8, good(2))])
    assert (report.read, report.inserted, report.rejected) == (3, 2, 1)
    assert report.rejected_rows == [unreadable]
    assert sorted(repo.products) == ["SKU-1", "SKU-2"]


async def test_inserted_and_updated_counts() -> None:
    repo = InMemoryProductRepository([make_product("SKU-1", "Old title"), make_product("SKU-2", "Old")])
    importer, repo, _ = build(repo=repo)
    report = await importer(numbered([good(1), good(3), good(2)]))
    assert (report.inserted, report.updated, report.loaded) == (1, 2, 3)
    assert repo.products["SKU-1"].title == "Product 1"


async def test_same_sku_twice_in_a_batch_counts_once_and_the_last_row_wins() -> None:
    importer, repo, _ = build()
    report = await importer(numbered([good(1, title="First"), good(1, title="Second")]))
    assert (report.read, report.inserted, report.updated) == (2, 1, 0)
    assert repo.products["SKU-1"].title == "Second"


async def test_same_sku_in_two_batches_is_an_insert_then_an_update() -> None:
    importer, repo, _ = build(batch_size=1)
    report = await importer(numbered([good(1, title="First"), good(1, title="Second")]))
    assert (report.inserted, report.updated) == (1, 1)
    assert repo.products["SKU-1"].title == "Second"


async def test_catalog_version_is_bumped_once_when_something_loaded() -> None:
    importer, _, cache = build(batch_size=1)
    await importer(numbered([good(1), good(2), good(3)]))
    assert cache.data[CATALOG_VERSION_KEY] == b"1"


async def test_the_store_settles_once_after_a_load_and_not_after_nothing() -> None:
    importer, repo, _ = build(batch_size=1)
    await importer(numbered([good(1), good(2)]))
    assert repo.settled == 1
    await importer(numbered([{"sku": "", "title": "x", "price": 1}]))
    assert repo.settled == 1


async def test_catalog_version_is_not_bumped_when_nothing_loaded() -> None:
    importer, repo, cache = build()
    report = await importer(numbered([{"sku": "", "title": "x", "price": 1}]))
    assert (report.read, report.rejected, report.loaded) == (1, 1, 0)
    assert repo.upsert_batches == []
    assert CATALOG_VERSION_KEY not in cache.data


async def test_empty_input() -> None:
    importer, repo, cache = build()
    report = await importer([])
    assert (report.read, report.inserted, report.updated, report.rejected) == (0, 0, 0, 0)
    assert repo.upsert_batches == []
    assert await catalog_version(cache) == 0


async def test_progress_is_called_once_per_row() -> None:
    importer, _, _ = build(batch_size=2)
    calls: list[int] = []
    await importer(numbered([good(1), {"sku": "x"}, good(3)]), progress=calls.append)
    assert calls == [1, 1, 1]


async def test_rejected_rows_reported_are_capped_but_all_are_counted() -> None:
    importer, _, _ = build()
    bad = [{"sku": f"S{i}", "title": "", "price": 1} for i in range(MAX_REPORTED + 5)]
    report = await importer(numbered(bad))
    assert report.rejected == MAX_REPORTED + 5
    assert len(report.rejected_rows) == MAX_REPORTED
    assert report.rejected_rows[0].line == 2
    assert report.rejected_rows[-1].line == MAX_REPORTED + 1


async def test_rows_use_the_clock_at_the_start_of_the_import() -> None:
    repo = InMemoryProductRepository()
    clock = FakeClock()
    importer = ImportCatalog(repo, FakeCache(), clock, batch_size=1)

    def tick(_: int) -> None:
        clock.advance(60)

    await importer(numbered([good(1), good(2)]), progress=tick)
    assert repo.products["SKU-1"].created_at == repo.products["SKU-2"].created_at == FIXED_NOW
