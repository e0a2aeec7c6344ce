"""SqlEventLog: the append-only event and impression logs, with popularity bumped in the same transaction."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sql.tables import events, impressions, products
from domain.events.model import Event, Impression, Shown

EVENT_COLUMNS = (
    "type", "sku", "visitor_id", "user_id", "arm", "search_id", "position", "query", "occurred_at",
)  # fmt: skip


def _bump_statement() -> sa.Update:
    # popularity = popularity + n in the database: concurrent writers never lose an increment.
    return (
        sa.update(products)
        .where(products.c.sku == sa.bindparam("b_sku"))
        .values(popularity=products.c.popularity + sa.bindparam("b_delta", type_=sa.Float))
    )


# PostgreSQL: the whole batch in one statement and one round trip, with a fixed text, so asyncpg
# prepares it once. Popularity is added in the database; a click on an unknown sku stores nothing.
_PG_BATCH = sa.text(
    """
    WITH input AS (
        SELECT * FROM unnest(
            CAST(:types AS varchar[]), CAST(:skus AS varchar[]), CAST(:visitors AS varchar[]),
            CAST(:users AS bigint[]), CAST(:arms AS varchar[]), CAST(:search_ids AS varchar[]),
            CAST(:positions AS integer[]), CAST(:queries AS varchar[]), CAST(:times AS timestamptz[]),
            CAST(:deltas AS float8[])
        ) AS t(type, sku, visitor_id, user_id, arm, search_id, position, query, occurred_at, delta)
    ),
    bumped AS (
        UPDATE products AS p SET popularity = p.popularity + d.delta
        FROM (SELECT sku, sum(delta) AS delta FROM input GROUP BY sku HAVING sum(delta) <> 0) AS d
        WHERE p.sku = d.sku
        RETURNING p.sku
    ),
    known AS (SELECT sku FROM products WHERE sku IN (SELECT sku FROM input)),
    stored AS (
        INSERT INTO events (type, sku, visitor_id, user_id, arm, search_id, position, query, occurred_at)
        SELECT type, sku, visitor_id, user_id, arm, search_id, position, query, occurred_at
        FROM input WHERE sku IN (SELECT sku FROM known)
        RETURNING 1
    )
    SELECT sku FROM known
    """
)


class SqlEventLog:
    """Writes a batch of events in one transaction: look up skus, bump popularity, insert events.

    Three statements per batch whatever its size, so a group-committing caller (see
    `GroupCommitEventLog`) pays for one transaction per batch, not per event.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._bump = _bump_statement()
        self._postgres = engine.dialect.name == "postgresql"

    async def record(self, event: Event, popularity_delta: float) -> bool:
        return (await self.record_many([(event, popularity_delta)]))[0]

    async def record_many(self, batch: Sequence[tuple[Event, float]]) -> list[bool]:
        if not batch:
            return []
        if self._postgres:
            return await self._record_many_postgres(batch)
        skus = sorted({event.sku for event, _ in batch})
        async with self._engine.begin() as connection:
            known = await self._known(connection, skus)
            deltas: dict[str, float] = defaultdict(float)
            for event, delta in batch:
                if event.sku in known:
                    deltas[event.sku] += delta
            # In sku order, so two batches bumping the same products cannot deadlock.
            bumps = [{"b_sku": sku, "b_delta": deltas[sku]} for sku in sorted(deltas) if deltas[sku]]
            if bumps:
                await connection.execute(self._bump, bumps)
            rows = [{c: getattr(event, c) for c in EVENT_COLUMNS} for event, _ in batch if event.sku in known]
            if rows:
                await connection.execute(sa.insert(events), rows)
        return [event.sku in known for event, _ in batch]

    async def _known(self, connection: AsyncConnection, skus: list[str]) -> set[str]:
        query = sa.select(products.c.sku).where(products.c.sku.in_(skus))
        return set((await connection.execute(query)).scalars())

    async def _record_many_postgres(self, batch: Sequence[tuple[Event, float]]) -> list[bool]:
        params = {
            "types": [e.type for e, _ in batch],
            "skus": [e.sku for e, _ in batch],
            "visitors": [e.visitor_id for e, _ in batch],
            "users": [e.user_id for e, _ in batch],
            "arms": [e.arm for e, _ in batch],
            "search_ids": [e.search_id for e, _ in batch],
            "positions": [e.position for e, _ in batch],
            "queries": [e.query for e, _ in batch],
            "times": [e.occurred_at for e, _ in batch],
            "deltas": [delta for _, delta in batch],
        }
        # One statement is atomic on its own: no BEGIN/COMMIT round trips around it.
        async with self._engine.connect() as connection:
            auto = await connection.execution_options(isolation_level="AUTOCOMMIT")
            known = set((await auto.execute(_PG_BATCH, params)).scalars())
        return [event.sku in known for event, _ in batch]

    async def record_impression(self, impression: Impression) -> None:
        await self.record_impressions([impression])

    async def record_impressions(self, batch: Sequence[Impression]) -> None:
        if not batch:
            return
        rows: list[dict[str, Any]] = [
            {
                "search_id": i.search_id,
                "visitor_id": i.visitor_id,
                "user_id": i.user_id,
                "arm": i.arm,
                "query": i.query,
                "items": [[s.sku, s.position] for s in i.items],
                "page": i.page,
                "total": i.total,
                "occurred_at": i.occurred_at,
                "features": [list(s.features) for s in i.items] if i.feature_version else None,
                "feature_version": i.feature_version,
            }
            for i in batch
        ]
        async with self._engine.begin() as connection:
            await connection.execute(sa.insert(impressions), rows)

    async def events_between(self, start: datetime, end: datetime, limit: int = 10_000) -> list[Event]:
        query = (
            sa.select(*[events.c[c] for c in EVENT_COLUMNS])
            .where(events.c.occurred_at >= start, events.c.occurred_at < end)
            .order_by(events.c.occurred_at, events.c.id)
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            return [to_event(row) for row in await connection.execute(query)]

    async def events_of_visitor(self, visitor_id: str, since: datetime, limit: int = 1_000) -> list[Event]:
        query = (
            sa.select(*[events.c[c] for c in EVENT_COLUMNS])
            .where(events.c.visitor_id == visitor_id, events.c.occurred_at >= since)
            .order_by(events.c.occurred_at.desc(), events.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            return [to_event(row) for row in await connection.execute(query)]

    async def impressions_between(
        self, start: datetime, end: datetime, limit: int = 10_000
    ) -> list[Impression]:
        query = (
            sa.select(impressions)
            .where(impressions.c.occurred_at >= start, impressions.c.occurred_at < end)
            .order_by(impressions.c.occurred_at, impressions.c.id)
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            return [
                Impression(
                    search_id=row.search_id,
                    visitor_id=row.visitor_id,
                    user_id=row.user_id,
                    arm=row.arm,
                    query=row.query,
                    items=_shown(row.items, row.features),
                    page=row.page,
                    total=row.total,
                    occurred_at=row.occurred_at,
                    feature_version=row.feature_version,
                )
                for row in await connection.execute(query)
            ]


def to_event(row: Any) -> Event:
    return msgspec.convert({c: getattr(row, c) for c in EVENT_COLUMNS}, Event)


def _shown(items: list[list[Any]], features: list[list[float]] | None) -> tuple[Shown, ...]:
    vectors = features if features and len(features) == len(items) else [[] for _ in items]
    return tuple(Shown(sku, position, tuple(v)) for (sku, position), v in zip(items, vectors, strict=True))
