"""Response shapes and the documented request bodies of catalog sync (import and patch)."""

from datetime import datetime
from typing import Any, Literal

import msgspec
from litestar.openapi.spec import OpenAPIFormat, OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema

from application.catalog.patch_products import PatchReport
from application.catalog.uploads import ImportState

JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")
CSV_TYPES = ("text/csv",)
GZIP_TYPES = ("application/gzip", "application/x-gzip")


class ImportAcceptedOut(msgspec.Struct):
    job_id: str


class RejectOut(msgspec.Struct):
    line: int
    field: str
    reason: str


class ImportOut(msgspec.Struct, kw_only=True):
    job_id: str
    status: Literal["queued", "running", "complete", "failed"]
    mode: Literal["upsert", "replace"]
    format: str
    processed: int  # lines read so far
    loaded: int  # rows accepted (inserted, updated or already so)
    inserted: int
    updated: int
    unchanged: int
    deleted: int  # replace mode: products not in the file
    rejected: list[RejectOut]
    rejected_lines: int  # every rejected line, listed or not
    rejected_lines_not_listed: int  # beyond the stored first ones
    error: str | None  # why a failed import could not read its file
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class PatchOut(msgspec.Struct, kw_only=True):
    updated: int
    unchanged: int
    rejected: list[RejectOut]


def import_out(state: ImportState) -> ImportOut:
    rejects = [
        RejectOut(line=row.line, field=field, reason=reason)
        for row in state.rejected
        for field, reason in row.errors.items()
    ]
    return ImportOut(
        job_id=state.job_id,
        status=state.status,  # type: ignore[arg-type]
        mode=state.mode,  # type: ignore[arg-type]
        format=state.format,
        processed=state.processed,
        loaded=state.loaded,
        inserted=state.inserted,
        updated=state.updated,
        unchanged=state.unchanged,
        deleted=state.deleted,
        rejected=rejects,
        rejected_lines=state.rejected_count,
        rejected_lines_not_listed=max(0, state.rejected_count - len(state.rejected)),
        error=state.error,
        queued_at=state.queued_at,
        started_at=state.started_at,
        finished_at=state.finished_at,
    )


def patch_out(report: PatchReport) -> PatchOut:
    return PatchOut(
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=[RejectOut(line=r.line, field=r.field, reason=r.reason) for r in report.rejected],
    )


def _text_body(description: str, types: tuple[str, ...], gzip: bool) -> RequestBody:
    content: dict[str, OpenAPIMediaType] = {
        media: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, description=description))
        for media in types
    }
    if gzip:
        binary = Schema(
            type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY, description="a gzip-compressed file"
        )
        content.update({media: OpenAPIMediaType(schema=binary) for media in GZIP_TYPES})
    return RequestBody(content=content, required=True, description=description)


IMPORT_BODY = _text_body(
    "The import format: one JSON object a line, or CSV with a header row "
    "(`Content-Encoding: gzip` accepted; `application/gzip` for a compressed file of either kind)",
    (*JSONL_TYPES, *CSV_TYPES),
    gzip=True,
)
PATCH_BODY = _text_body("One JSON object a line: `{sku, ...fields}`", JSONL_TYPES, gzip=False)


def with_body(body: RequestBody) -> type[Operation]:
    """An Operation class documenting `body`: these handlers stream their body themselves, so
    Litestar sees no `data` parameter to describe."""

    class WithBody(Operation):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.request_body = body

    return WithBody
