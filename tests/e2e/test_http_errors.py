"""One table turns a domain error's kind into its HTTP status; the OpenAPI document uses it too."""

import json
import os
from pathlib import Path

import pytest

from domain.catalog.errors import ProductNotFound
from domain.errors import DomainError, ErrorKind
from domain.events.errors import InvalidEvent
from domain.identity.errors import NotAdmin, TooManyAttempts, UsernameTaken
from entrypoints.http.app import create_app
from entrypoints.http.errors import EXCEPTION_HANDLERS, STATUS, error_responses
from entrypoints.settings import load_settings
from tests.unit.test_errors import all_domain_errors


def answer(error: DomainError) -> tuple[int, dict[str, object], dict[str, str]]:
    response = EXCEPTION_HANDLERS[DomainError](None, error)
    body = json.loads(response.render(response.content, response.media_type))
    return response.status_code, body, {k.lower(): v for k, v in response.headers.items()}


def test_every_kind_has_a_status() -> None:
    assert set(STATUS) == set(ErrorKind)


def test_errors_sharing_a_code_share_a_status() -> None:
    status_of: dict[str, set[int]] = {}
    for error in all_domain_errors():
        for code in error.codes():
            status_of.setdefault(code, set()).add(STATUS[error.kind])
    assert {code: s for code, s in status_of.items() if len(s) > 1} == {}


def test_the_handler_answers_with_code_message_details_and_headers() -> None:
    assert answer(ProductNotFound("S1"))[:2] == (
        404,
        {
            "error": {
                "code": "product_not_found",
                "message": "no product with sku 'S1'",
                "details": {"sku": "S1"},
            }
        },
    )
    status, body, headers = answer(TooManyAttempts(42))
    assert status == 429 and headers["retry-after"] == "42"
    assert body["error"] == {
        "code": "rate_limited",
        "message": "too many login attempts; try again later",
        "details": {"retry_after": 42},
    }
    status, body, _ = answer(InvalidEvent("sku", "sku must be 1 to 64 characters"))
    assert (
        status == 400
        and body["error"]["message"] == "invalid value for 'sku': sku must be 1 to 64 characters"
    )
    assert answer(UsernameTaken("email"))[1]["error"]["code"] == "email_taken"
    assert answer(NotAdmin())[:2] == (
        403,
        {"error": {"code": "forbidden", "message": "this needs an administrator", "details": None}},
    )


def test_error_responses_group_codes_by_status() -> None:
    specs = error_responses(ProductNotFound, NotAdmin, also={404: "not_found"})
    assert sorted(specs) == [400, 403, 404, 503]
    assert specs[404].description == "Not Found: not_found, product_not_found"
    assert sorted(error_responses(malformed=False, unavailable=False)) == []


@pytest.fixture(scope="module")
def openapi() -> dict[str, object]:
    settings = load_settings({"DATABASE_URL": "sqlite+aiosqlite:///:memory:"}, dotenv=Path(os.devnull))
    return create_app(settings).openapi_schema.to_schema()


@pytest.mark.parametrize(
    ("path", "method", "statuses"),
    [
        # Every route can answer an API key 401 (a bad key) and 429 (its limit), and 403 (a
        # missing scope, or a person's route) where the route is not open to every key.
        ("/api/search", "get", {"200", "400", "401", "403", "429", "503"}),
        ("/api/products/{sku}", "get", {"200", "400", "401", "403", "404", "429", "503"}),
        ("/api/cart/items", "post", {"200", "400", "401", "403", "404", "413", "415", "429", "503"}),
        ("/api/auth/login", "post", {"200", "400", "401", "403", "413", "415", "429", "503"}),
        ("/api/admin/products", "post", {"201", "400", "401", "403", "409", "413", "415", "429", "503"}),
    ],
)
def test_openapi_lists_each_routes_error_answers_with_the_error_body(
    openapi: dict, path: str, method: str, statuses: set[str]
) -> None:
    responses = openapi["paths"][path][method]["responses"]
    assert set(responses) == statuses
    for status in statuses - {"200", "201"}:
        schema = responses[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorOut"}
