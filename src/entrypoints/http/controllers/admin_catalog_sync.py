"""Catalog sync for a shop's own systems: bulk import (202 and a job to poll); patches by sku
are in admin_products (same path as the product routes), with the body reading they share here.

The import body is streamed into the database, never held whole in memory; its size is bounded
by IMPORT_MAX_BYTES as sent and once decompressed (413, nothing stored). These routes read their
body themselves (no `data` parameter), so they check its media type here (415).
"""

from typing import Annotated, Any, Literal

from litestar import Controller, Request, get, post
from litestar.datastructures import Headers
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.params import Parameter, QueryParameter
from litestar.status_codes import HTTP_202_ACCEPTED

from adapters.files.catalog_reader import RowError, json_row
from application.catalog.bulk_import import ReadImport, ReceiveImport
from application.catalog.errors import ImportNotFound, UnreadableUpload, UploadTooLarge
from application.catalog.import_catalog import ImportItem, RejectedRow
from domain.apikeys.model import CATALOG_WRITE
from domain.identity.errors import NotAdmin, NotAuthenticated
from entrypoints.http.access import admin_actor, require_admin
from entrypoints.http.catalog_sync_schemas import (
    CSV_TYPES,
    GZIP_TYPES,
    IMPORT_BODY,
    JSONL_TYPES,
    ImportAcceptedOut,
    ImportOut,
    import_out,
    with_body,
)
from entrypoints.http.dependencies import container_of, from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import scope
from entrypoints.http.unsafe_requests import media_type
from entrypoints.http.visitor import Visitor

UNSUPPORTED = {415: "unsupported_media_type"}


def unsupported(message: str) -> ClientException:
    return ClientException(status_code=415, detail=message)


def upload_kind(headers: Headers, declared: str | None) -> tuple[str, bool]:
    """(format, gzipped) of an import body from its headers: the format "auto" when a gzip file
    does not say (`?format=`); the job then tells JSON lines from CSV by the first character."""
    media = media_type(headers.get("content-type", ""))
    encoding = headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip"):
        raise unsupported(f"Content-Encoding {encoding!r} is not accepted: send gzip or none")
    if media in GZIP_TYPES:
        return declared or "auto", True
    gzipped = encoding != "identity"
    if media in JSONL_TYPES:
        return "jsonl", gzipped
    if media in CSV_TYPES:
        return "csv", gzipped
    accepted = ", ".join((*JSONL_TYPES, *CSV_TYPES, *GZIP_TYPES))
    raise unsupported(f"an import body must be one of {accepted}")


def patch_items(body: bytes) -> list[ImportItem]:
    """The patch body's lines, numbered as in the body; a line that is not a JSON object is
    rejected by number, as the importer does."""
    items: list[ImportItem] = []
    for number, raw in enumerate(body.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            items.append(RejectedRow(line=number, errors={"row": "is not UTF-8 text"}))
            continue
        if line:
            item = json_row(number, line)
            items.append(
                RejectedRow(line=item.line, errors=item.errors) if isinstance(item, RowError) else item
            )
    return items


class AdminCatalogSyncController(Controller):
    opt = scope(CATALOG_WRITE)  # an API key needs catalog:write
    path = "/api/admin/products"
    tags = ["administration"]  # noqa: RUF012
    dependencies = from_container("receive_import", "read_import")

    @post(
        "/import",
        summary="Import products from a JSON lines or CSV file (gzip accepted); poll the job",
        status_code=HTTP_202_ACCEPTED,
        request_max_body_size=None,  # IMPORT_MAX_BYTES, checked as the body streams in
        operation_class=with_body(IMPORT_BODY),
        responses=error_responses(
            NotAuthenticated, NotAdmin, UnreadableUpload, UploadTooLarge, also=UNSUPPORTED
        ),
    )
    async def start_import(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        receive_import: NamedDependency[ReceiveImport],
        mode: Annotated[Literal["upsert", "replace"], QueryParameter()] = "upsert",
        format: Annotated[Literal["jsonl", "csv"] | None, QueryParameter()] = None,
    ) -> ImportAcceptedOut:
        actor = admin_actor(visitor, request)
        kind, gzipped = upload_kind(request.headers, format)
        limit = container_of(request.app.state).settings().import_max_bytes
        if (request.content_length or 0) > limit:
            raise UploadTooLarge(limit, "sent")
        job_id = await receive_import(request.stream(), format=kind, gzipped=gzipped, mode=mode, actor=actor)
        return ImportAcceptedOut(job_id=job_id)

    @get(
        "/import/{job_id:str}",
        summary="An import's progress: status, counts, and the rejected lines",
        responses=error_responses(NotAuthenticated, NotAdmin, ImportNotFound),
    )
    async def import_status(
        self,
        job_id: Annotated[str, Parameter(max_length=64)],
        visitor: NamedDependency[Visitor],
        read_import: NamedDependency[ReadImport],
    ) -> ImportOut:
        require_admin(visitor)
        return import_out(await read_import(job_id))
