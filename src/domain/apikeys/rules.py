"""What a new key must be, and how a presented key reads."""

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Final

from domain.apikeys.model import KEY_MARK, MAX_DESCRIPTION, MAX_RATE_LIMIT, PREFIX_LENGTH, SCOPES
from domain.errors import InvalidValue

# The secret is 32 random bytes, base64url without padding: 43 characters.
_KEY: Final = re.compile(rf"{KEY_MARK}_([0-9a-f]{{{PREFIX_LENGTH}}})_([A-Za-z0-9_-]{{43}})")


def looks_like_key(text: str) -> bool:
    """Whether a bearer value is meant as an API key (rather than a session token)."""
    return text.startswith(f"{KEY_MARK}_")


def split_key(text: str) -> tuple[str, str] | None:
    """(prefix, secret), or None when the text is not a well-formed key."""
    found = _KEY.fullmatch(text)
    return (found.group(1), found.group(2)) if found else None


def checked_scopes(scopes: Sequence[str]) -> tuple[str, ...]:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise InvalidValue(f"unknown scope {unknown[0]!r}; scopes are {', '.join(SCOPES)}", field="scopes")
    if not scopes:
        raise InvalidValue("a key needs at least one scope", field="scopes")
    return tuple(s for s in SCOPES if s in scopes)  # one order, no repeats


def checked_description(description: str) -> str:
    description = description.strip()
    if len(description) > MAX_DESCRIPTION:
        raise InvalidValue(f"description is longer than {MAX_DESCRIPTION} characters", field="description")
    return description


def checked_expiry(expires_at: datetime | None, now: datetime) -> datetime | None:
    if expires_at is None:
        return None
    if expires_at.tzinfo is None:
        raise InvalidValue("expires_at needs a timezone", field="expires_at")
    if expires_at <= now:
        raise InvalidValue("expires_at must be in the future", field="expires_at")
    return expires_at


def checked_rate_limit(rate_limit: int | None) -> int | None:
    if rate_limit is not None and not 0 <= rate_limit <= MAX_RATE_LIMIT:
        raise InvalidValue(f"rate_limit must be between 0 and {MAX_RATE_LIMIT}", field="rate_limit")
    return rate_limit
