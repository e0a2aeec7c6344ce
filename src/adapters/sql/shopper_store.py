"""Shopper profiles and clusters in SQL: JSON documents keyed by visitor and by cluster label."""

from collections.abc import Sequence
from datetime import datetime

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.engine import insert_for
from adapters.sql.tables import shopper_clusters, shopper_profiles
from domain.ranking.model import ShopperProfile
from domain.shoppers.model import Cluster

BATCH = 500


class SqlProfileStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def save_many(self, profiles: Sequence[ShopperProfile], now: datetime) -> None:
        async with self._sessions() as db:
            insert = insert_for(db.bind.dialect.name)
            for start in range(0, len(profiles), BATCH):
                rows = [
                    {
                        "visitor_id": p.visitor_id,
                        "cluster": p.cluster,
                        "profile": msgspec.to_builtins(p),
                        "updated_at": now,
                    }
                    for p in profiles[start : start + BATCH]
                ]
                statement = insert(shopper_profiles).values(rows)
                await db.execute(
                    statement.on_conflict_do_update(
                        index_elements=[shopper_profiles.c.visitor_id],
                        set_={
                            "cluster": statement.excluded.cluster,
                            "profile": statement.excluded.profile,
                            "updated_at": statement.excluded.updated_at,
                        },
                    )
                )
            await db.commit()

    async def get(self, visitor_id: str) -> ShopperProfile | None:
        async with self._sessions() as db:
            doc = await db.scalar(
                sa.select(shopper_profiles.c.profile).where(shopper_profiles.c.visitor_id == visitor_id)
            )
        return msgspec.convert(doc, ShopperProfile) if doc is not None else None

    async def forget_visitor(self, visitor_id: str) -> None:
        async with self._sessions.begin() as db:
            await db.execute(sa.delete(shopper_profiles).where(shopper_profiles.c.visitor_id == visitor_id))

    async def all(self) -> list[ShopperProfile]:
        async with self._sessions() as db:
            docs = (await db.scalars(sa.select(shopper_profiles.c.profile))).all()
        return [msgspec.convert(doc, ShopperProfile) for doc in docs]


class SqlClusterStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def current(self) -> list[Cluster]:
        async with self._sessions() as db:
            rows = (await db.execute(sa.select(shopper_clusters).order_by(shopper_clusters.c.cluster))).all()
        return [
            Cluster(cluster=r.cluster, size=r.size, centroid=list(r.centroid), dimensions=list(r.dimensions))
            for r in rows
        ]

    async def replace(self, clusters: Sequence[Cluster], now: datetime) -> None:
        """One transaction, so readers see the old clustering or the new one, never a mix."""
        async with self._sessions() as db:
            await db.execute(sa.delete(shopper_clusters))
            if clusters:
                await db.execute(
                    sa.insert(shopper_clusters).values(
                        [
                            {
                                "cluster": c.cluster,
                                "size": c.size,
                                "centroid": c.centroid,
                                "dimensions": c.dimensions,
                                "fitted_at": now,
                            }
                            for c in clusters
                        ]
                    )
                )
            await db.commit()
