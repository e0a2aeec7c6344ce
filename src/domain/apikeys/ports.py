"""Where API keys are kept."""

from datetime import datetime
from typing import Protocol

from domain.apikeys.model import ApiKey


class ApiKeyStore(Protocol):
    async def add(self, key: ApiKey) -> ApiKey:
        """Store a new key (its `id` is ignored) and answer it with the id given."""
        ...

    async def by_prefix(self, prefix: str) -> ApiKey | None: ...

    async def all(self) -> list[ApiKey]:
        """Every key, revoked ones too, newest first."""
        ...

    async def revoke(self, key_id: int, at: datetime) -> ApiKey | None:
        """Mark the key revoked (kept for the audit trail); None when no key has that id."""
        ...

    async def touch(self, key_id: int, at: datetime) -> None: ...
