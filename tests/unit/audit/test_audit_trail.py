"""Administrators' actions are recorded by the use cases once they succeed, and only then."""

import pytest

from application.audit.audit_trail import ReadAuditLog
from application.catalog.manage_products import CreateProduct, DeleteProduct, UpdateProduct
from application.catalog.product_cache import ProductCache
from application.identity.manage_accounts import GrantAdmin, RevokeAdmin
from application.jobs.errors import UnknownJob
from application.jobs.start_job import StartJob
from domain.audit.model import LOCAL, MAX_ADDRESS, MAX_TARGET, Actor, AuditEntry
from domain.catalog.errors import InvalidProduct, ProductExists, ProductNotFound
from domain.errors import InvalidValue
from domain.identity.errors import UnknownUser
from tests.unit.audit_fakes import InMemoryAuditLog, audit_trail
from tests.unit.fakes import FIXED_NOW, FakeCache, FakeClock, InMemoryProductRepository, make_product
from tests.unit.identity.test_accounts import PASSWORD, Shop
from tests.unit.jobs_fakes import RecordingQueue

BOSS = Actor(name="boss", address="203.0.113.7")


class Catalog:
    def __init__(self) -> None:
        self.products = InMemoryProductRepository([make_product("MUG-1", "Blue mug")])
        self.log = InMemoryAuditLog()
        self.clock = FakeClock()
        cache = FakeCache()
        trail = audit_trail(self.log, self.clock)
        self.create = CreateProduct(self.products, cache, self.clock, trail)
        self.update = UpdateProduct(self.products, cache, self.clock, ProductCache(cache), trail)
        self.delete = DeleteProduct(self.products, cache, ProductCache(cache), trail)

    def seen(self) -> list[tuple[str, str, str, str]]:
        return [(e.actor, e.action, e.target, e.address) for e in self.log.entries]


async def test_create_update_and_delete_are_recorded_with_who_and_where() -> None:
    shop = Catalog()
    await shop.create({"sku": "CUP-2", "title": "Red cup", "price": 4}, actor=BOSS)
    shop.clock.advance(60)
    await shop.update("CUP-2", {"price": 5, "brand": "Acme"}, actor=BOSS)
    await shop.delete("MUG-1", actor=Actor(name="cli:ops", address=LOCAL))
    assert shop.seen() == [
        ("boss", "product.create", "CUP-2", "203.0.113.7"),
        ("boss", "product.update", "CUP-2", "203.0.113.7"),
        ("cli:ops", "product.delete", "MUG-1", "local"),
    ]
    created, updated, _ = shop.log.entries
    assert created.at == FIXED_NOW and created.details is None
    assert updated.at > FIXED_NOW
    assert updated.details == {"fields": ["brand", "price"]}  # names, never values


async def test_refused_writes_are_not_recorded() -> None:
    shop = Catalog()
    with pytest.raises(ProductExists):
        await shop.create({"sku": "MUG-1", "title": "Another mug", "price": 3}, actor=BOSS)
    with pytest.raises(InvalidProduct):
        await shop.create({"sku": "BAD-1", "title": "No price"}, actor=BOSS)
    with pytest.raises(InvalidProduct):
        await shop.update("MUG-1", {"price": -1}, actor=BOSS)
    with pytest.raises(ProductNotFound):
        await shop.update("NOPE", {"price": 1}, actor=BOSS)
    with pytest.raises(ProductNotFound):
        await shop.delete("NOPE", actor=BOSS)
    assert shop.log.entries == []
    assert (await shop.products.get("MUG-1")) is not None


async def test_granting_and_revoking_rights_are_recorded_under_the_stored_username() -> None:
    shop, log = Shop(), InMemoryAuditLog()
    await shop.signup("Alice", PASSWORD)
    cli = Actor(name="cli:root", address=LOCAL)
    await GrantAdmin(shop.users, shop.sessions, audit_trail(log))("ALICE", actor=cli)
    await RevokeAdmin(shop.users, shop.sessions, audit_trail(log))("alice", actor=BOSS)
    with pytest.raises(UnknownUser):
        await GrantAdmin(shop.users, shop.sessions, audit_trail(log))("nobody", actor=BOSS)
    with pytest.raises(UnknownUser):
        await RevokeAdmin(shop.users, shop.sessions, audit_trail(log))("nobody", actor=BOSS)
    assert [(e.actor, e.action, e.target, e.address) for e in log.entries] == [
        ("cli:root", "role.grant", "Alice", "local"),
        ("boss", "role.revoke", "Alice", "203.0.113.7"),
    ]


class StrictQueue(RecordingQueue):
    async def enqueue(self, name: str) -> str:
        if name not in self.names():
            raise UnknownJob(name, self.names())
        return await super().enqueue(name)


async def test_starting_a_job_is_recorded_with_its_id_and_an_unknown_job_is_not() -> None:
    log = InMemoryAuditLog()
    start = StartJob(StrictQueue({"retrain", "cluster"}), audit_trail(log))
    job_id = await start("cluster", actor=BOSS)
    with pytest.raises(UnknownJob):
        await start("mine-bitcoin", actor=BOSS)
    assert log.entries == [
        AuditEntry(
            at=FIXED_NOW, actor="boss", action="job.start", target="cluster",
            address="203.0.113.7", details={"job_id": job_id},
        )
    ]  # fmt: skip


async def test_reading_the_log_newest_first_within_bounds() -> None:
    log = InMemoryAuditLog()
    trail = audit_trail(log)
    for sku in ("A", "B", "C"):
        await trail.record(BOSS, "product.delete", sku)
    read = ReadAuditLog(log)
    assert [e.target for e in await read(2)] == ["C", "B"]
    for bad in (0, -1, 501):
        with pytest.raises(InvalidValue):
            await read(bad)


async def test_overlong_names_are_cut_to_the_columns_not_refused() -> None:
    log = InMemoryAuditLog()
    forged = Actor(name="boss", address="9" * 500)  # a forged X-Forwarded-For hop
    await audit_trail(log).record(forged, "product.delete", "S" * 300)
    (entry,) = log.entries
    assert (len(entry.address), len(entry.target)) == (MAX_ADDRESS, MAX_TARGET)
