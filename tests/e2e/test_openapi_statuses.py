"""The OpenAPI document lists every answer a route can give, each with the contract's error body."""

import json
import os
from pathlib import Path

import pytest

from entrypoints.http.app import MAX_BODY_BYTES, create_app
from entrypoints.settings import load_settings

ERROR_BODY = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture(scope="module")
def openapi() -> dict:
    settings = load_settings({"DATABASE_URL": "sqlite+aiosqlite:///:memory:"}, dotenv=Path(os.devnull))
    return create_app(settings).openapi_schema.to_schema()


def operations(openapi: dict) -> list[tuple[str, str, dict]]:
    return [
        (path, method, op)
        for path, item in openapi["paths"].items()
        for method, op in item.items()
        if method in ("get", "put", "post", "delete", "patch")
    ]


def test_every_error_answer_has_the_contract_body(openapi: dict) -> None:
    for path, method, op in operations(openapi):
        for status, answer in op["responses"].items():
            if int(status) >= 400:
                assert answer["content"]["application/json"]["schema"] == ERROR_BODY, (path, method, status)


def test_every_429_and_503_says_when_to_retry(openapi: dict) -> None:
    seen = 0
    for _path, _method, op in operations(openapi):
        for status in ("429", "503"):
            if status in op["responses"]:
                header = op["responses"][status]["headers"]["Retry-After"]
                assert header["required"] and header["schema"]["type"] == "integer"
                seen += 1
    assert seen > 20


def test_unsafe_api_routes_document_the_csrf_refusal_and_bodies_their_limits(openapi: dict) -> None:
    for path, method, op in operations(openapi):
        if path.startswith("/api/") and method != "get":
            assert "403" in op["responses"], (path, method)
        if "requestBody" in op:
            assert {"400", "413"} <= set(op["responses"]), (path, method)
    assert MAX_BODY_BYTES > 0


# Catalog sync reads files, not JSON: JSON lines, CSV, and (import only) a gzip file.
FILE_BODIES = {
    ("/api/admin/products/import", "post"): {
        "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "text/csv",
        "application/gzip", "application/x-gzip",
    },
    ("/api/admin/products", "patch"): {"application/x-ndjson", "application/jsonl", "application/x-jsonlines"},
}  # fmt: skip


def test_writes_document_the_cross_site_and_media_type_refusals(openapi: dict) -> None:
    bodies = 0
    for path, method, op in operations(openapi):
        if path.startswith("/api/") and method != "get":
            assert "cross_site_request" in op["responses"]["403"]["description"], (path, method)
        if "requestBody" in op:
            assert "unsupported_media_type" in op["responses"]["415"]["description"], (path, method)
            expected = FILE_BODIES.get((path, method), {"application/json"})
            assert set(op["requestBody"]["content"]) == expected, (path, method)
            bodies += 1
        else:
            assert "415" not in op["responses"], (path, method)
    assert bodies >= 8
    # A route's own 403 (an administrator's route: `forbidden`) keeps its codes beside the new one.
    assert openapi["paths"]["/api/admin/products"]["post"]["responses"]["403"]["description"] == (
        "Forbidden: forbidden, insufficient_scope, cross_site_request"
    )


@pytest.mark.parametrize("path", ["/api/search", "/api/suggest"])
def test_the_rate_limited_routes_document_429(openapi: dict, path: str) -> None:
    assert "429" in openapi["paths"][path]["get"]["responses"]


@pytest.mark.parametrize("path", ["/api/auth/login", "/api/auth/signup", "/api/auth/password"])
def test_the_throttled_account_routes_document_429(openapi: dict, path: str) -> None:
    assert "429" in openapi["paths"][path]["post"]["responses"]


def test_no_one_of_lets_an_integer_match_twice(openapi: dict) -> None:
    def walk(node: object) -> None:
        if isinstance(node, dict):
            types = [a.get("type") for a in node.get("oneOf", []) if isinstance(a, dict)]
            assert not {"integer", "number"} <= set(types), json.dumps(node)[:200]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(openapi)
    attributes = openapi["components"]["schemas"]["ProductOut"]["properties"]["attributes"]
    assert {"type": "number"} in attributes["additionalProperties"]["oneOf"]


@pytest.mark.parametrize(
    ("path", "method", "statuses"),
    [
        # 403 and 429 for an API key too: these routes act for a person and refuse keys.
        ("/api/auth/sessions", "get", {"200", "401", "403", "429", "503"}),
        ("/api/auth/sessions/{session_id}", "delete", {"204", "400", "401", "403", "404", "429", "503"}),
        ("/api/auth/logout-everywhere", "post", {"204", "401", "403", "429", "503"}),
        ("/api/account/export", "get", {"200", "401", "403", "429", "503"}),
        ("/api/account", "delete", {"204", "400", "401", "403", "409", "413", "415", "429", "503"}),
    ],
)
def test_the_session_and_account_routes_list_their_answers(
    openapi: dict, path: str, method: str, statuses: set[str]
) -> None:
    assert set(openapi["paths"][path][method]["responses"]) == statuses


def test_the_export_documents_its_download_header(openapi: dict) -> None:
    answer = openapi["paths"]["/api/account/export"]["get"]["responses"]["200"]
    assert "Content-Disposition" in answer["headers"]
    assert answer["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AccountExportOut"
    }


@pytest.mark.parametrize(
    ("path", "statuses"),
    [
        ("/api/auth/verify-email", {"200", "400", "401", "403", "413", "415", "429", "503"}),
        ("/api/auth/verify-email/resend", {"202", "401", "403", "409", "429", "503"}),
        ("/api/auth/password-reset", {"202", "400", "401", "403", "413", "415", "429", "503"}),
        ("/api/auth/password-reset/confirm", {"204", "400", "401", "403", "413", "415", "429", "503"}),
    ],
)
def test_the_mailed_link_routes_list_each_answer(openapi: dict, path: str, statuses: set[str]) -> None:
    responses = openapi["paths"][path]["post"]["responses"]
    assert set(responses) == statuses
    codes = {status: answer["description"] for status, answer in responses.items()}
    if path in ("/api/auth/verify-email", "/api/auth/password-reset/confirm"):
        assert "invalid_token" in codes["400"]
    if "429" in codes:
        assert "rate_limited" in codes["429"]


def test_writing_a_review_documents_the_unverified_refusal(openapi: dict) -> None:
    responses = openapi["paths"]["/api/products/{sku}/reviews"]["put"]["responses"]
    assert "email_unverified" in responses["403"]["description"]
    user = openapi["components"]["schemas"]["UserOut"]
    assert "email_verified" in user["required"]


@pytest.mark.parametrize(
    ("path", "method", "statuses"),
    [
        ("/api/admin/webhooks", "get", {"200", "401", "403", "429", "503"}),
        ("/api/admin/webhooks", "post", {"201", "400", "401", "403", "413", "415", "429", "503"}),
        ("/api/admin/webhooks/{webhook_id}", "delete", {"204", "400", "401", "403", "404", "429", "503"}),
        (
            "/api/admin/webhooks/{webhook_id}/deliveries",
            "get",
            {"200", "400", "401", "403", "404", "429", "503"},
        ),
    ],
)
def test_the_webhook_routes_list_each_answer(
    openapi: dict, path: str, method: str, statuses: set[str]
) -> None:
    operation = openapi["paths"][path][method]
    assert set(operation["responses"]) == statuses
    if method == "post":
        created = operation["responses"]["201"]["content"]["application/json"]["schema"]
        assert created == {"$ref": "#/components/schemas/WebhookCreatedOut"}
        assert set(operation["responses"]["201"]["links"]) == {"WebhookDeliveries", "DeleteWebhook"}


def test_every_operation_documents_what_an_api_key_can_be_answered(openapi: dict) -> None:
    """A bad key is 401 anywhere, each key has a limit (429); 403 names why a key is refused."""
    for path, method, op in operations(openapi):
        responses = op["responses"]
        assert "invalid_api_key" in responses["401"]["description"], (path, method)
        assert "rate_limited" in responses["429"]["description"], (path, method)
        if path in ("/health", "/ready", "/metrics"):
            assert "403" not in responses, (path, method)
        elif op.get("security"):
            assert "insufficient_scope" in responses["403"]["description"], (path, method)
        else:
            assert "api_key_not_accepted" in responses["403"]["description"], (path, method)


def test_the_key_schemes_are_declared_and_named_by_the_scoped_operations(openapi: dict) -> None:
    schemes = openapi["components"]["securitySchemes"]
    assert schemes["ApiKeyHeader"] == {
        "type": "apiKey",
        "name": "X-API-Key",
        "in": "header",
        "description": schemes["ApiKeyHeader"]["description"],
    }
    assert schemes["ApiKeyBearer"]["scheme"] == "bearer"
    search = openapi["paths"]["/api/search"]["get"]
    assert {} in search["security"] and {"ApiKeyHeader": []} in search["security"]
    assert "`search`" in search["description"]
    assert "`catalog:write`" in openapi["paths"]["/api/admin/products"]["post"]["description"]
    assert "security" not in openapi["paths"]["/api/cart"]["get"]
    assert "security" not in openapi["paths"]["/api/admin/api-keys"]["post"]
