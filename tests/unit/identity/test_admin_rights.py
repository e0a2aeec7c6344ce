"""Granting and revoking administrator rights reaches sessions already cached; with fakes."""

import pytest

from application.identity.manage_accounts import GrantAdmin, RevokeAdmin
from application.identity.sessions import Sessions
from domain.identity.errors import UnknownUser
from domain.identity.model import SessionPolicy
from tests.fixtures.actors import TEST_ACTOR
from tests.unit.audit_fakes import audit_trail
from tests.unit.fakes import FakeCache
from tests.unit.identity.test_accounts import PASSWORD, Shop


async def test_a_change_of_rights_reaches_cached_sessions_at_once() -> None:
    shop = Shop()
    token = (await shop.signup("alice", PASSWORD)).token
    assert not (await shop.sessions.resolve(token)).is_admin  # now cached
    await GrantAdmin(shop.users, shop.sessions, audit_trail())("alice", actor=TEST_ACTOR)
    assert (await shop.sessions.resolve(token)).is_admin
    await RevokeAdmin(shop.users, shop.sessions, audit_trail())("ALICE", actor=TEST_ACTOR)
    assert not (await shop.sessions.resolve(token)).is_admin
    with pytest.raises(UnknownUser):
        await RevokeAdmin(shop.users, shop.sessions, audit_trail())("nobody", actor=TEST_ACTOR)


async def test_a_revocation_made_beside_another_cache_holds_at_once() -> None:
    shop = Shop()
    token = (await shop.signup("alice", PASSWORD)).token
    await GrantAdmin(shop.users, shop.sessions, audit_trail())("alice", actor=TEST_ACTOR)
    assert (await shop.sessions.resolve(token)).is_admin  # cached as an administrator
    # The CLI, in its own process with its own in-process cache, cannot drop the server's copy.
    elsewhere = Sessions(shop.store, shop.users, FakeCache(), shop.clock, SessionPolicy())
    await RevokeAdmin(shop.users, elsewhere, audit_trail())("alice", actor=TEST_ACTOR)
    assert not (await shop.sessions.resolve(token)).is_admin
