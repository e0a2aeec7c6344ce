"""SqlApiKeyStore: API keys by their public prefix; the secret only as its hash."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.tables import api_keys
from domain.apikeys.model import ApiKey


def _key(row: sa.Row[Any]) -> ApiKey:
    return ApiKey(
        id=row.id,
        prefix=row.prefix,
        secret_hash=row.secret_hash,
        description=row.description,
        scopes=tuple(row.scopes),
        created_at=row.created_at,
        created_by=row.created_by,
        last_used_at=row.last_used_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        rate_limit=row.rate_limit,
    )


class SqlApiKeyStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, key: ApiKey) -> ApiKey:
        statement = (
            sa.insert(api_keys)
            .values(
                prefix=key.prefix,
                secret_hash=key.secret_hash,
                description=key.description,
                scopes=list(key.scopes),
                created_at=key.created_at,
                created_by=key.created_by,
                expires_at=key.expires_at,
                rate_limit=key.rate_limit,
            )
            .returning(api_keys)
        )
        async with self._engine.begin() as db:
            return _key((await db.execute(statement)).one())

    async def by_prefix(self, prefix: str) -> ApiKey | None:
        async with self._engine.connect() as db:
            row = (await db.execute(sa.select(api_keys).where(api_keys.c.prefix == prefix))).first()
        return _key(row) if row else None

    async def all(self) -> list[ApiKey]:
        async with self._engine.connect() as db:
            rows = await db.execute(sa.select(api_keys).order_by(api_keys.c.id.desc()))
            return [_key(r) for r in rows]

    async def revoke(self, key_id: int, at: datetime) -> ApiKey | None:
        # A key revoked before keeps its first revocation time.
        async with self._engine.begin() as db:
            await db.execute(
                sa.update(api_keys)
                .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=at)
            )
            row = (await db.execute(sa.select(api_keys).where(api_keys.c.id == key_id))).first()
        return _key(row) if row else None

    async def touch(self, key_id: int, at: datetime) -> None:
        async with self._engine.begin() as db:
            await db.execute(sa.update(api_keys).where(api_keys.c.id == key_id).values(last_used_at=at))
