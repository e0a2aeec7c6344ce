"""SqlUserRepository: accounts in SQLite or PostgreSQL, unique by case-folded username; an email is
unique among the accounts that verified it (a partial unique index)."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.tables import users
from domain.identity.errors import UsernameTaken
from domain.identity.model import Credentials, NewUser, User
from domain.identity.rules import lookup_key

_USER_COLUMNS = (
    users.c.id,
    users.c.username,
    users.c.email,
    users.c.is_admin,
    users.c.created_at,
    users.c.email_verified,
)
# The verified holder of an address first, then the oldest.
_HOLDERS_ORDER = (users.c.email_verified.desc(), users.c.id)


def to_user(row: Any) -> User:
    return User(
        id=row.id,
        username=row.username,
        email=row.email,
        is_admin=row.is_admin,
        created_at=row.created_at,
        email_verified=bool(row.email_verified),
    )


class SqlUserRepository:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, user: NewUser) -> User:
        email_key = lookup_key(user.email) if user.email else None
        values = {
            "username": user.username,
            "username_key": lookup_key(user.username),
            "email": user.email,
            "email_key": email_key,
            "password_hash": user.password_hash,
            "is_admin": False,
            "email_verified": False,
            "created_at": user.created_at,
        }
        async with self._sessions() as session:
            if email_key is not None and await self._verified_holder(session, email_key) is not None:
                raise UsernameTaken("email")
            try:
                row = (await session.execute(sa.insert(users).values(values).returning(*_USER_COLUMNS))).one()
                await session.commit()
            except IntegrityError:
                await session.rollback()
                raise UsernameTaken("username") from None
        return to_user(row)

    @staticmethod
    async def _verified_holder(session: AsyncSession, email_key: str) -> int | None:
        query = sa.select(users.c.id).where(users.c.email_key == email_key, users.c.email_verified.is_(True))
        return (await session.execute(query)).scalar_one_or_none()

    async def get(self, user_id: int) -> User | None:
        async with self._sessions() as session:
            row = (await session.execute(sa.select(*_USER_COLUMNS).where(users.c.id == user_id))).first()
        return to_user(row) if row else None

    async def credentials(self, login: str) -> Credentials | None:
        key = lookup_key(login)
        query = sa.select(*_USER_COLUMNS, users.c.password_hash)
        if "@" in key:
            query = query.where(users.c.email_key == key).order_by(*_HOLDERS_ORDER).limit(2)
        else:
            query = query.where(users.c.username_key == key)
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        # An address held unverified by several accounts names none of them.
        if not rows or (len(rows) > 1 and not rows[0].email_verified):
            return None
        return Credentials(user=to_user(rows[0]), password_hash=rows[0].password_hash)

    async def holders(self, email: str) -> Sequence[User]:
        query = (
            sa.select(*_USER_COLUMNS).where(users.c.email_key == lookup_key(email)).order_by(*_HOLDERS_ORDER)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return [to_user(row) for row in rows]

    async def mark_verified(self, user_id: int, email: str) -> tuple[User, Sequence[int]] | None:
        key = lookup_key(email)
        async with self._sessions() as session:
            # Lock every holder in one order first: two accounts verifying the same address at
            # once then run one after the other instead of deadlocking (PostgreSQL).
            await session.execute(
                sa.select(users.c.id).where(users.c.email_key == key).order_by(users.c.id).with_for_update()
            )
            try:
                row = (
                    await session.execute(
                        sa.update(users)
                        .where(users.c.id == user_id, users.c.email_key == key)
                        .values(email_verified=True)
                        .returning(*_USER_COLUMNS)
                    )
                ).first()
                if row is None:
                    await session.rollback()
                    return None
                displaced = (
                    await session.execute(
                        sa.update(users)
                        .where(users.c.email_key == key, users.c.id != user_id)
                        .values(email=None, email_key=None, email_verified=False)
                        .returning(users.c.id)
                    )
                ).scalars()
                lost = sorted(displaced)
                await session.commit()
            except IntegrityError:  # another account verified the address first
                await session.rollback()
                return None
        return to_user(row), lost

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
