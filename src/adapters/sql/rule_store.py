"""SqlRuleStore: the shop's curation rules, pins, hides and boosts kept as JSON."""

from datetime import UTC, datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.tables import curation_rules
from domain.search.rules import Boost, Pin, Rule


def _rule(row: sa.Row[Any]) -> Rule:
    return Rule(
        id=row.id,
        name=row.name,
        query=row.query,
        contains=row.contains,
        category=row.category,
        pins=msgspec.convert(row.pins, tuple[Pin, ...]),
        hides=tuple(row.hides),
        boosts=msgspec.convert(row.boosts, tuple[Boost, ...]),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
    )


def _values(rule: Rule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "query": rule.query,
        "contains": rule.contains,
        "category": rule.category,
        "pins": msgspec.to_builtins(rule.pins),
        "hides": list(rule.hides),
        "boosts": msgspec.to_builtins(rule.boosts),
        "starts_at": rule.starts_at,
        "ends_at": rule.ends_at,
        "updated_at": datetime.now(UTC),
    }


class SqlRuleStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def all(self) -> list[Rule]:
        async with self._engine.connect() as db:
            rows = await db.execute(sa.select(curation_rules).order_by(curation_rules.c.id))
            return [_rule(r) for r in rows]

    async def get(self, rule_id: int) -> Rule | None:
        async with self._engine.connect() as db:
            row = (await db.execute(sa.select(curation_rules).where(curation_rules.c.id == rule_id))).first()
        return _rule(row) if row else None

    async def add(self, rule: Rule) -> Rule:
        statement = sa.insert(curation_rules).values(**_values(rule)).returning(curation_rules.c.id)
        async with self._engine.begin() as db:
            row = (await db.execute(statement)).one()
        return msgspec.structs.replace(rule, id=row.id)

    async def replace(self, rule: Rule) -> bool:
        statement = sa.update(curation_rules).where(curation_rules.c.id == rule.id).values(**_values(rule))
        async with self._engine.begin() as db:
            done = await db.execute(statement)
        return bool(done.rowcount)

    async def delete(self, rule_id: int) -> bool:
        async with self._engine.begin() as db:
            done = await db.execute(sa.delete(curation_rules).where(curation_rules.c.id == rule_id))
        return bool(done.rowcount)
