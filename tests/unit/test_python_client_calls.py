"""The Python client's own logic, with no server: what it sends, when it retries, how it reads
signatures. Its calls against a real server are in tests/e2e/test_python_client.py."""

import gzip
import hashlib
import hmac
import json

import httpx
import pytest

from ecomsearch_client import Client, RateLimited, Unavailable, verify_signature
from ecomsearch_client.calls import product_import, search


def test_search_params_repeat_an_attribute_for_each_value() -> None:
    call = search(
        "tv", {"brand": "Volt", "per_page": 5, "attributes": {"colour": ["red", "blue"], "size": "L"}}
    )
    assert call.params == [
        ("q", "tv"),
        ("brand", "Volt"),
        ("per_page", "5"),
        ("attr.colour", "red"),
        ("attr.colour", "blue"),
        ("attr.size", "L"),
    ]
    assert search("", {}).params == []


def test_rows_are_sent_as_gzipped_jsonl_in_chunks() -> None:
    rows = [{"sku": f"S-{i}", "title": "Crème", "price": i} for i in range(3)]
    call = product_import(rows, "replace")
    assert call.headers == {"Content-Encoding": "gzip", "Content-Type": "application/x-ndjson"}
    assert call.params == [("mode", "replace")] and not call.idempotent
    assert call.content is not None and not isinstance(call.content, bytes)
    lines = gzip.decompress(b"".join(call.content)).decode().splitlines()
    assert [json.loads(line) for line in lines] == rows


def test_a_csv_file_is_gzipped_and_a_gz_file_sent_as_it_is(tmp_path) -> None:
    plain = tmp_path / "catalog.csv"
    plain.write_text("sku,title,price\nA,Lamp,3\n")
    call = product_import(plain, "upsert")
    assert call.headers["Content-Type"] == "text/csv"
    assert call.content is not None and not isinstance(call.content, bytes)
    assert gzip.decompress(b"".join(call.content)) == plain.read_bytes()
    packed = tmp_path / "catalog.jsonl.gz"
    packed.write_bytes(gzip.compress(b'{"sku": "A", "title": "Lamp", "price": 3}\n'))
    call = product_import(packed, "upsert")
    assert call.headers["Content-Type"] == "application/x-ndjson"
    assert call.content is not None and not isinstance(call.content, bytes)
    assert b"".join(call.content) == packed.read_bytes()
    with pytest.raises(ValueError, match=r"\.csv, \.jsonl or \.ndjson"):
        product_import(tmp_path / "catalog.xlsx", "upsert")


def _signed(secret: str, stamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def test_a_signature_is_checked_over_the_timestamp_and_body() -> None:
    body = b'{"event": "model.promoted"}'
    header = _signed("whsec", 1_000_000, body)
    assert verify_signature("whsec", header, body, now=1_000_010)
    assert not verify_signature("other", header, body, now=1_000_010)
    assert not verify_signature("whsec", header, body + b" ", now=1_000_010)
    assert not verify_signature("whsec", header, body, now=1_000_000 + 301)  # a replay, too late
    assert not verify_signature("whsec", "t=abc,v1=00", body, now=1_000_000)
    assert not verify_signature("whsec", "", body)


def _client(answers: list[httpx.Response], seen: list[httpx.Request]) -> Client:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0)

    return Client("http://shop.test", api_key="esk_x_y", transport=httpx.MockTransport(answer))


def _error(status: int, retry_after: str | None = None) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    body = {"error": {"code": "rate_limited" if status == 429 else "unavailable", "message": "wait"}}
    return httpx.Response(status, json=body, headers=headers)


def test_a_read_is_sent_again_after_the_wait_the_server_asks() -> None:
    seen: list[httpx.Request] = []
    ok = httpx.Response(200, json={"categories": [{"name": "Lamps", "count": 1}]})
    client = _client([_error(429, "0"), _error(503, "0"), ok], seen)
    assert client.categories() == [{"name": "Lamps", "count": 1}]
    assert len(seen) == 3 and seen[0].headers["authorization"] == "Bearer esk_x_y"


def test_retries_end_with_the_typed_error_and_its_retry_after() -> None:
    seen: list[httpx.Request] = []
    client = _client([_error(503, "0"), _error(503, "0"), _error(503, "7")], seen)
    with pytest.raises(Unavailable) as failed:
        client.categories()
    assert failed.value.retry_after == 7 and len(seen) == 3


def test_a_write_is_never_sent_twice() -> None:
    seen: list[httpx.Request] = []
    client = _client([_error(429, "0"), httpx.Response(202, json={"accepted": True})], seen)
    with pytest.raises(RateLimited):
        client.send_event("view", "A")
    assert len(seen) == 1 and json.loads(seen[0].content) == {"type": "view", "sku": "A"}
