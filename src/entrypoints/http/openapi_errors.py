"""The answers every route can give whatever its own code does, added to the OpenAPI document.

Routes document their own errors with `error_responses`; what comes from the layers around
them is added here, so that no answer is outside the document:
- 403 on unsafe methods: a session-cookie request without the CSRF token (`visitor.check_csrf`),
  or a request from another site (`unsafe_requests`);
- 413 where a body is read (over `MAX_BODY_BYTES`), 415 where it is not `application/json`
  (`unsafe_requests`), 400 where one is decoded (the malformed input middleware: JSON nested too
  deep, a NUL byte) or a query parameter is read;
- 429 on search and suggest (SEARCH_RATE_LIMIT);
- `Retry-After` on every 429 and 503.
Litestar documents a `Response[None]` 204 as a JSON null body; a 204 has no body, so none is listed.
"""

from collections.abc import Iterator
from http import HTTPStatus
from typing import Final

from litestar.openapi.spec import (
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    Schema,
)

from entrypoints.http.rate_limit import LIMITED_PATHS
from entrypoints.http.unsafe_requests import CROSS_SITE_CODE

_UNSAFE: Final = ("post", "put", "patch", "delete")
_RETRY_AFTER: Final = OpenAPIHeader(
    schema=Schema(type=OpenAPIType.INTEGER, minimum=1),
    description="seconds to wait before trying again",
    required=True,
)


def operations(document: OpenAPI) -> Iterator[tuple[str, str, Operation]]:
    for path, item in (document.paths or {}).items():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(item, method, None)
            if operation is not None:
                yield path, method, operation


def _error(status: int, code: str) -> OpenAPIResponse:
    body = OpenAPIMediaType(schema=Reference(ref="#/components/schemas/ErrorOut"))
    return OpenAPIResponse(
        description=f"{HTTPStatus(status).phrase}: {code}", content={"application/json": body}
    )


def add_error(responses: dict[str, OpenAPIResponse | Reference], status: int, *codes: str) -> None:
    """Document `codes` under `status`, beside any the route documents itself."""
    answer = responses.get(str(status))
    if answer is None:
        responses[str(status)] = _error(status, ", ".join(codes))
        return
    if isinstance(answer, Reference):
        return
    missing = [code for code in codes if code not in answer.description]
    if missing:
        answer.description = ", ".join([answer.description, *missing])


def document_surrounding_errors(document: OpenAPI) -> OpenAPI:
    for path, method, operation in operations(document):
        responses = operation.responses if operation.responses is not None else {}
        operation.responses = responses
        if path.startswith("/api/") and method in _UNSAFE:
            add_error(responses, 403, "forbidden", CROSS_SITE_CODE)
        if operation.request_body is not None:
            responses.setdefault("413", _error(413, "payload_too_large"))
            add_error(responses, 415, "unsupported_media_type")
            responses.setdefault("400", _error(400, "validation_error"))
        if any(not isinstance(p, Reference) and p.param_in == "query" for p in operation.parameters or ()):
            responses.setdefault("400", _error(400, "validation_error"))
        if path in LIMITED_PATHS:
            responses.setdefault("429", _error(429, "rate_limited"))
        for status in ("429", "503"):
            answer = responses.get(status)
            if isinstance(answer, OpenAPIResponse):
                answer.headers = {**(answer.headers or {}), "Retry-After": _RETRY_AFTER}
        no_content = responses.get("204")
        if isinstance(no_content, OpenAPIResponse):
            no_content.content = None
    return document
