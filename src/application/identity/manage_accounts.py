"""Signup, login, logout, password change, and granting, revoking and listing administrators."""

import secrets
from collections.abc import Container, Sequence
from typing import ClassVar

from application.identity.dto import Authenticated
from application.identity.rate_limit import (
    LoginRateLimiter,
    PasswordChangeRateLimiter,
    SignupRateLimiter,
    account_of,
)
from application.identity.sessions import Sessions
from application.identity.verify_email import SendVerification
from application.ports import Clock
from domain.identity.errors import InvalidField, InvalidLogin, UnknownUser
from domain.identity.model import NewUser, User
from domain.identity.ports import PasswordHasher, UserRepository
from domain.identity.rules import (
    PASSWORD_MAX,
    check_email,
    check_password,
    check_username,
    normalize_password,
)

# Longer inputs are not even hashed: a login field is never this long.
MAX_LOGIN_LENGTH = 254


class Signup:
    def __init__(
        self,
        users: UserRepository,
        hasher: PasswordHasher,
        sessions: Sessions,
        common_passwords: Container[str],
        clock: Clock,
        limiter: SignupRateLimiter,
        send_verification: SendVerification,
    ) -> None:
        self._users = users
        self._hasher = hasher
        self._sessions = sessions
        self._common = common_passwords
        self._clock = clock
        self._limiter = limiter
        self._send_verification = send_verification

    async def __call__(
        self, username: str, password: str, email: str | None = None, client_address: str | None = None
    ) -> Authenticated:
        """`client_address` is the network client's, counted against the signup limit; None for
        the operator's own commands (the CLI, the simulator), which are not limited."""
        name = check_username(username)
        address = check_email(email)
        secret = normalize_password(password)
        check_password(secret, self._common, name)
        if client_address is not None:
            await self._limiter.attempt(client_address)
        user = await self._users.add(
            NewUser(
                username=name,
                email=address,
                password_hash=await self._hasher.hash(secret),
                created_at=self._clock.now(),
            )
        )
        result = await self._sessions.start(user)
        await self._send_verification(user)  # the account is stored: mail can only follow
        return result


class Login:
    """Username or email and password; the same error, after the same bcrypt work, either way."""

    def __init__(
        self,
        users: UserRepository,
        hasher: PasswordHasher,
        sessions: Sessions,
        limiter: LoginRateLimiter,
    ) -> None:
        self._users = users
        self._hasher = hasher
        self._sessions = sessions
        self._limiter = limiter
        self._decoy: str | None = None

    async def decoy_hash(self) -> str:
        """A hash of a random secret at the configured cost, verified when the login names nobody,
        so that an unknown user costs the same bcrypt work as a wrong password."""
        if self._decoy is None:
            self._decoy = await self._hasher.hash(secrets.token_urlsafe(16))
        return self._decoy

    async def __call__(self, login: str, password: str, client_address: str) -> Authenticated:
        if not login.strip():
            raise InvalidField("username", "is required")
        if not password:
            raise InvalidField("password", "is required")
        await self._limiter.check_address(client_address)
        secret = normalize_password(password)
        credentials = None
        if len(login) <= MAX_LOGIN_LENGTH and len(secret) <= PASSWORD_MAX:
            credentials = await self._users.credentials(login)
        account = account_of(credentials.user.id if credentials else None, login)
        await self._limiter.check_account(account, client_address)
        stored = credentials.password_hash if credentials else await self.decoy_hash()
        matches = await self._hasher.verify(secret, stored)
        if credentials is None or not matches:
            await self._limiter.failed(account, client_address)
            raise InvalidLogin()
        await self._limiter.succeeded(account, client_address)
        return await self._sessions.start(credentials.user)


class Logout:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def __call__(self, token: str) -> None:
        await self._sessions.end(token)


class ChangePassword:
    """Checks the current password, sets the new one, revokes every session, starts a new one.
    Wrong current passwords are limited per user: a stolen session cannot guess the password."""

    def __init__(
        self,
        users: UserRepository,
        hasher: PasswordHasher,
        sessions: Sessions,
        common_passwords: Container[str],
        limiter: PasswordChangeRateLimiter,
    ) -> None:
        self._users = users
        self._hasher = hasher
        self._sessions = sessions
        self._common = common_passwords
        self._limiter = limiter

    async def __call__(self, user: User, current: str, new: str) -> Authenticated:
        await self._limiter.check(user.id)
        credentials = await self._users.credentials(user.username)
        if credentials is None or not await self._hasher.verify(
            normalize_password(current), credentials.password_hash
        ):
            await self._limiter.failed(user.id)
            raise InvalidField("current_password", "is not your current password")
        secret = normalize_password(new)
        check_password(secret, self._common, user.username)
        await self._users.set_password_hash(user.id, await self._hasher.hash(secret))
        await self._sessions.end_all(user.id)
        return await self._sessions.start(user)


class SetAdmin:
    """Grants (or revokes) administrator rights; the user's cached sessions are dropped, so the
    next request sees the new rights."""

    grant: ClassVar[bool]

    def __init__(self, users: UserRepository, sessions: Sessions) -> None:
        self._users = users
        self._sessions = sessions

    async def __call__(self, username: str) -> User:
        user = await self._users.set_admin(username, self.grant)
        if user is None:
            raise UnknownUser(username)
        await self._sessions.forget_cached(user.id)
        return user


class GrantAdmin(SetAdmin):
    grant = True


class RevokeAdmin(SetAdmin):
    grant = False


class ListUsers:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def __call__(self, admins_only: bool = False) -> Sequence[User]:
        return await self._users.listed(admins_only)
