"""Starting, resolving and revoking sessions, with look-ups cached and revocation immediate."""

from collections.abc import Iterable

import msgspec

from application.identity.dto import Authenticated, SessionInfo
from application.identity.tokens import hash_token, new_session_id, new_token
from application.ports import Cache, Clock
from domain.identity.errors import SessionNotFound
from domain.identity.model import Session, SessionPolicy, User
from domain.identity.ports import SessionStore, UserRepository
from domain.identity.rules import needs_touch, session_expired

CACHE_SECONDS = 60.0
PURGE_EVERY_SECONDS = 3600.0
PURGE_KEY = "sessions:purge"
USER_AGENT_MAX = 300
ADDRESS_MAX = 64


class CachedSession(msgspec.Struct, frozen=True):
    session: Session
    user: User


def cache_key(token_hash: str) -> str:
    return f"session:{token_hash}"


class Sessions:
    """The session lifecycle shared by signup, login, logout, password change and every request."""

    def __init__(
        self, store: SessionStore, users: UserRepository, cache: Cache, clock: Clock, policy: SessionPolicy
    ) -> None:
        self._store = store
        self._users = users
        self._cache = cache
        self._clock = clock
        self.policy = policy

    async def start(
        self, user: User, address: str | None = None, user_agent: str | None = None
    ) -> Authenticated:
        """`address` and `user_agent` describe where the login came from, for the sessions list."""
        token = new_token()
        now = self._clock.now()
        await self.purge_expired(force=False)
        await self._store.add(
            Session(
                token_hash=hash_token(token),
                id=new_session_id(),
                user_id=user.id,
                created_at=now,
                last_seen_at=now,
                address=address[:ADDRESS_MAX] if address else None,
                user_agent=user_agent[:USER_AGENT_MAX] if user_agent else None,
            )
        )
        return Authenticated(user=user, token=token)

    async def listed(self, user_id: int, current_token: str | None) -> list[SessionInfo]:
        """The user's sessions still in force, newest first; `current` marks the caller's."""
        current = hash_token(current_token) if current_token else None
        now = self._clock.now()
        return [
            SessionInfo(
                id=s.id,
                created_at=s.created_at,
                last_used_at=s.last_seen_at,
                address=s.address,
                user_agent=s.user_agent,
                current=s.token_hash == current,
            )
            for s in await self._store.of_user(user_id)
            if not session_expired(s, now, self.policy)
        ]

    async def end_by_id(self, user_id: int, session_id: str) -> None:
        """End one of the user's own sessions at once (its cached copy goes too); SessionNotFound
        for an unknown id and for another user's, alike."""
        token_hash = await self._store.delete_by_id(user_id, session_id)
        if token_hash is None:
            raise SessionNotFound()
        await self._cache.delete(cache_key(token_hash))

    async def resolve(self, token: str) -> User | None:
        """The user a token belongs to, or None when it is unknown, revoked or expired."""
        if not token or len(token) > 200:
            return None
        token_hash = hash_token(token)
        key = cache_key(token_hash)
        entry = await self._cached(key)
        if entry is not None and entry.user.is_admin and await self._users.get(entry.user.id) != entry.user:
            # Administrator rights are never served by the cache alone: a revocation made beside
            # a cache this process cannot reach (the CLI next to an in-process cache) holds at once.
            await self._cache.delete(key)
            entry = None
        fresh = entry is None
        if entry is None:
            session = await self._store.get(token_hash)
            user = await self._users.get(session.user_id) if session else None
            if session is None or user is None:
                return None
            entry = CachedSession(session=session, user=user)
        now = self._clock.now()
        if session_expired(entry.session, now, self.policy):
            await self._revoke([token_hash])
            return None
        if needs_touch(entry.session, now, self.policy):
            # Written back at most once a `touch_every`; the cached copy is then reloaded.
            await self._store.touch(token_hash, now)
            await self._cache.delete(key)
        elif fresh:
            await self._cache.set(key, msgspec.msgpack.encode(entry), CACHE_SECONDS)
        return entry.user

    async def purge_expired(self, force: bool = True) -> int:
        """Drop sessions nobody can use any more; unless forced, at most once an hour (any process)."""
        if not force and await self._cache.incr(PURGE_KEY, 1, ttl_seconds=PURGE_EVERY_SECONDS) > 1:
            return 0
        now = self._clock.now()
        return await self._store.delete_expired(now - self.policy.idle, now - self.policy.absolute)

    async def end(self, token: str) -> None:
        await self._revoke([hash_token(token)])

    async def end_all(self, user_id: int) -> None:
        await self._revoke(await self._store.delete_for_user(user_id))

    async def end_others(self, user_id: int, keep_token: str) -> None:
        """End every session of the user but the one `keep_token` opened."""
        kept = hash_token(keep_token)
        await self._revoke([h for h in await self._store.token_hashes(user_id) if h != kept])

    async def forget_cached(self, user_id: int) -> None:
        """Drop the cached copies of a user's sessions (after a change of rights); they stay valid."""
        for token_hash in await self._store.token_hashes(user_id):
            await self._cache.delete(cache_key(token_hash))

    async def _revoke(self, token_hashes: Iterable[str]) -> None:
        for token_hash in token_hashes:
            await self._store.delete(token_hash)
            await self._cache.delete(cache_key(token_hash))

    async def _cached(self, key: str) -> CachedSession | None:
        raw = await self._cache.get(key)
        if raw is None:
            return None
        try:
            return msgspec.msgpack.decode(raw, type=CachedSession)
        except msgspec.DecodeError:
            await self._cache.delete(key)
            return None
