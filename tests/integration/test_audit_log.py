"""The audit log on SQLite and PostgreSQL: entries read back newest first, and the database itself
refuses to change or remove one (the table's triggers), whoever asks."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.audit_log import SqlAuditLog
from adapters.sql.engine import make_engine
from adapters.sql.tables import audit_log
from domain.audit.model import AuditEntry

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, make_database) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(await make_database(request.param))
    yield engine
    await engine.dispose()


def entry(n: int, **fields: object) -> AuditEntry:
    base: dict[str, object] = {
        "at": T0 + timedelta(minutes=n), "actor": "boss", "action": "product.update",
        "target": f"SKU-{n}", "address": "203.0.113.7", "details": None,
    }  # fmt: skip
    return AuditEntry(**(base | fields))  # type: ignore[arg-type]


async def test_entries_read_back_newest_first(engine: AsyncEngine) -> None:
    log = SqlAuditLog(engine)
    assert await log.recent(10) == []
    first = entry(1, details={"fields": ["price", "title"]})
    # The same instant twice: the order of recording still decides.
    second, third = entry(2, action="job.start", details={"job_id": "cluster:9"}), entry(2, target="SKU-3")
    for e in (first, second, third):
        await log.record(e)
    assert await log.recent(10) == [third, second, first]
    assert await log.recent(2) == [third, second]


async def test_the_database_refuses_to_update_or_delete_entries(engine: AsyncEngine) -> None:
    log = SqlAuditLog(engine)
    await log.record(entry(1))
    tampering = [
        sa.update(audit_log).values(actor="someone else"),
        sa.delete(audit_log).where(audit_log.c.target == "SKU-1"),
        sa.delete(audit_log),
    ]
    if engine.dialect.name == "postgresql":
        tampering.append(sa.text("TRUNCATE audit_log"))
    for statement in tampering:
        with pytest.raises(DBAPIError, match="append-only"):
            async with engine.begin() as db:
                await db.execute(statement)
    assert await log.recent(10) == [entry(1)]
    await log.record(entry(2))  # appending still works
    assert [e.target for e in await log.recent(10)] == ["SKU-2", "SKU-1"]
