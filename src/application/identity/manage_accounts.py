"""Signup, login, logout, password change, and granting, revoking and listing administrators."""

import secrets
from collections.abc import Container, Sequence
from typing import ClassVar

from application.audit.audit_trail import AuditTrail
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
from domain.audit.model import ROLE_GRANT, ROLE_REVOKE, Actor
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
        self,
        username: str,
        password: str,
        email: str | None = None,
        client_address: str | None = None,
        user_agent: str | None = None,
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
        result = await self._sessions.start(user, client_address, user_agent)
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

    async def __call__(
        self, login: str, password: str, client_address: str, user_agent: str | None = None
    ) -> Authenticated:
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
        return await self._sessions.start(credentials.user, client_address, user_agent)


class Logout:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def __call__(self, token: str) -> None:
        await self._sessions.end(token)


class ChangePassword:
    """Checks the current password, sets the new one and ends every other session of the user
    (the one asking stays logged in). Wrong current passwords are limited per user: a stolen
    session cannot guess the password."""

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

    async def __call__(self, user: User, current: str, new: str, session_token: str) -> None:
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
        await self._sessions.end_others(user.id, session_token)


class SetAdmin:
    """Grants (or revokes) administrator rights; the user's cached sessions are dropped, so the
    next request sees the new rights. The change is audited under `actor` (an unknown user,
    which changes nothing, is not)."""

    grant: ClassVar[bool]

    def __init__(self, users: UserRepository, sessions: Sessions, audit: AuditTrail) -> None:
        self._users = users
        self._sessions = sessions
        self._audit = audit

    async def __call__(self, username: str, *, actor: Actor) -> User:
        user = await self._users.set_admin(username, self.grant)
        if user is None:
            raise UnknownUser(username)
        await self._sessions.forget_cached(user.id)
        await self._audit.record(actor, ROLE_GRANT if self.grant else ROLE_REVOKE, user.username)
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
