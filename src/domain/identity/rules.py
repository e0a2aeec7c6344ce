"""Password policy, username and email rules, and when a session has expired."""

import re
import unicodedata
from collections.abc import Container
from datetime import datetime
from typing import Final

from domain.identity.errors import InvalidField
from domain.identity.model import AccountToken, Session, SessionPolicy, TokenPurpose

PASSWORD_MIN: Final = 8
PASSWORD_MAX: Final = 128
USERNAME_MIN: Final = 3
USERNAME_MAX: Final = 32
EMAIL_MAX: Final = 254
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# Deliberately loose: one @, something on both sides, a dot in the domain, no spaces.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_password(
    password: str, common: Container[str], username: str | None = None, field: str = "password"
) -> None:
    """NIST-style: 8 to 128 characters, no composition rules, not a common password.

    Length is counted in characters after Unicode normalisation (NFKC), so the same password typed
    on another keyboard counts the same. Any length is safe to hash: the hasher pre-hashes, so
    bcrypt's 72-byte limit never silently truncates.
    """
    length = len(unicodedata.normalize("NFKC", password))
    if length < PASSWORD_MIN:
        raise InvalidField(field, f"must be at least {PASSWORD_MIN} characters long")
    if length > PASSWORD_MAX:
        raise InvalidField(field, f"must be at most {PASSWORD_MAX} characters long")
    if password.lower() in common:
        raise InvalidField(field, "is one of the most common passwords; choose another")
    if username and password.lower() == username.lower():
        raise InvalidField(field, "must not be the username")


def normalize_password(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def check_username(username: str) -> str:
    name = username.strip()
    if not USERNAME_MIN <= len(name) <= USERNAME_MAX:
        raise InvalidField("username", f"must be {USERNAME_MIN} to {USERNAME_MAX} characters long")
    if not _USERNAME.fullmatch(name):
        raise InvalidField(
            "username",
            "may hold only letters, digits, '_', '.' and '-', and must start with a letter or digit",
        )
    return name


def check_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    address = email.strip()
    if len(address) > EMAIL_MAX or not _EMAIL.fullmatch(address):
        raise InvalidField("email", "is not a valid email address")
    return address


def lookup_key(name: str) -> str:
    """Usernames and emails are unique and found regardless of case."""
    return name.strip().casefold()


def session_expired(session: Session, now: datetime, policy: SessionPolicy) -> bool:
    return now - session.last_seen_at >= policy.idle or now - session.created_at >= policy.absolute


def needs_touch(session: Session, now: datetime, policy: SessionPolicy) -> bool:
    return now - session.last_seen_at >= policy.touch_every


def token_usable(token: AccountToken, purpose: TokenPurpose, now: datetime) -> bool:
    """A mailed token works once, for what it was made for, until it expires."""
    return token.purpose is purpose and token.used_at is None and now < token.expires_at
