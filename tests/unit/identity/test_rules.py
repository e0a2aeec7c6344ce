"""Password policy, username and email rules, session expiry."""

from datetime import timedelta

import pytest

from domain.identity.errors import InvalidField
from domain.identity.model import Session, SessionPolicy
from domain.identity.rules import (
    check_email,
    check_password,
    check_username,
    needs_touch,
    session_expired,
)
from tests.unit.fakes import FIXED_NOW

COMMON = frozenset({"password", "123456789", "iloveyou"})


@pytest.mark.parametrize(
    "password", ["eight ch", "no rules at all here", "ÄÖÜ-äöü-ß", "x" * 128, "日本語のパスワード"]
)
def test_passwords_of_8_to_128_characters_without_composition_rules_pass(password: str) -> None:
    check_password(password, COMMON)


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("seven c", "at least 8"),
        ("", "at least 8"),
        ("x" * 129, "at most 128"),
        ("iloveyou", "common"),
        ("PassWord", "common"),
    ],
)
def test_bad_passwords_are_refused_with_a_reason(password: str, fragment: str) -> None:
    with pytest.raises(InvalidField) as caught:
        check_password(password, COMMON)
    assert caught.value.field == "password"
    assert fragment in caught.value.message


def test_length_counts_characters_not_bytes() -> None:
    # 100 four-byte characters: 400 bytes, far past bcrypt's 72, but 100 characters: accepted.
    emoji = "\U0001f600" * 100
    assert len(emoji.encode()) == 400
    check_password(emoji, COMMON)
    with pytest.raises(InvalidField):
        check_password("\U0001f600" * 129, COMMON)


def test_password_equal_to_the_username_is_refused() -> None:
    with pytest.raises(InvalidField):
        check_password("Shopper2024", COMMON, username="shopper2024")


@pytest.mark.parametrize("name", ["bob", "alice_smith", "j.doe-1", "A" * 32])
def test_good_usernames(name: str) -> None:
    assert check_username(f"  {name} ") == name


@pytest.mark.parametrize("name", ["ab", "A" * 33, "has space", "-dash", "semi;colon", "<script>", ""])
def test_bad_usernames(name: str) -> None:
    with pytest.raises(InvalidField) as caught:
        check_username(name)
    assert caught.value.field == "username"


def test_emails() -> None:
    assert check_email(None) is None
    assert check_email("  ") is None
    assert check_email(" a@b.co ") == "a@b.co"
    for bad in ("plain", "a@b", "a b@c.d", "a@@b.c", "x" * 250 + "@b.co"):
        with pytest.raises(InvalidField):
            check_email(bad)


def make_session(created_minutes_ago: float, seen_minutes_ago: float) -> Session:
    return Session(
        token_hash="h",
        id="s",
        user_id=1,
        created_at=FIXED_NOW - timedelta(minutes=created_minutes_ago),
        last_seen_at=FIXED_NOW - timedelta(minutes=seen_minutes_ago),
    )


def test_session_expiry_idle_and_absolute() -> None:
    policy = SessionPolicy(idle=timedelta(minutes=30), absolute=timedelta(hours=8))
    assert not session_expired(make_session(10, 5), FIXED_NOW, policy)
    assert not session_expired(make_session(60, 29.9), FIXED_NOW, policy)
    assert session_expired(make_session(60, 30), FIXED_NOW, policy)  # idle
    assert session_expired(make_session(8 * 60, 0), FIXED_NOW, policy)  # absolute, though active
    assert needs_touch(make_session(10, 1), FIXED_NOW, policy)
    assert not needs_touch(make_session(10, 0.5), FIXED_NOW, policy)
