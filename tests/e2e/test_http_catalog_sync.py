"""Catalog sync over HTTP on both databases: bulk import (202, a job, its progress and rejects by
line), gzip, replace mode, an idempotent second import, the size limit and media types, and
patches by sku. Jobs run on the in-process runner here (tests/integration has the SAQ worker)."""

import asyncio
import gzip
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient

from adapters.sql.tables import catalog_upload_chunks, catalog_uploads, products
from application.cached import catalog_version
from application.catalog.errors import UploadTooLarge
from entrypoints.container import build_container, close_container
from entrypoints.settings import Settings
from tests.e2e.api_keys import make_key, with_key
from tests.e2e.shop import open_shop
from tests.e2e.test_http_admin_products import bearer, token_for
from tests.e2e.test_http_search import assert_error
from tests.fixtures.actors import TEST_ACTOR

IMPORT = "/api/admin/products/import"
JSONL = {"Content-Type": "application/x-ndjson"}
MAX_BYTES = 40_000


def row(sku: str, title: str, price: float, **extra: Any) -> dict[str, Any]:
    return {"sku": sku, "title": title, "price": price, "category": "Sync", "brand": "Acme", **extra}


def jsonl(rows: list[Any]) -> bytes:
    return ("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n").encode()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    env = {"IMPORT_MAX_BYTES": str(MAX_BYTES), "IMPORT_BATCH_SIZE": "5"}
    async for opened in open_shop(make_database, request.param, env=env):
        yield opened


@pytest.fixture(scope="module")
async def admin(shop) -> dict[str, str]:
    client, settings = shop
    return bearer(await token_for(client, settings, "syncer", admin=True))


def container(client: AsyncTestClient) -> Any:
    """The app's container (its cache; its engine belongs to the app's event loop)."""
    return client.app.state.container


@asynccontextmanager
async def own_container(settings: Settings) -> AsyncIterator[Any]:
    """A container of this test's own, as another process would have (own connections)."""
    opened = build_container(settings)
    try:
        yield opened
    finally:
        await close_container(opened)


async def finished(client: AsyncTestClient, job_id: str, headers: dict[str, str]) -> dict[str, Any]:
    for _ in range(400):
        response = await client.get(f"{IMPORT}/{job_id}", headers=headers)
        assert response.status_code == 200, response.text
        state = response.json()
        if state["status"] in ("complete", "failed"):
            return dict(state)
        await asyncio.sleep(0.05)
    raise AssertionError(f"import {job_id} did not finish: {state}")


async def run_import(
    client: AsyncTestClient, admin: dict[str, str], body: bytes, headers: dict[str, str], **params: str
) -> dict[str, Any]:
    response = await client.post(IMPORT, content=body, headers={**admin, **headers}, params=params)
    assert response.status_code == 202, response.text
    assert set(response.json()) == {"job_id"}
    return await finished(client, response.json()["job_id"], admin)


async def stored(settings: Settings) -> dict[str, Any]:
    async with own_container(settings) as mine, mine.engine().connect() as db:
        rows = await db.execute(sa.select(products.c.sku, products.c.price, products.c.updated_at))
        return {r.sku: r for r in rows}


async def product(client: AsyncTestClient, sku: str) -> dict[str, Any] | None:
    response = await client.get(f"/api/products/{sku}")
    return response.json() if response.status_code == 200 else None


async def test_jsonl_import_loads_the_rows_and_reports_rejects_by_line(shop, admin) -> None:
    client, _settings = shop
    body = jsonl(
        [
            row("SYNC-1", "Sync kettle", 30),
            row("SYNC-2", "Sync toaster", 45.5, voltage="230V"),
            row("SYNC-3", "Sync mixer", -4),
            "",
            "{not json",
            row("SYNC-4", "Sync grinder", 12, rating=9),
        ]
    )
    state = await run_import(client, admin, body, JSONL)
    assert (state["status"], state["mode"], state["format"]) == ("complete", "upsert", "jsonl")
    assert (state["processed"], state["loaded"], state["inserted"], state["deleted"]) == (5, 2, 2, 0)
    assert state["rejected"] == [
        {"line": 3, "field": "price", "reason": "must be between 0 and 1e+09"},
        {"line": 5, "field": "row", "reason": state["rejected"][1]["reason"]},
        {"line": 6, "field": "rating", "reason": "must be between 0 and 5"},
    ]
    assert "not valid JSON" in state["rejected"][1]["reason"]
    assert (state["rejected_lines"], state["rejected_lines_not_listed"]) == (3, 0)
    assert state["started_at"] and state["finished_at"] and state["error"] is None
    toaster = await product(client, "SYNC-2")
    assert toaster is not None and toaster["price"] == 45.5 and toaster["attributes"] == {"voltage": "230V"}
    assert await product(client, "SYNC-3") is None
    found = (await client.get("/api/search", params={"q": "kettle"})).json()["items"]
    assert "SYNC-1" in [item["sku"] for item in found]
    audit = (await client.get("/api/admin/audit", headers=admin)).json()["entries"]
    assert any(e["action"] == "catalog.import" and e["target"] == state["job_id"] for e in audit)


async def test_gzip_csv_by_content_encoding_and_as_a_gzip_file(shop, admin) -> None:
    client, _settings = shop
    csv = b"sku,title,price,colour\nGZ-1,Gzip lamp,20,red\nGZ-2,Gzip chair,not a price,blue\n"
    state = await run_import(
        client, admin, gzip.compress(csv), {"Content-Type": "text/csv", "Content-Encoding": "gzip"}
    )
    assert (state["format"], state["inserted"], state["rejected"]) == (
        "csv",
        1,
        [{"line": 3, "field": "price", "reason": "must be a number"}],
    )
    # A compressed file sent as such: its kind is told by its first character.
    body = gzip.compress(jsonl([row("GZ-3", "Gzip desk", 99)]))
    state = await run_import(client, admin, body, {"Content-Type": "application/gzip"})
    assert (state["status"], state["format"], state["inserted"]) == ("complete", "auto", 1)
    state = await run_import(client, admin, gzip.compress(csv), {"Content-Type": "application/gzip"})
    assert (state["unchanged"], state["rejected_lines"]) == (1, 1)
    broken = await client.post(
        IMPORT, content=b"not gzip at all", headers={**admin, "Content-Type": "application/gzip"}
    )
    assert assert_error(broken, 400)["error"]["code"] == "invalid_upload"


async def test_a_second_import_of_the_same_file_changes_nothing(shop, admin) -> None:
    client, settings = shop
    # No created_at in the file: a repeat must keep the stored one, not stamp a new one.
    body = jsonl([row(f"SAME-{i}", f"Same lamp {i}", 10 + i, colour="red") for i in range(12)])
    first = await run_import(client, admin, body, JSONL)
    assert (first["inserted"], first["unchanged"]) == (12, 0)
    before, version = await stored(settings), await catalog_version(container(client).cache())
    second = await run_import(client, admin, body, JSONL)
    assert (second["loaded"], second["inserted"], second["updated"], second["unchanged"]) == (12, 0, 0, 12)
    after = await stored(settings)
    assert {s: r.updated_at for s, r in after.items()} == {s: r.updated_at for s, r in before.items()}
    assert await catalog_version(container(client).cache()) == version
    changed = jsonl([row("SAME-0", "Same lamp 0", 99, colour="red")])
    assert (await run_import(client, admin, changed, JSONL))["updated"] == 1
    assert await catalog_version(container(client).cache()) == version + 1


async def test_progress_is_written_batch_after_batch(shop, admin, monkeypatch) -> None:
    client, _settings = shop
    uploads = container(client).catalog_uploads()
    seen: list[tuple[str, int]] = []
    save = uploads.save

    async def noting(state: Any) -> None:
        seen.append((state.status, state.processed))
        await save(state)

    monkeypatch.setattr(uploads, "save", noting)
    body = jsonl([row(f"PROG-{i}", f"Progress mug {i}", 5) for i in range(23)])
    state = await run_import(client, admin, body, JSONL)
    assert state["processed"] == 23
    running = [processed for status, processed in seen if status == "running"]
    assert len(running) >= 4 and running == sorted(running) and 0 < running[0] < 23  # batches of 5
    assert seen[-1] == ("complete", 23)


async def test_replace_makes_the_catalog_exactly_the_file(shop, admin) -> None:
    client, settings = shop
    keep = [row("KEEP-1", "Kept kettle", 10), row("KEEP-2", "Kept teapot", 20)]
    await run_import(client, admin, jsonl(keep), JSONL)
    before = set(await stored(settings))
    version = await catalog_version(container(client).cache())
    # A line rejected for its price still names its product: that one is kept, unchanged.
    body = jsonl([*keep, row("NEW-9", "Fresh wok", 30), row("SYNC-1", "Sync kettle", "free")])
    state = await run_import(client, admin, body, JSONL, mode="replace")
    after = set(await stored(settings))
    assert after == {"KEEP-1", "KEEP-2", "NEW-9", "SYNC-1"}
    assert (state["mode"], state["deleted"], state["inserted"]) == ("replace", len(before) - 3, 1)
    assert await product(client, "HP-001") is None
    skus = [i["sku"] for i in (await client.get("/api/search", params={"q": "headphones"})).json()["items"]]
    assert skus == []
    assert await catalog_version(container(client).cache()) > version


async def test_a_replace_whose_file_cannot_be_read_deletes_nothing(shop, admin) -> None:
    client, settings = shop
    before = await stored(settings)
    no_header = b"sku,title\nX-1,No price column\n"  # the header lacks price: the file is unreadable
    state = await run_import(client, admin, no_header, {"Content-Type": "text/csv"}, mode="replace")
    assert state["status"] == "failed" and "price" in state["error"] and state["deleted"] == 0
    assert set(await stored(settings)) == set(before)
    bad_utf8 = b'{"sku": "U-1", "title": "ok", "price": 1}\n\xff\xfe\n'
    state = await run_import(client, admin, bad_utf8, JSONL, mode="replace")
    assert state["status"] == "failed" and state["deleted"] == 0
    assert set(await stored(settings)) >= set(before)
    nothing_loads = jsonl([row("Z-1", "No price", "free"), "[]"])  # read to the end, but no row loaded
    state = await run_import(client, admin, nothing_loads, JSONL, mode="replace")
    assert (state["status"], state["deleted"], state["rejected_lines"]) == ("failed", 0, 2)
    assert set(await stored(settings)) == set(before)


async def uploads_stored(settings: Settings) -> tuple[int, int]:
    async with own_container(settings) as mine, mine.engine().connect() as db:
        uploads = await db.scalar(sa.select(sa.func.count()).select_from(catalog_uploads))
        chunks = await db.scalar(sa.select(sa.func.count()).select_from(catalog_upload_chunks))
    return int(uploads or 0), int(chunks or 0)


async def test_too_large_uploads_are_refused_and_store_nothing(shop, admin) -> None:
    client, settings = shop
    before = await uploads_stored(settings)
    big = jsonl([row(f"BIG-{i}", "A lamp with a long title " * 4, 1) for i in range(400)])
    assert len(big) > MAX_BYTES
    body = assert_error(await client.post(IMPORT, content=big, headers={**admin, **JSONL}), 413)
    assert body["error"]["code"] == "payload_too_large" and body["error"]["details"]["max_bytes"] == MAX_BYTES

    async def chunked() -> AsyncIterator[bytes]:  # a body without Content-Length: counted as it streams
        for start in range(0, len(big), 4096):
            yield big[start : start + 4096]

    async with own_container(settings) as mine:
        with pytest.raises(UploadTooLarge):
            await mine.receive_import()(
                chunked(), format="jsonl", gzipped=False, mode="upsert", actor=TEST_ACTOR
            )
    bomb = gzip.compress(b"\n" * (MAX_BYTES * 20))  # small as sent, too large once decompressed
    assert len(bomb) < MAX_BYTES
    refused = await client.post(IMPORT, content=bomb, headers={**admin, "Content-Type": "application/gzip"})
    assert assert_error(refused, 413)["error"]["details"]["max_bytes"] == MAX_BYTES
    assert await uploads_stored(settings) == before
    assert await product(client, "BIG-0") is None


async def test_media_types_identities_and_unknown_imports(shop, admin) -> None:
    client, settings = shop
    body = jsonl([row("MT-1", "Media mug", 1)])
    for media in ("text/plain", "application/json", "application/x-www-form-urlencoded"):
        refused = await client.post(IMPORT, content=body, headers={**admin, "Content-Type": media})
        assert assert_error(refused, 415)["error"]["code"] == "unsupported_media_type"
    brotli = {**admin, **JSONL, "Content-Encoding": "br"}
    assert_error(await client.post(IMPORT, content=body, headers=brotli), 415)
    assert_error(
        await client.post(IMPORT, content=body, headers={**admin, **JSONL}, params={"mode": "merge"}), 400
    )
    assert_error(await client.post(IMPORT, content=b"", headers={**admin, **JSONL}), 400)
    assert_error(await client.post(IMPORT, content=body, headers=JSONL), 401)
    shopper = bearer(await token_for(client, settings, "sync-shopper", admin=False))
    assert_error(await client.post(IMPORT, content=body, headers={**shopper, **JSONL}), 403)
    assert (
        assert_error(await client.get(f"{IMPORT}/import-nope", headers=admin), 404)["error"]["code"]
        == "not_found"
    )
    job_id = (await client.post(IMPORT, content=body, headers={**admin, **JSONL})).json()["job_id"]
    assert_error(await client.get(f"{IMPORT}/{job_id}", headers=shopper), 403)
    assert_error(await client.get(f"{IMPORT}/{job_id}"), 401)
    await finished(client, job_id, admin)


async def test_patch_applies_whole_lines_and_rejects_the_others_by_line(shop, admin) -> None:
    client, _settings = shop
    await run_import(client, admin, jsonl([row("P-1", "Patch pan", 10), row("P-2", "Patch pot", 20)]), JSONL)
    body = jsonl(
        [
            {"sku": "P-1", "price": 12.5, "stock": 7},
            {"sku": "P-2", "stock": 0},
            {"sku": "NOPE", "price": 1},
            {"sku": "P-2", "price": 1, "rating": 11},  # one bad field: none of the line applies
            "[1, 2]",
            {"price": 3},
        ]
    )
    response = await client.patch("/api/admin/products", content=body, headers={**admin, **JSONL})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["updated"] == 2
    assert [(r["line"], r["field"]) for r in answer["rejected"]] == [
        (3, "sku"),
        (4, "rating"),
        (5, "row"),
        (6, "sku"),
    ]
    pan, pot = await product(client, "P-1"), await product(client, "P-2")
    assert pan is not None and (pan["price"], pan["attributes"]["stock"], pan["title"]) == (
        12.5,
        7,
        "Patch pan",
    )
    assert pot is not None and (pot["price"], pot["attributes"]["stock"]) == (20, 0)
    audit = (await client.get("/api/admin/audit", headers=admin)).json()["entries"]
    assert any(e["action"] == "catalog.patch" for e in audit)


async def test_patch_limits_and_media_type(shop, admin) -> None:
    client, _settings = shop
    many = jsonl([{"sku": "P-1", "price": 1}] * 1001)
    assert_error(await client.patch("/api/admin/products", content=many, headers={**admin, **JSONL}), 400)
    one = jsonl([{"sku": "P-1", "price": 1}])
    json_type = {**admin, "Content-Type": "application/json"}
    assert_error(await client.patch("/api/admin/products", content=one, headers=json_type), 415)
    assert_error(await client.patch("/api/admin/products", content=one, headers=JSONL), 401)
    assert_error(await client.patch("/api/admin/products", content=b"\n\n", headers={**admin, **JSONL}), 400)
    pan = await product(client, "P-1")
    assert pan is not None and pan["price"] == 12.5


async def test_a_catalog_write_key_imports_and_patches_a_search_key_cannot(shop, admin) -> None:
    client, _settings = shop
    writer = with_key((await make_key(client, admin, "catalog:write"))["secret"])
    reader = with_key((await make_key(client, admin, "search"))["secret"])
    body = jsonl([row("KEY-1", "Keyed kettle", 15)])
    assert_error(await client.post(IMPORT, content=body, headers={**reader, **JSONL}), 403)
    state = await run_import(client, writer, body, JSONL)
    assert (state["status"], state["inserted"]) == ("complete", 1)
    patched = await client.patch(
        "/api/admin/products", content=jsonl([{"sku": "KEY-1", "price": 16}]), headers={**writer, **JSONL}
    )
    assert patched.status_code == 200 and patched.json()["updated"] == 1
    assert_error(await client.get(f"{IMPORT}/{state['job_id']}", headers=reader), 403)
