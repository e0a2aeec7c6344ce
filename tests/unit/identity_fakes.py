"""In-memory fakes of the identity ports."""

from collections.abc import Sequence
from datetime import datetime

import msgspec

from application.mail.ports import MailMessage
from domain.identity.errors import UsernameTaken
from domain.identity.model import AccountToken, Credentials, NewUser, Session, TokenPurpose, User
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
            if user.email and existing.email_verified and self._holds(existing, user.email):
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

    @staticmethod
    def _holds(user: User, email: str) -> bool:
        return user.email is not None and lookup_key(user.email) == lookup_key(email)

    async def holders(self, email: str) -> Sequence[User]:
        held = [u for u in self.users.values() if self._holds(u, email)]
        return sorted(held, key=lambda u: (not u.email_verified, u.id))

    async def mark_verified(self, user_id: int, email: str) -> tuple[User, Sequence[int]] | None:
        user = self.users.get(user_id)
        if user is None or not self._holds(user, email):
            return None
        others = [u for u in await self.holders(email) if u.id != user_id]
        if any(u.email_verified for u in others):
            return None
        for other in others:
            self.users[other.id] = msgspec.structs.replace(other, email=None, email_verified=False)
        verified = msgspec.structs.replace(user, email_verified=True)
        self.users[user_id] = verified
        return verified, [u.id for u in others]

    async def get(self, user_id: int) -> User | None:
        self.lookups += 1
        return self.users.get(user_id)

    async def credentials(self, login: str) -> Credentials | None:
        key = lookup_key(login)
        if "@" in key:
            held = await self.holders(login)
            if not held or (len(held) > 1 and not held[0].email_verified):
                return None
            return Credentials(user=held[0], password_hash=self.hashes[held[0].id])
        for user in self.users.values():
            if lookup_key(user.username) == key:
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


class InMemoryAccountTokenStore:
    def __init__(self) -> None:
        self.tokens: dict[str, AccountToken] = {}

    async def add(self, token: AccountToken) -> None:
        self.tokens[token.token_hash] = token

    async def find(self, token_hash: str) -> AccountToken | None:
        return self.tokens.get(token_hash)

    async def use(self, token_hash: str, purpose: TokenPurpose, now: datetime) -> AccountToken | None:
        token = self.tokens.get(token_hash)
        if token is None or token.purpose is not purpose or token.used_at is not None:
            return None
        if token.expires_at <= now:
            return None
        used = msgspec.structs.replace(token, used_at=now)
        self.tokens[token_hash] = used
        return used

    async def discard(self, user_id: int, purpose: TokenPurpose) -> int:
        gone = [
            h
            for h, t in self.tokens.items()
            if t.user_id == user_id and t.purpose is purpose and t.used_at is None
        ]
        for token_hash in gone:
            del self.tokens[token_hash]
        return len(gone)

    async def delete_expired(self, now: datetime) -> int:
        gone = [h for h, t in self.tokens.items() if t.expires_at <= now]
        for token_hash in gone:
            del self.tokens[token_hash]
        return len(gone)


class MailRecorder:
    """Stands in for QueueMail: keeps what would have been queued."""

    def __init__(self) -> None:
        self.messages: list[MailMessage] = []

    async def __call__(self, message: MailMessage) -> int:
        self.messages.append(message)
        return len(self.messages)
