"""Account abuse over HTTP: one account guessed from many addresses (429, the owner still gets in
from a known address), signups per address, wrong current passwords per user."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.e2e.test_http_auth import PASSWORD, bearer, count_users, fresh_name, signup
from tests.e2e.test_http_search import assert_error

LIMITS = {
    "BCRYPT_ROUNDS": "4",
    "TRUST_FORWARDED_FOR": "true",
    "LOGIN_RATE_LIMIT": "3",
    "LOGIN_RATE_LIMIT_PER_ADDRESS": "50",
    "LOGIN_RATE_LIMIT_PER_ACCOUNT": "4",
    "SIGNUP_RATE_LIMIT": "3",
    "PASSWORD_CHANGE_RATE_LIMIT": "2",
}
HOME = {"X-Forwarded-For": "198.51.100.2"}


def at(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, make_database) -> str:
    return await make_database(request.param)


@pytest.fixture
async def client(database: str) -> AsyncIterator[AsyncTestClient]:
    settings = load_settings({"DATABASE_URL": database, **LIMITS}, dotenv=Path(os.devnull))
    async with AsyncTestClient(app=create_app(settings, build_container(settings))) as test_client:
        yield test_client


async def login(client: AsyncTestClient, name: str, password: str, headers: dict[str, str]):
    return await client.post(
        "/api/auth/login", json={"username": name, "password": password}, headers=headers
    )


async def test_one_account_guessed_from_many_addresses_is_429_but_its_owner_gets_in(
    client: AsyncTestClient,
) -> None:
    victim = fresh_name()
    await signup(client, victim, email=f"{victim}@example.com", headers=at("198.51.100.9"))
    assert (await login(client, victim, PASSWORD, HOME)).status_code == 200  # the owner, remembered
    for i in range(1, 5):  # one guess from each address: no per-address or pair limit is near
        assert_error(await login(client, victim, "guessing wrong", at(f"203.0.113.{i}")), 401)
    limited = await login(client, victim, "guessing wrong", at("203.0.113.50"))
    assert_error(limited, 429)
    assert 1 <= int(limited.headers["retry-after"]) <= 900
    # The right password from a new address waits too, by username or by email...
    assert_error(await login(client, victim, PASSWORD, at("203.0.113.51")), 429)
    assert_error(await login(client, f"{victim}@example.com", PASSWORD, at("203.0.113.52")), 429)
    # ...but the owner, from the address they logged in from before, gets in.
    owner = await login(client, f"{victim}@EXAMPLE.com", PASSWORD, HOME)
    assert owner.status_code == 200, owner.text

    # An unknown name is limited the same way, with the same answer.
    ghost = "nobody-" + victim
    for i in range(1, 5):
        assert_error(await login(client, ghost, "guessing wrong", at(f"192.0.2.{i}")), 401)
    ghost_limited = await login(client, ghost, "guessing wrong", at("192.0.2.50"))
    assert_error(ghost_limited, 429)
    assert ghost_limited.json() == limited.json()


async def test_signups_from_one_address_are_limited(client: AsyncTestClient, database: str) -> None:
    crowd = at("192.0.2.77")
    for _ in range(3):
        await signup(client, headers=crowd)
    before = await count_users(database)
    refused = await client.post(
        "/api/auth/signup", json={"username": fresh_name(), "password": PASSWORD}, headers=crowd
    )
    assert_error(refused, 429)
    assert 3500 <= int(refused.headers["retry-after"]) <= 3600
    assert await count_users(database) == before
    await signup(client, headers=at("192.0.2.78"))  # another address is not affected


async def test_wrong_current_passwords_are_limited_per_user(client: AsyncTestClient) -> None:
    name = fresh_name()
    token = (await signup(client, name))["token"]
    client.cookies.clear()
    wrong = {"current_password": "a wrong guess", "new_password": "a brand new secret"}
    for _ in range(2):
        assert_error(await client.post("/api/auth/password", json=wrong, headers=bearer(token)), 400)
    right = {"current_password": PASSWORD, "new_password": "a brand new secret"}
    refused = await client.post("/api/auth/password", json=right, headers=bearer(token))
    assert_error(refused, 429)
    assert 1 <= int(refused.headers["retry-after"]) <= 900
    assert (await login(client, name, PASSWORD, HOME)).status_code == 200  # unchanged
