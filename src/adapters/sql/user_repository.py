"""SqlUserRepository: accounts in SQLite or PostgreSQL, unique by case-folded username and email."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.tables import users
from domain.identity.errors import UsernameTaken
from domain.identity.model import Credentials, NewUser, User
from domain.identity.rules import lookup_key

_USER_COLUMNS = (users.c.id, users.c.username, users.c.email, users.c.is_admin, users.c.created_at)


def to_user(row: Any) -> User:
    return User(
        id=row.id, username=row.username, email=row.email, is_admin=row.is_admin, created_at=row.created_at
    )


class SqlUserRepository:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, user: NewUser) -> User:
        values = {
            "username": user.username,
            "username_key": lookup_key(user.username),
            "email": user.email,
            "email_key": lookup_key(user.email) if user.email else None,
            "password_hash": user.password_hash,
            "is_admin": False,
            "created_at": user.created_at,
        }
        async with self._sessions() as session:
            try:
                row = (await session.execute(sa.insert(users).values(values).returning(*_USER_COLUMNS))).one()
                await session.commit()
            except IntegrityError as exc:
                await session.rollback()
                field = "email" if "email" in str(exc.orig) else "username"
                raise UsernameTaken(field) from None
        return to_user(row)

    async def get(self, user_id: int) -> User | None:
        async with self._sessions() as session:
            row = (await session.execute(sa.select(*_USER_COLUMNS).where(users.c.id == user_id))).first()
        return to_user(row) if row else None

    async def credentials(self, login: str) -> Credentials | None:
        key = lookup_key(login)
        column = users.c.email_key if "@" in key else users.c.username_key
        async with self._sessions() as session:
            row = (
                await session.execute(sa.select(*_USER_COLUMNS, users.c.password_hash).where(column == key))
            ).first()
        return Credentials(user=to_user(row), password_hash=row.password_hash) if row else None

    async def set_password_hash(self, user_id: int, password_hash: str) -> None:
        async with self._sessions() as session:
            await session.execute(
                sa.update(users).where(users.c.id == user_id).values(password_hash=password_hash)
            )
            await session.commit()

    async def set_admin(self, username: str, is_admin: bool) -> User | None:
        async with self._sessions() as session:
            row = (
                await session.execute(
                    sa.update(users)
                    .where(users.c.username_key == lookup_key(username))
                    .values(is_admin=is_admin)
                    .returning(*_USER_COLUMNS)
                )
            ).first()
            await session.commit()
        return to_user(row) if row else None

    async def delete(self, user_id: int) -> None:
        async with self._sessions.begin() as session:
            await session.execute(sa.delete(users).where(users.c.id == user_id))

    async def listed(self, admins_only: bool) -> Sequence[User]:
        query = sa.select(*_USER_COLUMNS).order_by(users.c.username_key)
        if admins_only:
            query = query.where(users.c.is_admin.is_(True))
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return [to_user(row) for row in rows]
