"""API keys: what a shop's own systems present instead of a person's session, and what they may do."""

from datetime import datetime
from typing import Final

import msgspec

SEARCH: Final = "search"
CATALOG_WRITE: Final = "catalog:write"
EVENTS_WRITE: Final = "events:write"
ANALYTICS_READ: Final = "analytics:read"
ADMIN: Final = "admin"  # implies every other scope
SCOPES: Final = (SEARCH, CATALOG_WRITE, EVENTS_WRITE, ANALYTICS_READ, ADMIN)

# A key reads `esk_<prefix>_<secret>`: the mark tells it from a session token at a glance.
KEY_MARK: Final = "esk"
PREFIX_LENGTH: Final = 12  # hex characters: the public part, shown in lists and the audit log
MAX_DESCRIPTION: Final = 200
MAX_RATE_LIMIT: Final = 1_000_000


class ApiKey(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    prefix: str
    secret_hash: str  # SHA-256 of the secret, hex
    description: str
    scopes: tuple[str, ...]
    created_at: datetime
    created_by: str
    last_used_at: datetime | None = None
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    rate_limit: int | None = None  # requests a minute; None: the shop's default

    def allows(self, scope: str) -> bool:
        return ADMIN in self.scopes or scope in self.scopes

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    @property
    def actor_name(self) -> str:
        """How the audit log names what this key does."""
        return f"key:{self.prefix}"
