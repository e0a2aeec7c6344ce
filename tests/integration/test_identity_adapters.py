"""SqlUserRepository and SqlSessionStore on SQLite and PostgreSQL; sessions and counters in Redis."""

import asyncio
from datetime import UTC, datetime, timedelta

import msgspec
import pytest
import redis.asyncio as aioredis

from adapters.cache.memory_cache import MemoryCache
from adapters.cache.redis_cache import RedisCache
from adapters.sql.engine import make_engine, make_sessions
from adapters.sql.session_store import SqlSessionStore
from adapters.sql.user_repository import SqlUserRepository
from application.identity.rate_limit import LoginRateLimiter, RateLimits, account_of
from application.identity.sessions import Sessions, cache_key
from application.identity.tokens import hash_token
from domain.identity.errors import TooManyAttempts, UsernameTaken
from domain.identity.model import NewUser, Session, SessionPolicy
from tests.unit.fakes import FakeClock

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def sql(request: pytest.FixtureRequest, make_database):
    engine = make_engine(await make_database(request.param))
    sessions = make_sessions(engine)
    yield SqlUserRepository(sessions), SqlSessionStore(sessions)
    await engine.dispose()


def new_user(name: str, email: str | None = None) -> NewUser:
    return NewUser(username=name, email=email, password_hash="$2b$04$hash", created_at=NOW)


async def test_users_are_unique_by_folded_name_and_email(sql) -> None:
    users, _ = sql
    alice = await users.add(new_user("Alice", "Alice@Example.com"))
    assert alice.id >= 1 and alice.username == "Alice" and not alice.is_admin
    assert alice.created_at == NOW
    with pytest.raises(UsernameTaken) as taken:
        await users.add(new_user("ALICE"))
    assert taken.value.field == "username"
    # An address only unverified accounts hold does not block a signup; a verified one does.
    alice2 = await users.add(new_user("alice2", "alice@example.COM"))
    assert await users.mark_verified(alice.id, "ALICE@example.com") == (
        msgspec.structs.replace(alice, email_verified=True),
        [alice2.id],
    )
    with pytest.raises(UsernameTaken) as taken:
        await users.add(new_user("alice3", "alice@example.COM"))
    assert taken.value.field == "email"
    bob = await users.add(new_user("bob"))  # no email: many users may have none
    carol = await users.add(new_user("carol"))
    assert len({alice.id, bob.id, carol.id}) == 3
    assert await users.get(alice.id) == msgspec.structs.replace(alice, email_verified=True)
    assert await users.get(999_999) is None


async def test_credentials_by_username_or_email(sql) -> None:
    users, _ = sql
    alice = await users.add(new_user("Alice", "alice@example.com"))
    by_name = await users.credentials("aLiCe")
    by_email = await users.credentials("ALICE@example.com")
    assert by_name is not None and by_email is not None
    assert by_name.user == by_email.user == alice
    assert by_name.password_hash == "$2b$04$hash"
    assert await users.credentials("nobody") is None
    await users.set_password_hash(alice.id, "$2b$04$other")
    assert (await users.credentials("alice")).password_hash == "$2b$04$other"
    admin = await users.set_admin("ALICE", True)
    assert admin is not None and admin.is_admin
    assert (await users.get(alice.id)).is_admin
    assert await users.set_admin("nobody", True) is None
    await users.add(new_user("aaron"))
    await users.add(new_user("Bob"))
    assert [u.username for u in await users.listed(admins_only=True)] == ["Alice"]
    assert [u.username for u in await users.listed(admins_only=False)] == ["aaron", "Alice", "Bob"]


async def test_session_store(sql) -> None:
    users, store = sql
    alice = await users.add(new_user("alice"))
    bob = await users.add(new_user("bob"))
    for token_hash, user in (("a1", alice), ("a2", alice), ("b1", bob)):
        await store.add(
            Session(
                token_hash=token_hash,
                id="id-" + token_hash,
                user_id=user.id,
                created_at=NOW,
                last_seen_at=NOW,
            )
        )
    assert await store.get("a1") == Session(
        token_hash="a1", id="id-a1", user_id=alice.id, created_at=NOW, last_seen_at=NOW
    )
    later = NOW + timedelta(minutes=5)
    await store.touch("a1", later)
    assert (await store.get("a1")).last_seen_at == later
    await store.delete("a1")
    assert await store.get("a1") is None
    assert await store.token_hashes(alice.id) == ["a2"]
    assert sorted(await store.delete_for_user(alice.id)) == ["a2"]
    assert await store.get("b1") is not None
    await store.add(
        Session(
            token_hash="old", id="o", user_id=bob.id, created_at=NOW - timedelta(days=40), last_seen_at=NOW
        )
    )
    await store.add(
        Session(
            token_hash="idle", id="i", user_id=bob.id, created_at=NOW, last_seen_at=NOW - timedelta(days=8)
        )
    )
    assert await store.delete_expired(NOW - timedelta(days=7), NOW - timedelta(days=30)) == 2
    assert await store.get("old") is None and await store.get("idle") is None
    assert await store.get("b1") is not None


async def test_session_store_keeps_details_and_ends_by_public_id(sql) -> None:
    users, store = sql
    alice = await users.add(new_user("alice"))
    bob = await users.add(new_user("bob"))
    first = Session(
        token_hash="a1",
        id="first",
        user_id=alice.id,
        created_at=NOW,
        last_seen_at=NOW,
        address="2001:db8::1",
        user_agent="Firefox/140",
    )
    second = Session(
        token_hash="a2",
        id="second",
        user_id=alice.id,
        created_at=NOW + timedelta(minutes=1),
        last_seen_at=NOW,
    )
    for session in (
        first,
        second,
        Session(token_hash="b1", id="bobs", user_id=bob.id, created_at=NOW, last_seen_at=NOW),
    ):
        await store.add(session)
    assert await store.of_user(alice.id) == [second, first]  # newest first, details kept
    assert await store.delete_by_id(alice.id, "bobs") is None  # another user's session: untouched
    assert await store.get("b1") is not None
    assert await store.delete_by_id(alice.id, "nope") is None
    assert await store.delete_by_id(alice.id, "first") == "a1"
    assert await store.of_user(alice.id) == [second]
    await users.delete(alice.id)
    assert await users.get(alice.id) is None
    assert await store.get("a2") is None  # sessions go with their user


async def test_sessions_are_cached_in_redis_and_revoked_there(sql, redis_client: aioredis.Redis) -> None:
    users, store = sql
    cache = RedisCache(redis_client)
    sessions = Sessions(store, users, cache, FakeClock(NOW), SessionPolicy())
    alice = await users.add(new_user("alice"))
    token = (await sessions.start(alice)).token
    key = "ecomsearch:" + cache_key(hash_token(token))
    assert not await redis_client.exists(key)
    assert await sessions.resolve(token) == alice
    assert await redis_client.exists(key)
    assert 0 < await redis_client.ttl(key) <= 60
    assert token.encode() not in await redis_client.get(key)  # only the hash is a key; no token inside
    await sessions.end(token)
    assert not await redis_client.exists(key)
    assert await store.get(hash_token(token)) is None
    assert await sessions.resolve(token) is None


async def test_rate_limit_counters_live_in_redis_with_a_window(redis_client: aioredis.Redis) -> None:
    limiter = LoginRateLimiter(
        RedisCache(redis_client), RateLimits(per_account_address=2, per_account=5, window_seconds=120)
    )
    alice = account_of(None, "Alice")
    await limiter.failed(alice, "203.0.113.7")
    await limiter.failed(account_of(None, "alice"), "203.0.113.7")
    keys = sorted(k.decode() for k in await redis_client.keys("ecomsearch:login:*"))
    assert len(keys) == 3 and {k.split(":")[3] for k in keys} == {"pair", "addr", "acct"}
    assert "alice" not in " ".join(keys) and "203.0.113.7" not in " ".join(keys)
    for key in keys:
        assert int(await redis_client.get(key)) == 2
        assert 110 <= await redis_client.ttl(key) <= 120  # the first failure's window, not extended
    with pytest.raises(TooManyAttempts) as caught:
        await limiter.check_account(account_of(None, "ALICE"), "203.0.113.7")
    assert 110 <= caught.value.retry_after_seconds <= 120
    await limiter.check_account(alice, "198.51.100.2")  # another address: free
    await limiter.succeeded(alice, "203.0.113.7")
    await limiter.check_account(alice, "203.0.113.7")
    known = [k for k in await redis_client.keys("ecomsearch:login:known:*")]
    assert len(known) == 1 and 29 * 86400 < await redis_client.ttl(known[0]) <= 30 * 86400


async def check_incr_with_ttl(cache: MemoryCache | RedisCache) -> None:
    assert await cache.ttl("counter") is None
    assert await cache.incr("counter", 1, ttl_seconds=0.3) == 1
    assert await cache.incr("counter", 2, ttl_seconds=50) == 3
    remaining = await cache.ttl("counter")
    assert remaining is not None and 0 < remaining <= 0.3
    await asyncio.sleep(0.4)
    assert await cache.get("counter") is None
    assert await cache.incr("plain") == 1
    assert await cache.ttl("plain") is None


async def test_incr_with_a_ttl_in_memory() -> None:
    await check_incr_with_ttl(MemoryCache())


async def test_incr_with_a_ttl_in_redis(redis_client: aioredis.Redis) -> None:
    await check_incr_with_ttl(RedisCache(redis_client))
