"""Mailed tokens and verified emails on SQLite and PostgreSQL: single use under concurrency, and
one verified owner an address, held by the database itself (a partial unique index)."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from adapters.sql.account_token_store import SqlAccountTokenStore
from adapters.sql.engine import make_engine, make_sessions
from adapters.sql.tables import users as users_table
from adapters.sql.user_repository import SqlUserRepository
from domain.identity.model import AccountToken, NewUser, TokenPurpose

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
VERIFY, RESET = TokenPurpose.VERIFY_EMAIL, TokenPurpose.PASSWORD_RESET


@pytest.fixture(params=["sqlite", "postgresql"])
async def stores(request: pytest.FixtureRequest, make_database):
    engine = make_engine(await make_database(request.param))
    sessions = make_sessions(engine)
    yield SqlUserRepository(sessions), SqlAccountTokenStore(sessions), engine
    await engine.dispose()


def new_user(name: str, email: str | None = None) -> NewUser:
    return NewUser(username=name, email=email, password_hash="$2b$04$hash", created_at=NOW)


def token(token_hash: str, user_id: int, purpose: TokenPurpose = VERIFY, minutes: int = 30) -> AccountToken:
    return AccountToken(
        token_hash=token_hash,
        purpose=purpose,
        user_id=user_id,
        email="ann@example.com",
        created_at=NOW,
        expires_at=NOW + timedelta(minutes=minutes),
    )


async def test_a_token_is_used_once_for_its_purpose_until_it_expires(stores) -> None:
    users, store, _ = stores
    ann = await users.add(new_user("ann", "ann@example.com"))
    await store.add(token("t1", ann.id))
    await store.add(token("t2", ann.id, RESET))
    await store.add(token("t3", ann.id, minutes=1))
    assert (await store.find("t1")) == token("t1", ann.id)
    assert await store.use("t1", RESET, NOW) is None  # another purpose
    used = await store.use("t1", VERIFY, NOW + timedelta(minutes=5))
    assert used is not None and used.used_at == NOW + timedelta(minutes=5) and used.user_id == ann.id
    assert await store.use("t1", VERIFY, NOW + timedelta(minutes=6)) is None  # used
    assert await store.use("t3", VERIFY, NOW + timedelta(minutes=1)) is None  # expired
    assert await store.use("nope", VERIFY, NOW) is None
    # Only unused tokens are discarded; expired ones are purged.
    assert await store.discard(ann.id, VERIFY) == 1
    assert await store.find("t3") is None and await store.find("t1") is not None
    assert await store.delete_expired(NOW + timedelta(minutes=30)) == 2
    assert await store.find("t2") is None


async def test_two_requests_cannot_both_use_a_token(stores) -> None:
    users, store, _ = stores
    ann = await users.add(new_user("ann", "ann@example.com"))
    await store.add(token("race", ann.id))
    results = await asyncio.gather(*(store.use("race", VERIFY, NOW) for _ in range(6)))
    assert sum(r is not None for r in results) == 1


async def test_the_database_keeps_one_verified_owner_an_address(stores) -> None:
    users, _, engine = stores
    ann = await users.add(new_user("ann", "Shared@Example.com"))
    bob = await users.add(new_user("bob", "shared@example.com"))
    cat = await users.add(new_user("cat", "other@example.com"))
    assert [u.id for u in await users.holders("SHARED@example.com")] == [ann.id, bob.id]
    # Held unverified by two accounts, the address logs neither in; by name both still can.
    assert await users.credentials("shared@example.com") is None
    verified = await users.mark_verified(bob.id, "shared@example.com")
    assert verified is not None
    user, displaced = verified
    assert user.email_verified and list(displaced) == [ann.id]
    assert (await users.get(ann.id)).email is None
    assert (await users.credentials("shared@EXAMPLE.com")).user.id == bob.id
    assert [u.id for u in await users.holders("shared@example.com")] == [bob.id]
    # Once lost, the address cannot be verified by the account that lost it.
    assert await users.mark_verified(ann.id, "shared@example.com") is None
    # Bypassing the application, the partial unique index still refuses a second verified owner.
    async with engine.begin() as connection:
        with pytest.raises(IntegrityError):
            await connection.execute(
                sa.update(users_table)
                .where(users_table.c.id == cat.id)
                .values(email_key="shared@example.com", email_verified=True)
            )
    # ... while any number of unverified holders are fine.
    async with engine.begin() as connection:
        await connection.execute(
            sa.update(users_table).where(users_table.c.id == cat.id).values(email_key="shared@example.com")
        )
    assert len(await users.holders("shared@example.com")) == 2


async def test_two_accounts_verifying_one_address_at_once_leave_one_owner(stores) -> None:
    users, _, _ = stores
    holders = [await users.add(new_user(f"u{i}", "race@example.com")) for i in range(4)]
    results = await asyncio.gather(*(users.mark_verified(u.id, "race@example.com") for u in holders))
    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    owners = await users.holders("race@example.com")
    assert [u.email_verified for u in owners] == [True]
