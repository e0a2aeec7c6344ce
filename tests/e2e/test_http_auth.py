"""Accounts over HTTP on SQLite and PostgreSQL: signup, login, me, logout, CSRF, rate limits."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient

from adapters.sql.engine import make_engine
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.e2e.test_http_search import assert_error

PASSWORD = "correct horse battery"
USER_FIELDS = {"id", "username", "email", "email_verified", "is_admin", "group", "created_at"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, make_database) -> str:
    return await make_database(request.param)


@pytest.fixture
async def client(database: str) -> AsyncIterator[AsyncTestClient]:
    env = {
        "DATABASE_URL": database,
        "BCRYPT_ROUNDS": "4",
        "LOGIN_RATE_LIMIT": "3",
        "LOGIN_RATE_LIMIT_PER_ADDRESS": "8",
        "TRUST_FORWARDED_FOR": "true",
    }
    settings = load_settings(env, dotenv=Path(os.devnull))
    async with AsyncTestClient(app=create_app(settings, build_container(settings))) as test_client:
        yield test_client


async def count_users(url: str) -> int:
    engine = make_engine(url)
    async with engine.connect() as connection:
        total = (await connection.execute(sa.text("SELECT count(*) FROM users"))).scalar_one()
    await engine.dispose()
    return int(total)


_serial = iter(range(1, 10_000))


def fresh_name() -> str:
    return f"shopper{next(_serial)}_{os.getpid() % 1000}"


async def signup(
    client: AsyncTestClient, name: str | None = None, headers: dict[str, str] | None = None, **extra: str
):
    body = {"username": name or fresh_name(), "password": PASSWORD, **extra}
    response = await client.post("/api/auth/signup", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_signup_login_me_logout(client: AsyncTestClient) -> None:
    name = fresh_name()
    created = await signup(client, name, email=f"{name}@example.com")
    assert set(created) == {"user", "token"}
    user = created["user"]
    assert set(user) == USER_FIELDS
    assert (user["username"], user["email"], user["is_admin"]) == (name, f"{name}@example.com", False)
    assert user["group"] in {"personalized", "popularity"}
    assert user["created_at"].endswith(("Z", "+00:00"))
    assert len(created["token"]) >= 22  # at least 128 bits, URL-safe base64

    by_name = await client.post("/api/auth/login", json={"username": name.upper(), "password": PASSWORD})
    assert by_name.status_code == 200, by_name.text
    by_email = await client.post(
        "/api/auth/login", json={"username": f"{name}@EXAMPLE.com", "password": PASSWORD}
    )
    assert by_email.status_code == 200
    tokens = {created["token"], by_name.json()["token"], by_email.json()["token"]}
    assert len(tokens) == 3  # a new token on every login

    client.cookies.clear()
    token = by_name.json()["token"]
    me = await client.get("/api/auth/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.json() == {"user": user}

    assert (await client.post("/api/auth/logout", headers=bearer(token))).status_code == 204
    assert_error(await client.get("/api/auth/me", headers=bearer(token)), 401)
    assert_error(await client.post("/api/auth/logout", headers=bearer(token)), 401)
    # The other sessions live on.
    other = await client.get("/api/auth/me", headers=bearer(by_email.json()["token"]))
    assert other.status_code == 200


async def test_me_without_credentials_is_401(client: AsyncTestClient) -> None:
    client.cookies.clear()
    assert_error(await client.get("/api/auth/me"), 401)
    assert_error(await client.get("/api/auth/me", headers=bearer("not-a-token")), 401)
    assert_error(await client.get("/api/auth/me", headers={"Authorization": "Basic abc"}), 401)


async def test_unknown_user_and_wrong_password_get_the_same_answer(client: AsyncTestClient) -> None:
    name = fresh_name()
    await signup(client, name)
    wrong = await client.post("/api/auth/login", json={"username": name, "password": "not the password"})
    unknown = await client.post("/api/auth/login", json={"username": "nobody-" + name, "password": PASSWORD})
    assert_error(wrong, 401)
    assert_error(unknown, 401)
    assert wrong.json() == unknown.json()


async def test_duplicate_username_is_409_and_changes_nothing(client: AsyncTestClient, database: str) -> None:
    name = fresh_name()
    await signup(client, name)
    before = await count_users(database)
    again = await client.post("/api/auth/signup", json={"username": name.upper(), "password": PASSWORD})
    assert_error(again, 409, "username")
    assert await count_users(database) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "username"),
        ({"username": "someone"}, "password"),
        ({"username": 42, "password": PASSWORD}, "username"),
        ({"username": "someone", "password": ["x"]}, "password"),
        ({"username": "someone", "password": "x" * 10_000}, "password"),
        ({"username": "someone", "password": "short"}, "password"),
        ({"username": "someone", "password": "password1"}, "password"),
        ({"username": "someone", "password": "y" * 129}, "password"),
        ({"username": "no spaces allowed", "password": PASSWORD}, "username"),
        ({"username": "ab", "password": PASSWORD}, "username"),
        ({"username": "someone", "password": PASSWORD, "email": "not-an-email"}, "email"),
    ],
)
async def test_bad_signup_bodies_are_400_and_change_nothing(
    client: AsyncTestClient, database: str, body: dict, field: str
) -> None:
    before = await count_users(database)
    assert_error(await client.post("/api/auth/signup", json=body), 400, field)
    assert await count_users(database) == before


async def test_non_json_and_huge_bodies(client: AsyncTestClient, database: str) -> None:
    before = await count_users(database)
    not_json = await client.post(
        "/api/auth/signup", content=b"username=a&password=b", headers={"Content-Type": "application/json"}
    )
    assert 400 <= not_json.status_code < 500
    assert_error(not_json, not_json.status_code)
    huge = await client.post(
        "/api/auth/signup",
        content=b'{"username": "big", "password": "' + b"x" * 1_100_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert_error(huge, 413)
    assert_error(await client.post("/api/auth/login", json={"username": "x", "password": "x" * 10_000}), 400)
    assert_error(await client.post("/api/auth/login", json=[1, 2]), 400)
    assert await count_users(database) == before


async def test_rate_limit_answers_429_without_locking_out_the_owner(client: AsyncTestClient) -> None:
    victim = fresh_name()
    await signup(client, victim)
    attacker = {"X-Forwarded-For": "203.0.113.7"}
    wrong = {"username": victim, "password": "guessing wrong"}
    for _ in range(3):
        assert_error(await client.post("/api/auth/login", json=wrong, headers=attacker), 401)
    limited = await client.post("/api/auth/login", json=wrong, headers=attacker)
    assert_error(limited, 429)
    assert 1 <= int(limited.headers["retry-after"]) <= 900
    # Even the right password from the attacker's address waits now...
    right = {"username": victim, "password": PASSWORD}
    assert_error(await client.post("/api/auth/login", json=right, headers=attacker), 429)
    # ...but the owner, from their own address, logs in,
    owner = await client.post("/api/auth/login", json=right, headers={"X-Forwarded-For": "198.51.100.2"})
    assert owner.status_code == 200, owner.text
    # and another account from the attacker's address is not blocked by that pair's count.
    other = fresh_name()
    await signup(client, other)
    fresh = await client.post(
        "/api/auth/login", json={"username": other, "password": PASSWORD}, headers=attacker
    )
    assert fresh.status_code == 200


async def test_spraying_many_accounts_from_one_address_is_limited(client: AsyncTestClient) -> None:
    sprayer = {"X-Forwarded-For": "192.0.2.99"}
    statuses = [
        (
            await client.post(
                "/api/auth/login", json={"username": f"ghost{i}", "password": "whatever1"}, headers=sprayer
            )
        ).status_code
        for i in range(10)
    ]
    assert statuses[:8] == [401] * 8 and statuses[8:] == [429, 429]


async def test_cookie_auth_needs_the_csrf_token_on_unsafe_requests(client: AsyncTestClient) -> None:
    created = await signup(client)
    assert client.cookies.get("session") == created["token"]
    csrf = client.cookies.get("csrftoken")
    assert csrf
    # Safe requests by cookie need no token.
    assert (await client.get("/api/auth/me")).status_code == 200
    refused = await client.post("/api/auth/logout")
    assert_error(refused, 403)
    assert_error(await client.post("/api/auth/logout", headers={"X-CSRF-Token": "forged"}), 403)
    assert (await client.get("/api/auth/me")).status_code == 200  # still logged in
    accepted = await client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 204
    assert_error(await client.get("/api/auth/me", headers=bearer(created["token"])), 401)


async def test_bearer_requests_need_no_csrf_token(client: AsyncTestClient) -> None:
    created = await signup(client)
    client.cookies.clear()
    client.cookies.set("session", "some-other-cookie")
    response = await client.post("/api/auth/logout", headers=bearer(created["token"]))
    assert response.status_code == 204


async def test_anonymous_visitors_get_an_id_cookie_and_a_stable_arm(client: AsyncTestClient) -> None:
    client.cookies.clear()
    first = await client.get("/api/auth/me")
    assert first.status_code == 401
    anonymous_id = client.cookies.get("anon_id")
    assert anonymous_id and len(anonymous_id) >= 22
    set_cookie = first.headers["set-cookie"]
    assert "anon_id=" in set_cookie and "HttpOnly" in set_cookie
    again = await client.get("/api/auth/me")
    assert "anon_id" not in again.headers.get("set-cookie", "")
    assert client.cookies.get("anon_id") == anonymous_id


async def test_password_change_ends_every_other_session(client: AsyncTestClient) -> None:
    name = fresh_name()
    first = (await signup(client, name))["token"]
    second = (await client.post("/api/auth/login", json={"username": name, "password": PASSWORD})).json()[
        "token"
    ]
    client.cookies.clear()
    changed = await client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "a brand new secret"},
        headers=bearer(first),
    )
    assert changed.status_code == 204, changed.text
    assert changed.content == b""
    assert_error(await client.get("/api/auth/me", headers=bearer(second)), 401)
    assert (await client.get("/api/auth/me", headers=bearer(first))).status_code == 200
    assert_error(await client.post("/api/auth/login", json={"username": name, "password": PASSWORD}), 401)


async def test_with_redis_sessions_and_counters_live_in_redis(make_database, redis_client) -> None:
    from tests.conftest import REDIS_URL

    env = {"DATABASE_URL": await make_database("postgresql"), "REDIS_URL": REDIS_URL, "BCRYPT_ROUNDS": "4"}
    settings = load_settings(env, dotenv=Path(os.devnull))
    async with AsyncTestClient(app=create_app(settings, build_container(settings))) as shop:
        token = (await signup(shop))["token"]
        assert (await shop.get("/api/auth/me", headers=bearer(token))).status_code == 200
        assert len(await redis_client.keys("ecomsearch:session:*")) == 1
        assert_error(await shop.post("/api/auth/login", json={"username": "ghost", "password": "x" * 9}), 401)
        assert len(await redis_client.keys("ecomsearch:login:fail:*")) == 3  # pair, address, account
        assert (await shop.post("/api/auth/logout", headers=bearer(token))).status_code == 204
        assert await redis_client.keys("ecomsearch:session:*") == []
        assert_error(await shop.get("/api/auth/me", headers=bearer(token)), 401)


async def test_a_lost_csrf_cookie_is_given_again_on_a_safe_request(client: AsyncTestClient) -> None:
    await signup(client)
    csrf = client.cookies.get("csrftoken")
    del client.cookies["csrftoken"]
    assert_error(await client.post("/api/auth/logout"), 403)
    assert (await client.get("/api/auth/me")).status_code == 200
    assert client.cookies.get("csrftoken") == csrf
    assert (await client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})).status_code == 204
