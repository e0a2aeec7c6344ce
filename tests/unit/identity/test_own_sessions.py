"""A user's own sessions: listed with details and `current`, ended one by one or all at once."""

import pytest

from application.identity.manage_sessions import EndSession, ListSessions, LogoutEverywhere
from application.identity.sessions import cache_key
from application.identity.tokens import hash_token
from domain.identity.errors import SessionNotFound
from tests.unit.identity.test_accounts import PASSWORD, Shop


async def test_sessions_are_listed_newest_first_with_where_they_came_from() -> None:
    shop = Shop()
    first = await shop.signup("ann", PASSWORD, client_address="203.0.113.5", user_agent="Laptop " + "x" * 500)
    shop.clock.advance(60)
    second = await shop.login("ann", PASSWORD, "198.51.100.7", "Phone/2")
    await shop.signup("bob", PASSWORD, client_address="192.0.2.1")
    listed = await ListSessions(shop.sessions)(first.user, first.token)
    assert [(s.address, s.user_agent, s.current) for s in listed] == [
        ("198.51.100.7", "Phone/2", False),
        ("203.0.113.5", ("Laptop " + "x" * 500)[:300], True),
    ]
    assert listed[0].created_at == listed[0].last_used_at == shop.clock.now()
    # The public id is neither the token nor its hash.
    for info, token in zip(listed, (second.token, first.token), strict=True):
        assert info.id not in (token, hash_token(token)) and len(info.id) >= 22


async def test_expired_sessions_are_not_listed() -> None:
    shop = Shop()
    old = await shop.signup("ann", PASSWORD)
    shop.clock.advance(shop.sessions.policy.idle.total_seconds())
    fresh = await shop.login("ann", PASSWORD, "192.0.2.1")
    assert [s.current for s in await ListSessions(shop.sessions)(fresh.user, old.token)] == [False]


async def test_ending_a_session_by_id_drops_its_cached_copy_at_once() -> None:
    shop = Shop()
    mine = await shop.signup("ann", PASSWORD)
    other = await shop.login("ann", PASSWORD, "192.0.2.1")
    assert await shop.sessions.resolve(other.token) == other.user  # cached now
    assert cache_key(hash_token(other.token)) in shop.cache.data
    other_id = next(s.id for s in await ListSessions(shop.sessions)(mine.user, mine.token) if not s.current)
    await EndSession(shop.sessions)(mine.user, other_id)
    assert cache_key(hash_token(other.token)) not in shop.cache.data
    assert await shop.sessions.resolve(other.token) is None
    assert await shop.sessions.resolve(mine.token) == mine.user


async def test_another_users_session_id_is_unknown_and_untouched() -> None:
    shop = Shop()
    ann = await shop.signup("ann", PASSWORD)
    bob = await shop.signup("bob", PASSWORD)
    bobs_id = (await ListSessions(shop.sessions)(bob.user, bob.token))[0].id
    for unknown in (bobs_id, "no-such-id"):
        with pytest.raises(SessionNotFound):
            await EndSession(shop.sessions)(ann.user, unknown)
    assert await shop.sessions.resolve(bob.token) == bob.user


async def test_logout_everywhere_ends_every_session_including_this_one() -> None:
    shop = Shop()
    one = await shop.signup("ann", PASSWORD)
    two = await shop.login("ann", PASSWORD, "192.0.2.1")
    bob = await shop.signup("bob", PASSWORD)
    await shop.sessions.resolve(one.token)
    await LogoutEverywhere(shop.sessions)(one.user)
    assert await shop.sessions.resolve(one.token) is None
    assert await shop.sessions.resolve(two.token) is None
    assert await shop.sessions.resolve(bob.token) == bob.user
