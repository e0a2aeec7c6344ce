"""Signup, login, sessions and rate limits with in-memory fakes and a fake clock."""

from datetime import timedelta

import pytest

from application.identity.account_tokens import AccountTokens
from application.identity.manage_accounts import ChangePassword, GrantAdmin, Login, Logout, Signup
from application.identity.rate_limit import (
    LoginRateLimiter,
    PasswordChangeRateLimiter,
    RateLimits,
    SignupRateLimiter,
)
from application.identity.sessions import Sessions, cache_key
from application.identity.tokens import hash_token
from application.identity.verify_email import SendVerification
from domain.identity.errors import (
    InvalidField,
    InvalidLogin,
    TooManyAttempts,
    UnknownUser,
    UsernameTaken,
)
from domain.identity.model import SessionPolicy, TokenPolicy
from tests.fixtures.actors import TEST_ACTOR
from tests.unit.audit_fakes import audit_trail
from tests.unit.fakes import FakeCache, FakeClock
from tests.unit.identity_fakes import (
    FakePasswordHasher,
    InMemoryAccountTokenStore,
    InMemorySessionStore,
    InMemoryUserRepository,
    MailRecorder,
)

PASSWORD = "correct horse battery"


class Shop:
    def __init__(self, policy: SessionPolicy | None = None, limits: RateLimits | None = None) -> None:
        self.users = InMemoryUserRepository()
        self.store = InMemorySessionStore()
        self.cache = FakeCache()
        self.clock = FakeClock()
        self.hasher = FakePasswordHasher()
        self.sessions = Sessions(self.store, self.users, self.cache, self.clock, policy or SessionPolicy())
        limits = limits or RateLimits()
        self.limiter = LoginRateLimiter(self.cache, limits)
        common = frozenset({"password1", "qwertyuiop"})
        self.mail = MailRecorder()
        self.tokens = AccountTokens(InMemoryAccountTokenStore(), self.clock, TokenPolicy())
        self.signup = Signup(
            self.users,
            self.hasher,
            self.sessions,
            common,
            self.clock,
            SignupRateLimiter(self.cache, limits),
            SendVerification(self.tokens, self.mail, "http://shop.test"),
        )
        self.login = Login(self.users, self.hasher, self.sessions, self.limiter)
        self.logout = Logout(self.sessions)
        self.change_password = ChangePassword(
            self.users, self.hasher, self.sessions, common, PasswordChangeRateLimiter(self.cache, limits)
        )


async def test_signup_stores_a_hash_and_starts_a_session() -> None:
    shop = Shop()
    result = await shop.signup(" Alice ", PASSWORD, "Alice@Example.com")
    assert result.user.username == "Alice"
    assert result.user.email == "Alice@Example.com"
    assert shop.users.hashes[result.user.id] == "fake$" + PASSWORD
    assert len(result.token) >= 43  # 32 random bytes, URL-safe base64
    # Only the token's hash is stored.
    assert list(shop.store.sessions) == [hash_token(result.token)]
    assert result.token not in repr(shop.store.sessions)
    assert await shop.sessions.resolve(result.token) == result.user


async def test_signup_refuses_bad_input_and_duplicates() -> None:
    shop = Shop()
    await shop.signup("alice", PASSWORD)
    with pytest.raises(UsernameTaken):
        await shop.signup("ALICE", PASSWORD)
    with pytest.raises(InvalidField) as caught:
        await shop.signup("bob", "Password1")
    assert caught.value.field == "password"
    with pytest.raises(InvalidField):
        await shop.signup("b o b", PASSWORD)
    assert len(shop.users.users) == 1


async def test_login_by_username_or_email_gives_a_new_token_each_time() -> None:
    shop = Shop()
    await shop.signup("alice", PASSWORD, "alice@example.com")
    first = await shop.login("ALICE", PASSWORD, "10.0.0.1")
    second = await shop.login("Alice@example.COM", PASSWORD, "10.0.0.1")
    assert first.user == second.user
    assert first.token != second.token
    assert len(shop.store.sessions) == 3


async def test_unknown_user_and_wrong_password_do_the_same_work_and_fail_alike() -> None:
    shop = Shop()
    await shop.signup("alice", PASSWORD)
    with pytest.raises(InvalidLogin) as wrong:
        await shop.login("alice", "not my password", "10.0.0.1")
    with pytest.raises(InvalidLogin) as unknown:
        await shop.login("mallory", PASSWORD, "10.0.0.1")
    assert str(wrong.value) == str(unknown.value)
    # One password verification each: the unknown user's against the decoy hash.
    decoy = await shop.login.decoy_hash()
    assert decoy.startswith("fake$") and decoy != "fake$" + PASSWORD
    assert shop.hasher.verified == ["fake$" + PASSWORD, decoy]


async def test_a_129_character_password_is_checked_against_nothing_but_the_decoy() -> None:
    shop = Shop()
    await shop.signup("alice", PASSWORD)
    with pytest.raises(InvalidLogin):
        await shop.login("alice", "x" * 129, "10.0.0.1")
    assert shop.hasher.verified == [await shop.login.decoy_hash()]


async def test_sessions_expire_when_idle() -> None:
    shop = Shop(SessionPolicy(idle=timedelta(minutes=30), absolute=timedelta(days=1)))
    token = (await shop.signup("alice", PASSWORD)).token
    shop.clock.advance(29 * 60)
    assert await shop.sessions.resolve(token) is not None  # and this use pushes the idle deadline
    shop.clock.advance(29 * 60)
    assert await shop.sessions.resolve(token) is not None
    shop.clock.advance(30 * 60)
    assert await shop.sessions.resolve(token) is None
    assert shop.store.sessions == {}


async def test_sessions_expire_at_the_absolute_limit_even_when_busy() -> None:
    shop = Shop(SessionPolicy(idle=timedelta(minutes=30), absolute=timedelta(hours=2)))
    token = (await shop.signup("alice", PASSWORD)).token
    for _ in range(7):  # active every 20 minutes for 2h20
        shop.clock.advance(20 * 60)
        alive = await shop.sessions.resolve(token)
    assert alive is None
    assert shop.store.sessions == {}


async def test_lookups_are_cached_and_last_seen_is_written_at_most_once_a_minute() -> None:
    shop = Shop()
    token = (await shop.signup("alice", PASSWORD)).token
    for _ in range(5):
        assert await shop.sessions.resolve(token) is not None
    assert shop.users.lookups == 1  # then served from the cache
    assert shop.store.touches == 0
    shop.clock.advance(61)
    assert await shop.sessions.resolve(token) is not None
    assert shop.store.touches == 1
    stored = shop.store.sessions[hash_token(token)]
    assert stored.last_seen_at == shop.clock.now()


async def test_logout_revokes_the_cached_session_at_once() -> None:
    shop = Shop()
    token = (await shop.signup("alice", PASSWORD)).token
    assert await shop.sessions.resolve(token) is not None
    assert cache_key(hash_token(token)) in shop.cache.data
    await shop.logout(token)
    assert cache_key(hash_token(token)) not in shop.cache.data
    assert await shop.sessions.resolve(token) is None


async def test_password_change_ends_every_other_session_and_needs_the_current_password() -> None:
    shop = Shop()
    first = await shop.signup("alice", PASSWORD)
    second = await shop.login("alice", PASSWORD, "10.0.0.1")
    await shop.sessions.resolve(second.token)  # cached
    with pytest.raises(InvalidField):
        await shop.change_password(first.user, "wrong current", "a new long secret", first.token)
    await shop.change_password(first.user, PASSWORD, "a new long secret", first.token)
    assert await shop.sessions.resolve(second.token) is None
    assert await shop.sessions.resolve(first.token) == first.user
    with pytest.raises(InvalidLogin):
        await shop.login("alice", PASSWORD, "10.0.0.1")
    assert (await shop.login("alice", "a new long secret", "10.0.0.1")).user == first.user


async def test_unknown_or_oversized_tokens_resolve_to_nobody() -> None:
    shop = Shop()
    assert await shop.sessions.resolve("") is None
    assert await shop.sessions.resolve("nope") is None
    assert await shop.sessions.resolve("x" * 10_000) is None


async def test_rate_limit_per_pair_and_per_address() -> None:
    shop = Shop(limits=RateLimits(per_account_address=3, per_address=5, window_seconds=600))
    await shop.signup("alice", PASSWORD)
    for _ in range(3):
        with pytest.raises(InvalidLogin):
            await shop.login("alice", "wrong password", "6.6.6.6")
    with pytest.raises(TooManyAttempts) as caught:
        await shop.login("alice", PASSWORD, "6.6.6.6")
    assert caught.value.retry_after_seconds == 600
    # The owner elsewhere is not locked out.
    assert (await shop.login("alice", PASSWORD, "1.2.3.4")).user.username == "alice"
    # Two more failures from the attacker's address on other names reach the address budget.
    for name in ("bob", "carol"):
        with pytest.raises(InvalidLogin):
            await shop.login(name, "wrong password", "6.6.6.6")
    with pytest.raises(TooManyAttempts):
        await shop.login("dave", "wrong password", "6.6.6.6")


async def test_success_clears_the_pair_count() -> None:
    shop = Shop(limits=RateLimits(per_account_address=3, per_address=100, window_seconds=600))
    await shop.signup("alice", PASSWORD)
    for _ in range(5):
        for _ in range(2):
            with pytest.raises(InvalidLogin):
                await shop.login("alice", "typo password", "1.2.3.4")
        await shop.login("alice", PASSWORD, "1.2.3.4")


async def test_grant_admin() -> None:
    shop = Shop()
    await shop.signup("alice", PASSWORD)
    grant = GrantAdmin(shop.users, shop.sessions, audit_trail())
    assert (await grant("ALICE", actor=TEST_ACTOR)).is_admin
    with pytest.raises(UnknownUser):
        await grant("nobody", actor=TEST_ACTOR)


async def test_expired_sessions_are_purged_at_most_once_an_hour() -> None:
    shop = Shop(SessionPolicy(idle=timedelta(minutes=30), absolute=timedelta(days=1)))
    old = (await shop.signup("alice", PASSWORD)).token  # the first login purges (nothing yet)
    shop.clock.advance(31 * 60)
    await shop.login("alice", PASSWORD, "10.0.0.1")  # within the hour: no purge
    assert hash_token(old) in shop.store.sessions
    del shop.cache.data["sessions:purge"]  # the hour is over
    await shop.login("alice", PASSWORD, "10.0.0.1")
    assert hash_token(old) not in shop.store.sessions
    assert len(shop.store.sessions) == 2
    assert await shop.sessions.purge_expired() == 0
