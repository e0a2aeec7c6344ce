"""The Python client (clients/python) against a real `ecomsearch serve`: what a shop's developer
does in their first minutes, and the errors they meet, as typed exceptions."""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from ecomsearch_client import (
    AsyncClient,
    BadRequest,
    Client,
    Forbidden,
    NotAuthenticated,
    NotFound,
    verify_signature,
)
from tests.e2e.running_server import RunningServer, running_server

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("client-shop")) as started:
        yield started


@pytest.fixture(scope="module")
def admin(server: RunningServer) -> Iterator[Client]:
    with Client(server.base_url) as client:
        client.signup("client-admin", PASSWORD)
        granted = server.cli("user", "create-admin", "client-admin")
        assert granted.returncode == 0, granted.stderr
        yield client


def test_a_search_with_filters_and_pages(server: RunningServer) -> None:
    with Client(server.base_url) as client:
        found = client.search("wireless headphones", brand="Sonora", per_page=1, page=2)
        assert found["total"] == 2 and found["page"] == 2 and found["pages"] == 2
        assert len(found["items"]) == 1 and found["items"][0]["brand"] == "Sonora"
        assert found["items"][0]["position"] == 2
        assert {value["value"] for value in found["facets"]["brand"]} == {"Sonora"}


def test_the_storefront_reads(server: RunningServer) -> None:
    with Client(server.base_url) as client:
        assert client.product("HP-001")["title"] == "Sonora Wireless Noise-Cancelling Headphones"
        assert {category["name"] for category in client.categories()} >= {"Headphones", "Laptops"}
        assert any(s["text"].startswith("coffee") for s in client.suggest("coff"))
        assert client.recommendations(limit=3)["recommended"]


def test_events_and_a_shoppers_cart(server: RunningServer) -> None:
    with Client(server.base_url) as client:
        client.signup("client-shopper", PASSWORD)
        found = client.search("espresso")
        first = found["items"][0]
        client.send_event("click", first["sku"], search_id=found["search_id"], position=1, query="espresso")
        cart = client.add_to_cart(first["sku"], 2)
        assert cart["total_items"] == 2
        assert client.set_cart_quantity(first["sku"], 1)["items"][0]["quantity"] == 1
        assert client.me()["username"] == "client-shopper"
        client.logout()
        with pytest.raises(NotAuthenticated):
            client.cart()


def test_errors_are_typed_with_the_contracts_code_and_details(server: RunningServer) -> None:
    with Client(server.base_url) as client:
        with pytest.raises(NotFound) as missing:
            client.product("NO-SUCH-SKU")
        assert missing.value.status == 404 and missing.value.code
        with pytest.raises(BadRequest) as bad:
            client.search("tv", per_page=1000)
        assert bad.value.status == 400 and "per_page" in str(bad.value.details)
        client.signup("client-not-admin", PASSWORD)
        with pytest.raises(Forbidden):
            client.start_job("rollup")


def test_an_administrator_keeps_the_catalog(admin: Client) -> None:
    row = {"sku": "CL-001", "title": "Client Test Kettle", "price": 19.5, "category": "Kitchen"}
    assert admin.create_product(row)["sku"] == "CL-001"
    assert admin.update_product("CL-001", {"price": 17.0})["price"] == 17.0
    assert admin.search("client test kettle")["items"][0]["sku"] == "CL-001"
    admin.delete_product("CL-001")
    with pytest.raises(NotFound):
        admin.product("CL-001")


def test_jobs_synonyms_and_rules(admin: Client) -> None:
    job_id = admin.start_job("rollup")
    assert admin.job(job_id)["name"] == "rollup"
    created = admin.add_synonyms(one_way=("cuppa", ["coffee"]))
    try:
        assert any(item["category"] == "Coffee Makers" for item in admin.search("cuppa")["items"])
    finally:
        admin.delete_synonyms(created["id"])
    rule = admin.add_rule({"query": "laptop", "pin": [{"sku": "LP-002", "position": 1}]})
    try:
        found = admin.search("laptop")
        assert found["items"][0]["sku"] == "LP-002" and found["items"][0].get("pinned") is True
    finally:
        admin.delete_rule(rule["id"])


async def test_the_async_client_serves_a_storefront(server: RunningServer) -> None:
    async with AsyncClient(server.base_url) as client:
        found = await client.search("shoes", category="Running Shoes")
        assert found["total"] >= 2 and all(item["category"] == "Running Shoes" for item in found["items"])
        assert (await client.product(found["items"][0]["sku"]))["sku"] == found["items"][0]["sku"]
        await client.send_event("view", found["items"][0]["sku"])
        with pytest.raises(NotFound):
            await client.product("NO-SUCH-SKU")


def test_the_package_ships_its_type_information() -> None:
    import ecomsearch_client

    assert (Path(ecomsearch_client.__file__).parent / "py.typed").exists()


def test_a_storefront_key_searches_and_reports_but_cannot_write(admin: Client, server: RunningServer) -> None:
    created = admin.create_api_key("storefront", ["search", "events:write"])
    assert created["secret"].startswith("esk_")
    assert created["id"] in {key["id"] for key in admin.api_keys()}
    with Client(server.base_url, api_key=created["secret"]) as storefront:
        found = storefront.search("espresso")
        storefront.send_event(
            "click", found["items"][0]["sku"], search_id=found["search_id"], visitor_id="a" * 22
        )
        with pytest.raises(Forbidden) as refused:
            storefront.create_product({"sku": "KEY-1", "title": "Nope", "price": 1})
        assert refused.value.code == "insufficient_scope"
        admin.revoke_api_key(created["id"])
        with pytest.raises(NotAuthenticated):
            storefront.search("espresso")


def test_catalog_sync_from_rows_a_file_and_patches(admin: Client, tmp_path: Path) -> None:
    rows = [
        {"sku": f"SYNC-{i}", "title": f"Sync Lamp {i}", "price": 10 + i, "colour": "teal"} for i in range(30)
    ]
    rows.append({"sku": "SYNC-BAD", "title": "No price"})
    status = admin.wait_for_import(admin.import_products(rows), timeout=120)
    assert status["status"] == "complete" and status["loaded"] == 30
    assert [(reject["line"], reject["field"]) for reject in status["rejected"]] == [(31, "price")]
    csv = tmp_path / "more.csv"
    csv.write_text("sku,title,price\nSYNC-CSV,Sync Csv Lamp,4.5\n")
    assert admin.wait_for_import(admin.import_products(csv), timeout=120)["loaded"] == 1
    report = admin.patch_products([{"sku": "SYNC-1", "price": 99.0}, {"sku": "SYNC-NONE", "price": 1}])
    assert report["updated"] == 1 and [reject["line"] for reject in report["rejected"]] == [2]
    assert admin.product("SYNC-1")["price"] == 99.0
    assert admin.product("SYNC-CSV")["title"] == "Sync Csv Lamp"


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


def test_an_import_is_announced_to_a_webhook_the_receiver_can_verify(admin: Client) -> None:
    receiver = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{receiver.server_address[1]}/hooks"
        hook = admin.create_webhook(url, ["import.completed"], description="client test")
        assert hook["id"] in {one["id"] for one in admin.webhooks()}
        job_id = admin.import_products([{"sku": "HOOK-1", "title": "Hook Lamp", "price": 3}])
        admin.wait_for_import(job_id, timeout=120)
        deadline = time.monotonic() + 60
        while not _Receiver.received and time.monotonic() < deadline:
            time.sleep(0.2)
        headers, body = _Receiver.received[0]
        assert verify_signature(hook["secret"], headers["x-ecomsearch-signature"], body)
        assert not verify_signature("another secret", headers["x-ecomsearch-signature"], body)
        notice = json.loads(body)
        assert notice["event"] == "import.completed" and notice["data"]["job_id"] == job_id
        assert [d["status"] for d in admin.webhook_deliveries(hook["id"])] == ["delivered"]
        admin.delete_webhook(hook["id"])
        assert hook["id"] not in {one["id"] for one in admin.webhooks()}
    finally:
        receiver.shutdown()
