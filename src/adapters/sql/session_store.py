"""SqlSessionStore: login sessions by token hash (the token itself is never stored)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.tables import auth_sessions
from domain.identity.model import Session


def _session(row: Any) -> Session:
    return Session(
        token_hash=row.token_hash,
        id=row.public_id,
        user_id=row.user_id,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        address=row.address,
        user_agent=row.user_agent,
    )


class SqlSessionStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, session: Session) -> None:
        async with self._sessions() as db:
            await db.execute(
                sa.insert(auth_sessions).values(
                    token_hash=session.token_hash,
                    public_id=session.id,
                    user_id=session.user_id,
                    created_at=session.created_at,
                    last_seen_at=session.last_seen_at,
                    address=session.address,
                    user_agent=session.user_agent,
                )
            )
            await db.commit()

    async def get(self, token_hash: str) -> Session | None:
        async with self._sessions() as db:
            row = (
                await db.execute(sa.select(auth_sessions).where(auth_sessions.c.token_hash == token_hash))
            ).first()
        return None if row is None else _session(row)

    async def of_user(self, user_id: int) -> Sequence[Session]:
        async with self._sessions() as db:
            rows = await db.execute(
                sa.select(auth_sessions)
                .where(auth_sessions.c.user_id == user_id)
                .order_by(auth_sessions.c.created_at.desc(), auth_sessions.c.public_id)
            )
            return [_session(row) for row in rows]

    async def delete_by_id(self, user_id: int, session_id: str) -> str | None:
        async with self._sessions() as db:
            token_hash = (
                await db.execute(
                    sa.delete(auth_sessions)
                    .where(auth_sessions.c.user_id == user_id, auth_sessions.c.public_id == session_id)
                    .returning(auth_sessions.c.token_hash)
                )
            ).scalar_one_or_none()
            await db.commit()
        return token_hash

    async def touch(self, token_hash: str, last_seen_at: datetime) -> None:
        async with self._sessions() as db:
            await db.execute(
                sa.update(auth_sessions)
                .where(auth_sessions.c.token_hash == token_hash)
                .values(last_seen_at=last_seen_at)
            )
            await db.commit()

    async def delete(self, token_hash: str) -> None:
        async with self._sessions() as db:
            await db.execute(sa.delete(auth_sessions).where(auth_sessions.c.token_hash == token_hash))
            await db.commit()

    async def delete_expired(self, seen_before: datetime, created_before: datetime) -> int:
        async with self._sessions() as db:
            result = await db.execute(
                sa.delete(auth_sessions).where(
                    sa.or_(
                        auth_sessions.c.last_seen_at < seen_before,
                        auth_sessions.c.created_at < created_before,
                    )
                )
            )
            await db.commit()
        return int(getattr(result, "rowcount", 0) or 0)

    async def token_hashes(self, user_id: int) -> Sequence[str]:
        async with self._sessions() as db:
            rows = await db.execute(
                sa.select(auth_sessions.c.token_hash).where(auth_sessions.c.user_id == user_id)
            )
            return list(rows.scalars())

    async def delete_for_user(self, user_id: int) -> Sequence[str]:
        async with self._sessions() as db:
            rows = await db.execute(
                sa.delete(auth_sessions)
                .where(auth_sessions.c.user_id == user_id)
                .returning(auth_sessions.c.token_hash)
            )
            hashes = list(rows.scalars())
            await db.commit()
        return hashes
