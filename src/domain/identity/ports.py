"""What accounts need from outside: storage for users and sessions, and a password hasher."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.identity.model import AccountToken, Credentials, NewUser, Session, TokenPurpose, User


class UserRepository(Protocol):
    async def add(self, user: NewUser) -> User:
        """Store a new, unverified user; raises UsernameTaken when the username is in use or a
        verified account holds the email (accounts that have not verified it do not count)."""
        ...

    async def get(self, user_id: int) -> User | None: ...

    async def credentials(self, login: str) -> Credentials | None:
        """The user whose username or email is `login` (any case), with the password hash. An
        email names the account that verified it, else the one account holding it unverified;
        held unverified by several, it names nobody."""
        ...

    async def holders(self, email: str) -> Sequence[User]:
        """The accounts holding `email` (any case): the verified one first, then the oldest."""
        ...

    async def mark_verified(self, user_id: int, email: str) -> tuple[User, Sequence[int]] | None:
        """Mark the user's address verified, provided it still is `email` and no other account has
        verified it; every other account holding it unverified loses it. Answers the updated user
        and the ids of the accounts that lost the address; None when nothing changed."""
        ...

    async def set_password_hash(self, user_id: int, password_hash: str) -> None: ...

    async def set_admin(self, username: str, is_admin: bool) -> User | None: ...

    async def listed(self, admins_only: bool) -> Sequence[User]:
        """Every user (or every administrator), by username in any case."""
        ...

    async def delete(self, user_id: int) -> None:
        """Remove the user row (rows that hang off it by foreign key go with it)."""
        ...


class SessionStore(Protocol):
    async def add(self, session: Session) -> None: ...

    async def get(self, token_hash: str) -> Session | None: ...

    async def touch(self, token_hash: str, last_seen_at: datetime) -> None: ...

    async def delete(self, token_hash: str) -> None: ...

    async def of_user(self, user_id: int) -> Sequence[Session]:
        """Every session of the user, newest first."""
        ...

    async def delete_by_id(self, user_id: int, session_id: str) -> str | None:
        """End the user's session with that public id; its token hash, or None when the user has
        no such session (another user's id included)."""
        ...

    async def token_hashes(self, user_id: int) -> Sequence[str]:
        """The token hashes of every session the user has."""
        ...

    async def delete_for_user(self, user_id: int) -> Sequence[str]:
        """Revoke every session of a user; returns the token hashes that were revoked."""
        ...

    async def delete_expired(self, seen_before: datetime, created_before: datetime) -> int:
        """Drop sessions idle since `seen_before` or started before `created_before`; how many."""
        ...


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password: str, password_hash: str) -> bool: ...


class AccountTokenStore(Protocol):
    """Mailed single-use tokens (verification, password reset), kept by their hash."""

    async def add(self, token: AccountToken) -> None: ...

    async def find(self, token_hash: str) -> AccountToken | None: ...

    async def use(self, token_hash: str, purpose: TokenPurpose, now: datetime) -> AccountToken | None:
        """Mark the token used if it is unused, unexpired and of `purpose`, in one conditional
        write (two requests cannot both use it); the token now used, or None."""
        ...

    async def discard(self, user_id: int, purpose: TokenPurpose) -> int:
        """Drop a user's unused tokens of `purpose`; how many."""
        ...

    async def delete_expired(self, now: datetime) -> int: ...
