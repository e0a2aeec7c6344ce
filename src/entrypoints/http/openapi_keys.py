"""API keys in the OpenAPI document: the two ways to send one, and what a key can be answered.

Each operation lists the key schemes (beside no credentials at all, since none of the routes
demands a key) unless it acts for a person. Every route can answer 401 `invalid_api_key` (a bad
key is refused everywhere) and 429 (the key's own limit); 403 is `insufficient_scope` on a scoped
route and `api_key_not_accepted` on a person's route.
"""

from collections.abc import Iterator, Mapping
from typing import Final

from litestar import Litestar
from litestar.openapi.spec import Components, OpenAPI, SecurityScheme

from domain.apikeys.errors import InvalidApiKey, KeyNotAccepted, ScopeMissing
from domain.apikeys.model import SCOPES
from entrypoints.http.key_access import OPEN, PERSON, route_scope
from entrypoints.http.openapi_errors import add_error, operations

HEADER_SCHEME: Final = "ApiKeyHeader"
BEARER_SCHEME: Final = "ApiKeyBearer"
SCHEMES: Final = {
    HEADER_SCHEME: SecurityScheme(
        type="apiKey",
        name="X-API-Key",
        security_scheme_in="header",
        description="An API key, `esk_<prefix>_<secret>`, with the scope the operation names",
    ),
    BEARER_SCHEME: SecurityScheme(
        type="http",
        scheme="bearer",
        bearer_format="esk_<prefix>_<secret>",
        description="The same API key as a bearer token (a session token is sent the same way)",
    ),
}


def security_components() -> Components:
    return Components(security_schemes=dict(SCHEMES))


def route_scopes(app: Litestar) -> Iterator[tuple[tuple[str, str], str]]:
    """((path as the document writes it, method), the scope a key needs) for every route."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            for method in getattr(handler, "http_methods", ()):
                yield (route.path_format, method.lower()), route_scope(handler)


def document_keys(document: OpenAPI, scopes: Mapping[tuple[str, str], str]) -> OpenAPI:
    for path, method, operation in operations(document):
        needed = scopes.get((path, method), PERSON)
        responses = operation.responses if operation.responses is not None else {}
        operation.responses = responses
        add_error(responses, 401, InvalidApiKey.code)
        add_error(responses, 429, "rate_limited")
        if needed in SCOPES:
            add_error(responses, 403, ScopeMissing.code)
        elif needed != OPEN:
            add_error(responses, 403, KeyNotAccepted.code)
        if needed != PERSON:
            operation.security = [{}, {HEADER_SCHEME: []}, {BEARER_SCHEME: []}]
            label = "any valid API key" if needed == OPEN else f"API key scope `{needed}`"
            operation.description = "\n\n".join(filter(None, [operation.description, label]))
    return document
