"""In-memory fake of the audit log port, append-only like the SQL one."""

from application.audit.audit_trail import AuditTrail
from domain.audit.model import AuditEntry
from tests.unit.fakes import FakeClock


class InMemoryAuditLog:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    async def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    async def recent(self, limit: int) -> list[AuditEntry]:
        return self.entries[::-1][:limit]


def audit_trail(log: InMemoryAuditLog | None = None, clock: FakeClock | None = None) -> AuditTrail:
    return AuditTrail(log if log is not None else InMemoryAuditLog(), clock or FakeClock())
