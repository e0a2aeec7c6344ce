"""Per-account login limit with known addresses, and signup and password-change limits; with
in-memory fakes."""

import pytest

from application.identity.rate_limit import RateLimits
from domain.identity.errors import InvalidField, InvalidLogin, TooManyAttempts
from tests.unit.identity.test_accounts import PASSWORD, Shop

ACCOUNT = RateLimits(per_account_address=3, per_address=100, per_account=4, window_seconds=600)


async def fail_from(shop: Shop, login: str, addresses: list[str]) -> None:
    for address in addresses:
        with pytest.raises(InvalidLogin):
            await shop.login(login, "a wrong guess", address)


def spread(count: int, start: int = 1) -> list[str]:
    return [f"203.0.113.{i}" for i in range(start, start + count)]


async def test_many_addresses_guessing_one_account_are_stopped() -> None:
    shop = Shop(limits=ACCOUNT)
    await shop.signup("alice", PASSWORD)
    await fail_from(shop, "alice", spread(4))  # one guess each: no pair or address limit is near
    verified = len(shop.hasher.verified)
    with pytest.raises(TooManyAttempts) as caught:
        await shop.login("alice", PASSWORD, "203.0.113.50")  # even the right password
    assert caught.value.retry_after_seconds == 600
    assert len(shop.hasher.verified) == verified  # refused before any bcrypt work


async def test_the_username_and_the_email_share_one_count() -> None:
    shop = Shop(limits=ACCOUNT)
    await shop.signup("alice", PASSWORD, "alice@example.com")
    await fail_from(shop, "ALICE", spread(2))
    await fail_from(shop, "Alice@Example.com", spread(2, start=10))
    with pytest.raises(TooManyAttempts):
        await shop.login("alice@example.com", PASSWORD, "203.0.113.99")


async def test_the_owner_still_gets_in_from_an_address_they_used_before() -> None:
    shop = Shop(limits=ACCOUNT)
    await shop.signup("alice", PASSWORD, "alice@example.com")
    await shop.login("alice", PASSWORD, "198.51.100.2")  # the owner at home, remembered
    assert 30 * 24 * 3600 in shop.cache.ttls.values()
    await fail_from(shop, "alice", spread(4))
    with pytest.raises(TooManyAttempts):
        await shop.login("alice", PASSWORD, "203.0.113.77")
    # By email too: the mark belongs to the account, not to the name typed.
    assert (await shop.login("alice@example.com", PASSWORD, "198.51.100.2")).user.username == "alice"
    # The owner's known address still has its own pair limit against someone sharing it.
    await fail_from(shop, "alice", ["198.51.100.2"] * 3)
    with pytest.raises(TooManyAttempts):
        await shop.login("alice", PASSWORD, "198.51.100.2")


async def test_an_unknown_name_is_limited_exactly_like_a_known_account() -> None:
    shop = Shop(limits=ACCOUNT)
    await shop.signup("alice", PASSWORD)
    answers = []
    for login in ("alice", "nobody"):
        await fail_from(shop, login, spread(4))
        with pytest.raises(TooManyAttempts) as caught:
            await shop.login(login, "a wrong guess", "192.0.2.1")
        answers.append((str(caught.value), caught.value.code, caught.value.retry_after_seconds))
    assert answers[0] == answers[1]
    # Unknown names are counted by their normalised spelling.
    with pytest.raises(TooManyAttempts):
        await shop.login("  NOBODY ", "a wrong guess", "192.0.2.2")


async def test_a_limit_of_zero_is_no_limit() -> None:
    shop = Shop(limits=RateLimits(per_account_address=0, per_address=0, per_account=0))
    await shop.signup("alice", PASSWORD)
    await fail_from(shop, "alice", ["203.0.113.1"] * 30)
    assert (await shop.login("alice", PASSWORD, "203.0.113.1")).user.username == "alice"


async def test_signups_are_limited_per_address_once_they_would_be_hashed() -> None:
    shop = Shop(limits=RateLimits(signup_per_address=2, signup_window_seconds=3600))
    with pytest.raises(InvalidField):  # refused before hashing: not counted
        await shop.signup("a b", PASSWORD, client_address="192.0.2.9")
    await shop.signup("ann", PASSWORD, client_address="192.0.2.9")
    await shop.signup("ben", PASSWORD, client_address="192.0.2.9")
    with pytest.raises(TooManyAttempts) as caught:
        await shop.signup("cat", PASSWORD, client_address="192.0.2.9")
    assert caught.value.retry_after_seconds == 3600
    assert "signups" in str(caught.value)
    assert sorted(u.username for u in shop.users.users.values()) == ["ann", "ben"]
    assert (await shop.signup("cat", PASSWORD, client_address="192.0.2.10")).user.username == "cat"
    # The operator's own commands (no client address) are not limited.
    assert (await shop.signup("dan", PASSWORD)).user.username == "dan"


async def test_wrong_current_passwords_are_limited_per_user() -> None:
    shop = Shop(limits=RateLimits(password_change_failures=2, window_seconds=900))
    alice = (await shop.signup("alice", PASSWORD)).user
    bob = (await shop.signup("bob", PASSWORD)).user
    for _ in range(2):
        with pytest.raises(InvalidField):
            await shop.change_password(alice, "a wrong guess", "a new long secret", "token")
    verified = len(shop.hasher.verified)
    with pytest.raises(TooManyAttempts) as caught:
        await shop.change_password(alice, PASSWORD, "a new long secret", "token")
    assert caught.value.retry_after_seconds == 900
    assert len(shop.hasher.verified) == verified
    assert shop.users.hashes[alice.id] == "fake$" + PASSWORD
    await shop.change_password(bob, PASSWORD, "a new long secret", "token")
    assert shop.users.hashes[bob.id] == "fake$a new long secret"
