"""SqlAccountTokenStore: mailed single-use tokens by hash; using one is one conditional UPDATE."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.tables import account_tokens
from domain.identity.model import AccountToken, TokenPurpose


def _token(row: Any) -> AccountToken:
    return AccountToken(
        token_hash=row.token_hash,
        purpose=TokenPurpose(row.purpose),
        user_id=row.user_id,
        email=row.email,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
    )


class SqlAccountTokenStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, token: AccountToken) -> None:
        async with self._sessions() as db:
            await db.execute(
                sa.insert(account_tokens).values(
                    token_hash=token.token_hash,
                    purpose=token.purpose.value,
                    user_id=token.user_id,
                    email=token.email,
                    created_at=token.created_at,
                    expires_at=token.expires_at,
                    used_at=token.used_at,
                )
            )
            await db.commit()

    async def find(self, token_hash: str) -> AccountToken | None:
        async with self._sessions() as db:
            query = sa.select(account_tokens).where(account_tokens.c.token_hash == token_hash)
            row = (await db.execute(query)).first()
        return _token(row) if row else None

    async def use(self, token_hash: str, purpose: TokenPurpose, now: datetime) -> AccountToken | None:
        async with self._sessions() as db:
            row = (
                await db.execute(
                    sa.update(account_tokens)
                    .where(
                        account_tokens.c.token_hash == token_hash,
                        account_tokens.c.purpose == purpose.value,
                        account_tokens.c.used_at.is_(None),
                        account_tokens.c.expires_at > now,
                    )
                    .values(used_at=now)
                    .returning(*account_tokens.c)
                )
            ).first()
            await db.commit()
        return _token(row) if row else None

    async def discard(self, user_id: int, purpose: TokenPurpose) -> int:
        async with self._sessions() as db:
            result = await db.execute(
                sa.delete(account_tokens).where(
                    account_tokens.c.user_id == user_id,
                    account_tokens.c.purpose == purpose.value,
                    account_tokens.c.used_at.is_(None),
                )
            )
            await db.commit()
        return int(getattr(result, "rowcount", 0) or 0)

    async def forget_user(self, user_id: int) -> None:
        """Every token of the user, used or not (account deletion)."""
        async with self._sessions() as db:
            await db.execute(sa.delete(account_tokens).where(account_tokens.c.user_id == user_id))
            await db.commit()

    async def delete_expired(self, now: datetime) -> int:
        async with self._sessions() as db:
            result = await db.execute(sa.delete(account_tokens).where(account_tokens.c.expires_at <= now))
            await db.commit()
        return int(getattr(result, "rowcount", 0) or 0)
