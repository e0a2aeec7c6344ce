"""Email verification and password reset over HTTP on SQLite and PostgreSQL, with the mail read
from the outbox folder and the clock under the test's control."""

import asyncio
import os
import statistics
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from entrypoints.container import build_container, close_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.e2e.mailbox import Mailbox, link_in, text_of
from tests.e2e.private_servers import serving
from tests.e2e.test_http_search import assert_error
from tests.fixtures.catalog import CATALOG
from tests.unit.fakes import FakeClock

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new secret"
BASE = "http://shop.test:8123"


class Shop:
    def __init__(self, client: AsyncTestClient, settings: Settings, mail: Mailbox, clock: FakeClock) -> None:
        self.client, self.settings, self.mail, self.clock = client, settings, mail, clock
        self._serial = 0

    def name(self, prefix: str) -> str:
        self._serial += 1
        return f"{prefix}{self._serial}_{os.getpid() % 1000}"

    async def signup(self, name: str, email: str | None = None) -> tuple[dict, dict[str, str]]:
        body = {"username": name, "password": PASSWORD, **({"email": email} if email else {})}
        response = await self.client.post("/api/auth/signup", json=body)
        assert response.status_code == 201, response.text
        self.client.cookies.clear()
        return response.json()["user"], {"Authorization": f"Bearer {response.json()['token']}"}

    async def me(self, headers: dict[str, str]) -> dict:
        response = await self.client.get("/api/auth/me", headers=headers)
        assert response.status_code == 200, response.text
        return response.json()["user"]

    async def login(self, login: str, password: str = PASSWORD):
        response = await self.client.post("/api/auth/login", json={"username": login, "password": password})
        self.client.cookies.clear()
        return response


async def open_links_shop(make_database, kind: str, tmp: Path, **env: str) -> AsyncIterator[Shop]:
    url = await make_database(kind)
    settings = load_settings(
        {
            "DATABASE_URL": url,
            "BCRYPT_ROUNDS": "4",
            "SIGNUP_RATE_LIMIT": "0",
            "MAIL_OUTBOX_DIR": str(tmp / "outbox"),
            "PUBLIC_BASE_URL": BASE,
            **env,
        },
        dotenv=Path(os.devnull),
    )
    loader = build_container(settings)
    await loader.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    await close_container(loader)
    container = build_container(settings)
    clock = FakeClock(datetime.now(UTC))
    container.clock.override(providers.Object(clock))
    async with AsyncTestClient(app=create_app(settings, container)) as client:
        yield Shop(client, settings, Mailbox(tmp / "outbox"), clock)


@pytest.fixture(params=["sqlite", "postgresql"])
async def shop(request: pytest.FixtureRequest, make_database, tmp_path: Path) -> AsyncIterator[Shop]:
    async for opened in open_links_shop(make_database, request.param, tmp_path):
        yield opened


async def test_signup_mails_a_link_that_verifies_the_address_once(shop: Shop) -> None:
    name = shop.name("ver")
    user, me = await shop.signup(name, f"{name}@Example.com")
    assert user["email_verified"] is False
    [message] = await shop.mail.wait()
    assert message["To"] == f"{name}@Example.com"
    assert message["Subject"] == "Confirm your email address for Ecomsearch"
    assert f"Hello {name}," in text_of(message) and "valid for 48 hours" in text_of(message)
    link, token = link_in(message, BASE, "/verify-email")
    assert link.startswith(f"{BASE}/verify-email?token=") and len(token) >= 43
    verified = await shop.client.post("/api/auth/verify-email", json={"token": token})
    assert verified.status_code == 200, verified.text
    assert verified.json()["user"]["email_verified"] is True
    assert set(verified.json()["user"]) == {
        "id", "username", "email", "email_verified", "is_admin", "group", "created_at"
    }  # fmt: skip
    assert (await shop.me(me))["email_verified"] is True
    again = assert_error(
        await shop.client.post("/api/auth/verify-email", json={"token": token}), 400, "token"
    )
    assert again["error"]["code"] == "invalid_token"
    # The one answer for a token never issued, and for a body that is not one.
    bad = assert_error(await shop.client.post("/api/auth/verify-email", json={"token": "x" * 43}), 400)
    assert bad["error"] == again["error"]
    assert_error(await shop.client.post("/api/auth/verify-email", json={"token": 5}), 400)
    assert_error(await shop.client.post("/api/auth/verify-email", json={"token": "y" * 201}), 400)
    # No email, no mail.
    await shop.signup(shop.name("nomail"))
    await shop.mail.nothing_new()


async def test_a_verification_link_expires(shop: Shop) -> None:
    name = shop.name("late")
    await shop.signup(name, f"{name}@example.com")
    _, token = link_in((await shop.mail.wait())[0], BASE, "/verify-email")
    shop.clock.advance(48 * 3600)
    answer = assert_error(await shop.client.post("/api/auth/verify-email", json={"token": token}), 400)
    assert answer["error"]["code"] == "invalid_token"


async def test_the_verified_owner_of_an_address_wins(shop: Shop) -> None:
    address = f"{shop.name('owner')}@example.com"
    squatter, squatter_auth = await shop.signup(shop.name("squat"), address)
    owner, owner_auth = await shop.signup(shop.name("own"), address.upper())  # not blocked: unverified
    squatter_mail, owner_mail = await shop.mail.wait(2)
    assert squatter_mail["To"] == owner_mail["To"].lower() == address  # both links go to the address
    # Held unverified by two accounts, the address logs in neither; usernames do.
    assert_error(await shop.login(address), 401)
    assert (await shop.login(owner["username"])).status_code == 200
    _, owner_token = link_in(owner_mail, BASE, "/verify-email")
    _, squatter_token = link_in(squatter_mail, BASE, "/verify-email")
    assert (await shop.client.post("/api/auth/verify-email", json={"token": owner_token})).status_code == 200
    lost = await shop.me(squatter_auth)
    assert (lost["email"], lost["email_verified"]) == (None, False)
    assert_error(await shop.client.post("/api/auth/verify-email", json={"token": squatter_token}), 400)
    logged_in = await shop.login(address)
    assert logged_in.status_code == 200 and logged_in.json()["user"]["id"] == owner["id"]
    taken = await shop.client.post(
        "/api/auth/signup", json={"username": shop.name("late"), "password": PASSWORD, "email": address}
    )
    assert assert_error(taken, 409, "email")["error"]["code"] == "email_taken"
    assert (await shop.me(owner_auth))["email_verified"] is True
    assert squatter["id"] != owner["id"]


async def test_resend_is_for_an_unverified_address_and_limited(shop: Shop) -> None:
    name = shop.name("again")
    _, me = await shop.signup(name, f"{name}@example.com")
    await shop.mail.wait()
    assert_error(await shop.client.post("/api/auth/verify-email/resend"), 401)
    _, no_email = await shop.signup(shop.name("bare"))
    assert (
        assert_error(await shop.client.post("/api/auth/verify-email/resend", headers=no_email), 409)["error"][
            "code"
        ]
        == "nothing_to_verify"
    )
    for _ in range(3):
        accepted = await shop.client.post("/api/auth/verify-email/resend", headers=me)
        assert accepted.status_code == 202, accepted.text
    limited = await shop.client.post("/api/auth/verify-email/resend", headers=me)
    assert_error(limited, 429)
    assert 0 < int(limited.headers["Retry-After"]) <= 3600
    resent = await shop.mail.wait(3)
    tokens = {link_in(m, BASE, "/verify-email")[1] for m in resent}
    assert len(tokens) == 3
    assert (await shop.client.post("/api/auth/verify-email", json={"token": tokens.pop()})).status_code == 200
    assert_error(await shop.client.post("/api/auth/verify-email/resend", headers=me), 409)


async def test_a_reset_link_sets_a_new_password_and_ends_every_session(shop: Shop) -> None:
    name = shop.name("forgot")
    address = f"{name}@example.com"
    _, first = await shop.signup(name, address)
    second = {"Authorization": f"Bearer {(await shop.login(name)).json()['token']}"}
    await shop.mail.wait()  # the verification mail
    known = await shop.client.post("/api/auth/password-reset", json={"email": address.upper()})
    unknown = await shop.client.post("/api/auth/password-reset", json={"email": f"x{address}"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json() and "on its way" in known.json()["message"]
    [message] = await shop.mail.wait()
    await shop.mail.nothing_new()  # nothing for the unknown address
    assert message["To"] == address and message["Subject"] == "Reset your Ecomsearch password"
    assert "valid for 30 minutes" in text_of(message)
    _, token = link_in(message, BASE, "/reset-password")
    confirm = "/api/auth/password-reset/confirm"
    weak = await shop.client.post(confirm, json={"token": token, "new_password": "short"})
    assert_error(weak, 400, "new_password")
    done = await shop.client.post(confirm, json={"token": token, "new_password": NEW_PASSWORD})
    assert done.status_code == 204, done.text
    for headers in (first, second):
        assert_error(await shop.client.get("/api/auth/me", headers=headers), 401)
    reused = await shop.client.post(confirm, json={"token": token, "new_password": NEW_PASSWORD + "!"})
    assert assert_error(reused, 400, "token")["error"]["code"] == "invalid_token"
    assert_error(await shop.login(name), 401)
    relogged = await shop.login(address, NEW_PASSWORD)
    assert relogged.status_code == 200, relogged.text
    assert relogged.json()["user"]["email_verified"] is True  # the reset link proved the address


async def test_reset_links_expire_after_30_minutes(shop: Shop) -> None:
    name = shop.name("slow")
    address = f"{name}@example.com"
    await shop.signup(name, address)
    await shop.mail.wait()
    for _ in range(2):
        assert (
            await shop.client.post("/api/auth/password-reset", json={"email": address})
        ).status_code == 202
    first, second = (link_in(m, BASE, "/reset-password")[1] for m in await shop.mail.wait(2))
    confirm = "/api/auth/password-reset/confirm"
    # A refused password tells a live link (the password is blamed) from a dead one, and uses nothing.
    shop.clock.advance(30 * 60 - 1)
    alive = await shop.client.post(confirm, json={"token": first, "new_password": "short"})
    assert_error(alive, 400, "new_password")
    shop.clock.advance(1)
    expired = await shop.client.post(confirm, json={"token": first, "new_password": NEW_PASSWORD})
    assert assert_error(expired, 400)["error"]["code"] == "invalid_token"
    assert_error(await shop.client.post(confirm, json={"token": second, "new_password": NEW_PASSWORD}), 400)
    assert (await shop.login(name)).status_code == 200  # the password is unchanged


async def test_reset_requests_are_limited_per_address_whether_known_or_not(shop: Shop) -> None:
    for address in (f"{shop.name('lim')}@example.com", "nobody-at-all@example.com"):
        for _ in range(3):
            assert (
                await shop.client.post("/api/auth/password-reset", json={"email": address})
            ).status_code == 202
        limited = await shop.client.post("/api/auth/password-reset", json={"email": address})
        assert_error(limited, 429)
        assert int(limited.headers["Retry-After"]) > 0
    assert_error(
        await shop.client.post("/api/auth/password-reset", json={"email": "no address"}), 400, "email"
    )
    assert_error(await shop.client.post("/api/auth/password-reset", json={}), 400)


async def test_an_unverified_account_may_shop_but_not_review(shop: Shop) -> None:
    name = shop.name("rev")
    _, me = await shop.signup(name, f"{name}@example.com")
    _, bare = await shop.signup(shop.name("bare"))
    added = await shop.client.post("/api/cart/items", json={"sku": "HP-001", "quantity": 1}, headers=me)
    assert added.status_code == 200, added.text
    for headers in (me, bare):
        refused = await shop.client.put("/api/products/HP-001/reviews", json={"rating": 5}, headers=headers)
        assert assert_error(refused, 403)["error"]["code"] == "email_unverified"
    assert (await shop.client.get("/api/products/HP-001/reviews", headers=me)).json()["total"] == 0
    _, token = link_in((await shop.mail.wait())[0], BASE, "/verify-email")
    await shop.client.post("/api/auth/verify-email", json={"token": token})
    written = await shop.client.put("/api/products/HP-001/reviews", json={"rating": 5}, headers=me)
    assert written.status_code == 200, written.text


class SlowQueue:
    """The real mail queue behind a delay: what a slow mail path would cost a known address."""

    def __init__(self, queue_mail, seconds: float) -> None:
        self.queue_mail, self.seconds, self.calls = queue_mail, seconds, 0

    def __getattr__(self, name: str):
        return getattr(self.queue_mail, name)  # the schedule's `resume`

    async def __call__(self, message):
        self.calls += 1
        await asyncio.sleep(self.seconds)
        return await self.queue_mail(message)


async def test_known_and_unknown_addresses_answer_in_the_same_time(make_database, tmp_path: Path) -> None:
    """Behind a real server (the answer leaves before the background work runs), with mail for a
    known address made 200 ms slow: had the lookup or the mail run before the answer, the known
    address would answer 200 ms later than an unknown one."""
    env = {
        "DATABASE_URL": await make_database("sqlite"),
        "BCRYPT_ROUNDS": "4",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "PASSWORD_RESET_RATE_LIMIT": "0",
        "PASSWORD_RESET_RATE_LIMIT_PER_ADDRESS": "0",
    }
    settings = load_settings(env, dotenv=Path(os.devnull))
    container = build_container(settings)
    slow = SlowQueue(container.queue_mail(), 0.2)
    container.queue_mail.override(providers.Object(slow))
    async with serving(create_app(settings, container)) as client:
        known = "timed@example.com"
        signup = {"username": "timed", "password": PASSWORD, "email": known}
        assert (await client.post("/api/auth/signup", json=signup)).status_code == 201
        client.cookies.clear()

        async def timed(address: str) -> float:
            started = time.perf_counter()
            response = await client.post("/api/auth/password-reset", json={"email": address})
            elapsed = time.perf_counter() - started
            assert response.status_code == 202
            await asyncio.sleep(0.25)  # the background work ends before the next request
            return elapsed

        await timed(known)
        await timed("warm@example.com")
        known_times, unknown_times = [], []
        for i in range(15):  # interleaved, so load on the machine hits both alike
            known_times.append(await timed(known))
            unknown_times.append(await timed(f"nobody{i}@example.com"))
    assert slow.calls >= 17  # one verification mail, then one a known request
    fast, slow_median = sorted((statistics.median(known_times), statistics.median(unknown_times)))
    assert slow_median / fast < 1.5 or slow_median - fast < 0.020, (known_times, unknown_times)
