"""Writing administrators' actions to the audit log, and reading it back.

The use cases that change the shop on an administrator's behalf (products, jobs, rights) take an
`AuditTrail` and the acting `Actor`, and record an action only once it has succeeded: a refused
or failed attempt changed nothing, so there is nothing to answer for.
"""

from typing import Any

from application.ports import Clock
from domain.audit.model import MAX_ACTOR, MAX_ADDRESS, MAX_TARGET, Actor, AuditEntry
from domain.audit.ports import AuditLog
from domain.errors import InvalidValue

MAX_AUDIT_LISTED = 500


class AuditTrail:
    def __init__(self, log: AuditLog, clock: Clock) -> None:
        self._log = log
        self._clock = clock

    async def record(
        self, actor: Actor, action: str, target: str, details: dict[str, Any] | None = None
    ) -> None:
        entry = AuditEntry(
            at=self._clock.now(),
            actor=actor.name[:MAX_ACTOR],
            action=action,
            target=target[:MAX_TARGET],
            address=actor.address[:MAX_ADDRESS],
            details=details,
        )
        await self._log.record(entry)


class ReadAuditLog:
    """The newest entries first, at most MAX_AUDIT_LISTED at a time."""

    def __init__(self, log: AuditLog) -> None:
        self._log = log

    async def __call__(self, limit: int = 50) -> list[AuditEntry]:
        if not 1 <= limit <= MAX_AUDIT_LISTED:
            raise InvalidValue(f"limit must be between 1 and {MAX_AUDIT_LISTED}", field="limit")
        return await self._log.recent(limit)
