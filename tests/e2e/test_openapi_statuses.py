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


def test_writes_document_the_cross_site_and_media_type_refusals(openapi: dict) -> None:
    bodies = 0
    for path, method, op in operations(openapi):
        if path.startswith("/api/") and method != "get":
            assert "cross_site_request" in op["responses"]["403"]["description"], (path, method)
        if "requestBody" in op:
            assert "unsupported_media_type" in op["responses"]["415"]["description"], (path, method)
            assert set(op["requestBody"]["content"]) == {"application/json"}, (path, method)
            bodies += 1
        else:
            assert "415" not in op["responses"], (path, method)
    assert bodies >= 8
    # A route's own 403 (an administrator's route: `forbidden`) keeps its codes beside the new one.
    assert openapi["paths"]["/api/admin/products"]["post"]["responses"]["403"]["description"] == (
        "Forbidden: forbidden, cross_site_request"
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
        ("/api/auth/sessions", "get", {"200", "401", "503"}),
        ("/api/auth/sessions/{session_id}", "delete", {"204", "400", "401", "403", "404", "503"}),
        ("/api/auth/logout-everywhere", "post", {"204", "401", "403", "503"}),
        ("/api/account/export", "get", {"200", "401", "503"}),
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
        ("/api/auth/verify-email", {"200", "400", "403", "413", "415", "503"}),
        ("/api/auth/verify-email/resend", {"202", "401", "403", "409", "429", "503"}),
        ("/api/auth/password-reset", {"202", "400", "403", "413", "415", "429", "503"}),
        ("/api/auth/password-reset/confirm", {"204", "400", "403", "413", "415", "503"}),
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
        ("/api/admin/webhooks", "get", {"200", "401", "403", "503"}),
        ("/api/admin/webhooks", "post", {"201", "400", "401", "403", "413", "415", "503"}),
        ("/api/admin/webhooks/{webhook_id}", "delete", {"204", "400", "401", "403", "404", "503"}),
        ("/api/admin/webhooks/{webhook_id}/deliveries", "get", {"200", "400", "401", "403", "404", "503"}),
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
