"""In-memory fakes of the identity ports."""

from collections.abc import Sequence
from datetime import datetime

import msgspec

from domain.identity.errors import UsernameTaken
from domain.identity.model import Credentials, NewUser, Session, User
from domain.identity.rules import lookup_key


class InMemoryUserRepository:
    def __init__(self) -> None:
        self.users: dict[int, User] = {}
        self.hashes: dict[int, str] = {}
        self.lookups = 0

    async def add(self, user: NewUser) -> User:
        for existing in self.users.values():
            if lookup_key(existing.username) == lookup_key(user.username):
                raise UsernameTaken("username")
            if user.email and existing.email and lookup_key(existing.email) == lookup_key(user.email):
                raise UsernameTaken("email")
        stored = User(
            id=len(self.users) + 1,
            username=user.username,
            email=user.email,
            is_admin=False,
            created_at=user.created_at,
        )
        self.users[stored.id] = stored
        self.hashes[stored.id] = user.password_hash
        return stored

    async def get(self, user_id: int) -> User | None:
        self.lookups += 1
        return self.users.get(user_id)

    async def credentials(self, login: str) -> Credentials | None:
        key = lookup_key(login)
        for user in self.users.values():
            name = user.email if "@" in key else user.username
            if name and lookup_key(name) == key:
                return Credentials(user=user, password_hash=self.hashes[user.id])
        return None

    async def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self.hashes[user_id] = password_hash

    async def set_admin(self, username: str, is_admin: bool) -> User | None:
        for user in self.users.values():
            if lookup_key(user.username) == lookup_key(username):
                updated = msgspec.structs.replace(user, is_admin=is_admin)
                self.users[user.id] = updated
                return updated
        return None

    async def listed(self, admins_only: bool) -> Sequence[User]:
        chosen = [u for u in self.users.values() if u.is_admin or not admins_only]
        return sorted(chosen, key=lambda u: lookup_key(u.username))

    async def delete(self, user_id: int) -> None:
        self.users.pop(user_id, None)
        self.hashes.pop(user_id, None)


class InMemorySessionStore:
    def __init__(self) -> None:
        self.sessions: dict[str, Session] = {}
        self.touches = 0

    async def add(self, session: Session) -> None:
        self.sessions[session.token_hash] = session

    async def get(self, token_hash: str) -> Session | None:
        return self.sessions.get(token_hash)

    async def touch(self, token_hash: str, last_seen_at: datetime) -> None:
        self.touches += 1
        if token_hash in self.sessions:
            self.sessions[token_hash] = msgspec.structs.replace(
                self.sessions[token_hash], last_seen_at=last_seen_at
            )

    async def delete(self, token_hash: str) -> None:
        self.sessions.pop(token_hash, None)

    async def delete_expired(self, seen_before: datetime, created_before: datetime) -> int:
        gone = [
            h
            for h, s in self.sessions.items()
            if s.last_seen_at < seen_before or s.created_at < created_before
        ]
        for token_hash in gone:
            del self.sessions[token_hash]
        return len(gone)

    async def of_user(self, user_id: int) -> Sequence[Session]:
        mine = [s for s in self.sessions.values() if s.user_id == user_id]
        return sorted(mine, key=lambda s: s.created_at, reverse=True)

    async def delete_by_id(self, user_id: int, session_id: str) -> str | None:
        for token_hash, session in self.sessions.items():
            if session.user_id == user_id and session.id == session_id:
                del self.sessions[token_hash]
                return token_hash
        return None

    async def token_hashes(self, user_id: int) -> Sequence[str]:
        return [h for h, s in self.sessions.items() if s.user_id == user_id]

    async def delete_for_user(self, user_id: int) -> Sequence[str]:
        gone = [h for h, s in self.sessions.items() if s.user_id == user_id]
        for token_hash in gone:
            del self.sessions[token_hash]
        return gone


class FakePasswordHasher:
    """Reversible on purpose (tests only): records every verification, for timing-equivalence checks."""

    def __init__(self) -> None:
        self.verified: list[str] = []

    async def hash(self, password: str) -> str:
        return "fake$" + password

    async def verify(self, password: str, password_hash: str) -> bool:
        self.verified.append(password_hash)
        return password_hash == "fake$" + password
