"""SqlAuditLog: the administrators' audit log in `audit_log`, only ever inserted into and read.

The table's triggers (migration 0013) refuse UPDATE and DELETE on both databases, so not even a
bug or a hand-typed statement here can rewrite the history.
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.tables import audit_log
from domain.audit.model import AuditEntry

_COLUMNS = tuple(audit_log.c[name] for name in AuditEntry.__struct_fields__)


def _entry(row: sa.Row[Any]) -> AuditEntry:
    return AuditEntry(**row._asdict())


class SqlAuditLog:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def record(self, entry: AuditEntry) -> None:
        row = {name: getattr(entry, name) for name in AuditEntry.__struct_fields__}
        async with self._engine.begin() as db:
            await db.execute(sa.insert(audit_log).values(**row))

    async def recent(self, limit: int) -> list[AuditEntry]:
        query = sa.select(*_COLUMNS).order_by(audit_log.c.id.desc()).limit(limit)
        async with self._engine.connect() as db:
            return [_entry(row) for row in await db.execute(query)]
