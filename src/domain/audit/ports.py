"""Where the audit log is kept."""

from typing import Protocol

from domain.audit.model import AuditEntry


class AuditLog(Protocol):
    """Append-only: entries are added and read, never changed or removed."""

    async def record(self, entry: AuditEntry) -> None: ...

    async def recent(self, limit: int) -> list[AuditEntry]:
        """The `limit` newest entries, newest first."""
        ...
