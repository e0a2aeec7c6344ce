"""SqlSynonymStore and SqlSuggestionStore: the shop's synonyms and the pairs learned from shoppers."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.engine import insert_for
from adapters.sql.tables import synonym_suggestions, synonyms
from domain.search.reformulations import Suggestion, SuggestionStatus
from domain.search.synonyms import Synonym


def _synonym(row: sa.Row[Any]) -> Synonym:
    return Synonym(id=row.id, terms=tuple(row.terms), source=row.source)


class SqlSynonymStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def all(self) -> list[Synonym]:
        async with self._engine.connect() as db:
            return [_synonym(r) for r in await db.execute(sa.select(synonyms).order_by(synonyms.c.id))]

    async def get(self, synonym_id: int) -> Synonym | None:
        async with self._engine.connect() as db:
            row = (await db.execute(sa.select(synonyms).where(synonyms.c.id == synonym_id))).first()
        return _synonym(row) if row else None

    async def add_many(self, new: Sequence[Synonym]) -> list[Synonym]:
        now = datetime.now(UTC)
        added = []
        async with self._engine.begin() as db:
            for synonym in new:
                values = {"source": synonym.source, "terms": list(synonym.terms), "updated_at": now}
                row = (await db.execute(sa.insert(synonyms).values(**values).returning(synonyms.c.id))).one()
                added.append(Synonym(id=row.id, terms=synonym.terms, source=synonym.source))
        return added

    async def replace(self, synonym: Synonym) -> bool:
        values = {"source": synonym.source, "terms": list(synonym.terms), "updated_at": datetime.now(UTC)}
        async with self._engine.begin() as db:
            done = await db.execute(sa.update(synonyms).where(synonyms.c.id == synonym.id).values(**values))
        return bool(done.rowcount)

    async def delete(self, synonym_id: int) -> bool:
        async with self._engine.begin() as db:
            done = await db.execute(sa.delete(synonyms).where(synonyms.c.id == synonym_id))
        return bool(done.rowcount)


def _suggestion(row: sa.Row[Any]) -> Suggestion:
    return Suggestion(
        id=row.id, source=row.source, target=row.target, support=row.support, lift=row.lift, status=row.status
    )


class SqlSuggestionStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def merge(self, found: Sequence[Suggestion]) -> None:
        if not found:
            return
        now = datetime.now(UTC)
        rows = [
            {"source": s.source, "target": s.target, "support": s.support, "lift": s.lift,
             "status": "pending", "found_at": now}
            for s in found
        ]  # fmt: skip
        statement = insert_for(self._engine.dialect.name)(synonym_suggestions).values(rows)
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=["source", "target"],
            set_={"support": excluded.support, "lift": excluded.lift, "found_at": excluded.found_at},
            where=synonym_suggestions.c.status == "pending",
        )
        async with self._engine.begin() as db:
            await db.execute(statement)

    async def listed(self, status: SuggestionStatus, limit: int) -> list[Suggestion]:
        c = synonym_suggestions.c
        query = (
            sa.select(synonym_suggestions)
            .where(c.status == status)
            .order_by(c.support.desc(), c.lift.desc(), c.id)
            .limit(limit)
        )
        async with self._engine.connect() as db:
            return [_suggestion(r) for r in await db.execute(query)]

    async def get(self, suggestion_id: int) -> Suggestion | None:
        query = sa.select(synonym_suggestions).where(synonym_suggestions.c.id == suggestion_id)
        async with self._engine.connect() as db:
            row = (await db.execute(query)).first()
        return _suggestion(row) if row else None

    async def decide(self, suggestion_id: int, status: SuggestionStatus) -> None:
        c = synonym_suggestions.c
        async with self._engine.begin() as db:
            await db.execute(
                sa.update(synonym_suggestions).where(c.id == suggestion_id).values(status=status)
            )
