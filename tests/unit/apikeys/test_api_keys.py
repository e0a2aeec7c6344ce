"""API keys without I/O: key format and rules, resolution through the cache, revocation, touch
throttling and per-key limits (fakes for the store, cache and clock)."""

from datetime import datetime, timedelta

import msgspec
import pytest

from application.apikeys.authenticate import ApiKeys, cache_key
from application.apikeys.manage_keys import CreateApiKey, ListApiKeys, RevokeApiKey
from application.apikeys.secrets import hash_secret, new_key, secret_matches
from domain.apikeys.errors import ApiKeyNotFound, InvalidApiKey, KeyRateLimited
from domain.apikeys.model import ApiKey
from domain.apikeys.rules import checked_scopes, looks_like_key, split_key
from domain.errors import InvalidValue
from tests.fixtures.actors import TEST_ACTOR
from tests.unit.audit_fakes import InMemoryAuditLog, audit_trail
from tests.unit.fakes import FakeCache, FakeClock


class InMemoryKeyStore:
    def __init__(self) -> None:
        self.keys: dict[int, ApiKey] = {}
        self.touches = 0
        self.reads = 0

    async def add(self, key: ApiKey) -> ApiKey:
        stored = msgspec.structs.replace(key, id=len(self.keys) + 1)
        self.keys[stored.id] = stored
        return stored

    async def by_prefix(self, prefix: str) -> ApiKey | None:
        self.reads += 1
        return next((k for k in self.keys.values() if k.prefix == prefix), None)

    async def all(self) -> list[ApiKey]:
        return sorted(self.keys.values(), key=lambda k: -k.id)

    async def revoke(self, key_id: int, at: datetime) -> ApiKey | None:
        key = self.keys.get(key_id)
        if key is None:
            return None
        self.keys[key_id] = msgspec.structs.replace(key, revoked_at=key.revoked_at or at)
        return self.keys[key_id]

    async def touch(self, key_id: int, at: datetime) -> None:
        self.touches += 1
        self.keys[key_id] = msgspec.structs.replace(self.keys[key_id], last_used_at=at)


class Shop:
    def __init__(self, default_limit: int = 100) -> None:
        self.store = InMemoryKeyStore()
        self.records = FakeCache()
        self.counters = FakeCache()
        self.clock = FakeClock()
        self.log = InMemoryAuditLog()
        trail = audit_trail(self.log, self.clock)
        self.create = CreateApiKey(self.store, self.clock, trail)
        self.listed = ListApiKeys(self.store, trail)
        self.revoke = RevokeApiKey(self.store, self.records, self.clock, trail)
        self.keys = ApiKeys(self.store, self.records, self.counters, self.clock, default_limit)


def test_a_new_key_reads_back_and_only_its_secret_matches_the_hash() -> None:
    whole, prefix, stored = new_key()
    assert looks_like_key(whole) and not looks_like_key("a-session-token")
    parts = split_key(whole)
    assert parts is not None and parts[0] == prefix
    assert secret_matches(parts[1], stored) and stored == hash_secret(parts[1])
    assert not secret_matches(parts[1][:-1] + "x", stored)
    assert split_key(whole + "x") is None and split_key("esk_" + prefix) is None


def test_scopes_are_checked_ordered_and_admin_implies_the_rest() -> None:
    assert checked_scopes(["admin", "search", "search"]) == ("search", "admin")
    with pytest.raises(InvalidValue):
        checked_scopes([])
    with pytest.raises(InvalidValue):
        checked_scopes(["root"])
    admin = ApiKey(id=1, prefix="p", secret_hash="h", description="", scopes=("admin",),
                   created_at=FakeClock().now(), created_by="t")  # fmt: skip
    assert all(admin.allows(s) for s in ("search", "catalog:write", "events:write", "analytics:read"))
    searcher = msgspec.structs.replace(admin, scopes=("search",))
    assert searcher.allows("search") and not searcher.allows("catalog:write")


async def test_created_keys_resolve_until_revoked_even_when_cached() -> None:
    shop = Shop()
    created = await shop.create(description="erp", scopes=["catalog:write"], actor=TEST_ACTOR)
    assert (await shop.keys.resolve(created.secret)).id == created.key.id  # touched: not cached
    await shop.keys.resolve(created.secret)
    assert cache_key(created.key.prefix) in shop.records.data
    reads = shop.store.reads
    await shop.keys.resolve(created.secret)
    assert shop.store.reads == reads  # served by the cache
    await shop.revoke(created.key.id, actor=TEST_ACTOR)
    with pytest.raises(InvalidApiKey):
        await shop.keys.resolve(created.secret)
    with pytest.raises(ApiKeyNotFound):
        await shop.revoke(99, actor=TEST_ACTOR)
    assert [e.action for e in shop.log.entries] == ["api_key.create", "api_key.revoke"]
    assert await shop.listed(actor=TEST_ACTOR) == []
    assert shop.log.entries[-1].action == "api_key.list"


async def test_a_wrong_secret_or_an_expired_key_is_refused() -> None:
    shop = Shop()
    soon = shop.clock.now() + timedelta(hours=1)
    created = await shop.create(description="", scopes=["search"], expires_at=soon, actor=TEST_ACTOR)
    wrong = created.secret[:-1] + ("A" if created.secret[-1] != "A" else "B")
    with pytest.raises(InvalidApiKey):
        await shop.keys.resolve(wrong)
    await shop.keys.resolve(created.secret)
    shop.clock.advance(3600)
    with pytest.raises(InvalidApiKey):
        await shop.keys.resolve(created.secret)
    with pytest.raises(InvalidValue):
        await shop.create(description="", scopes=["search"], expires_at=shop.clock.now(), actor=TEST_ACTOR)


async def test_last_used_is_written_once_a_minute_however_busy_the_key() -> None:
    shop = Shop()
    created = await shop.create(description="", scopes=["search"], actor=TEST_ACTOR)
    for _ in range(20):
        await shop.keys.resolve(created.secret)
        shop.clock.advance(1)
    assert shop.store.touches == 1
    shop.clock.advance(60)
    shop.counters.data.clear()  # the touch gate's minute has run out (the fake never expires keys)
    await shop.keys.resolve(created.secret)
    assert shop.store.touches == 2


async def test_each_key_is_limited_by_its_own_budget_or_the_default() -> None:
    shop = Shop(default_limit=2)
    plain = (await shop.create(description="", scopes=["search"], actor=TEST_ACTOR)).key
    roomy = (await shop.create(description="", scopes=["search"], rate_limit=5, actor=TEST_ACTOR)).key
    free = (await shop.create(description="", scopes=["search"], rate_limit=0, actor=TEST_ACTOR)).key
    await shop.keys.admit(plain)
    await shop.keys.admit(plain)
    with pytest.raises(KeyRateLimited) as refused:
        await shop.keys.admit(plain)
    assert refused.value.retry_after_seconds == 60
    for _ in range(5):
        await shop.keys.admit(roomy)
    with pytest.raises(KeyRateLimited):
        await shop.keys.admit(roomy)
    for _ in range(50):
        await shop.keys.admit(free)
    with pytest.raises(InvalidValue):
        await shop.create(description="", scopes=["search"], rate_limit=-1, actor=TEST_ACTOR)
