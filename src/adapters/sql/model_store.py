"""SqlModelStore: model versions and blobs in the database, so every API process sees one champion."""

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.tables import model_versions
from domain.ranking.versions import ModelVersion


def _record(row: sa.Row[tuple[object, ...]]) -> ModelVersion:
    version = msgspec.convert(row.record, ModelVersion)
    return msgspec.structs.replace(version, promoted=bool(row.promoted))


class SqlModelStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def save(self, version: ModelVersion, blob: bytes) -> None:
        record = msgspec.to_builtins(msgspec.structs.replace(version, promoted=False))
        async with self._sessions() as db:
            await db.execute(sa.delete(model_versions).where(model_versions.c.version == version.version))
            await db.execute(
                sa.insert(model_versions).values(
                    version=version.version,
                    created_at=version.created_at,
                    promoted=False,
                    record=record,
                    blob=blob,
                )
            )
            await db.commit()

    async def promote(self, version: str) -> None:
        """One transaction: the old champion steps down as the new one steps up."""
        async with self._sessions() as db:
            found = await db.scalar(
                sa.select(model_versions.c.version).where(model_versions.c.version == version)
            )
            if found is None:
                raise KeyError(version)
            await db.execute(
                sa.update(model_versions).where(model_versions.c.promoted.is_(True)).values(promoted=False)
            )
            await db.execute(
                sa.update(model_versions).where(model_versions.c.version == version).values(promoted=True)
            )
            await db.commit()

    async def promoted(self) -> ModelVersion | None:
        columns = (model_versions.c.record, model_versions.c.promoted)
        async with self._sessions() as db:
            row = (
                await db.execute(
                    sa.select(*columns)
                    .where(model_versions.c.promoted.is_(True))
                    .order_by(model_versions.c.created_at.desc())
                    .limit(1)
                )
            ).first()
        return _record(row) if row is not None else None

    async def load(self, version: str) -> bytes | None:
        async with self._sessions() as db:
            blob = await db.scalar(
                sa.select(model_versions.c.blob).where(model_versions.c.version == version)
            )
        return bytes(blob) if blob is not None else None

    async def versions(self) -> list[ModelVersion]:
        async with self._sessions() as db:
            rows = (
                await db.execute(
                    sa.select(model_versions.c.record, model_versions.c.promoted).order_by(
                        model_versions.c.created_at
                    )
                )
            ).all()
        return [_record(row) for row in rows]
