"""Email verification: a link mailed at signup (and on request), and following it.

The verified owner of an address wins: signing up with an address that only unverified accounts
hold is allowed, and when one account verifies it, every other account loses it (and the links
mailed for them stop working).
"""

from collections.abc import Awaitable, Callable, Sequence

from application.identity.account_tokens import AccountTokens
from application.identity.rate_limit import VerificationRateLimiter
from application.identity.sessions import Sessions
from application.mail.ports import MailMessage
from application.mail.templates import compose, link
from domain.identity.errors import InvalidToken, NothingToVerify
from domain.identity.model import TokenPurpose, User
from domain.identity.ports import UserRepository

QueueMessage = Callable[[MailMessage], Awaitable[int | None]]
VERIFY_PATH = "/verify-email"


def hours(seconds: float) -> str:
    return f"{seconds / 3600:g}"


class SendVerification:
    """Mail a verification link to the user's unverified address; False when there is none."""

    def __init__(self, tokens: AccountTokens, queue_mail: QueueMessage, base_url: str) -> None:
        self._tokens = tokens
        self._queue_mail = queue_mail
        self._base_url = base_url

    async def __call__(self, user: User) -> bool:
        if user.email is None or user.email_verified:
            return False
        token = await self._tokens.issue(user.id, user.email, TokenPurpose.VERIFY_EMAIL)
        lifetime = self._tokens.policy.lifetime(TokenPurpose.VERIFY_EMAIL).total_seconds()
        values = {
            "username": user.username,
            "link": link(self._base_url, VERIFY_PATH, token),
            "expires_hours": hours(lifetime),
        }
        await self._queue_mail(compose(user.email, "verify_email", values))
        return True


class ProveAddress:
    """Mark an address verified for one account and take it from the others that hold it."""

    def __init__(self, users: UserRepository, tokens: AccountTokens, sessions: Sessions) -> None:
        self._users = users
        self._tokens = tokens
        self._sessions = sessions

    async def __call__(self, user_id: int, email: str) -> User | None:
        result = await self._users.mark_verified(user_id, email)
        if result is None:
            return None
        user, displaced = result
        await self._displaced(displaced)
        # Cached sessions hold the user as it was: drop them so the next request sees the change.
        await self._sessions.forget_cached(user.id)
        return user

    async def _displaced(self, user_ids: Sequence[int]) -> None:
        for user_id in user_ids:
            for purpose in TokenPurpose:
                await self._tokens.discard(user_id, purpose)
            await self._sessions.forget_cached(user_id)


class VerifyEmail:
    def __init__(self, tokens: AccountTokens, prove: ProveAddress) -> None:
        self._tokens = tokens
        self._prove = prove

    async def __call__(self, token: str) -> User:
        used = await self._tokens.redeem(token, TokenPurpose.VERIFY_EMAIL)
        # None: the account no longer holds that address, or another account verified it first.
        user = await self._prove(used.user_id, used.email)
        if user is None:
            raise InvalidToken()
        return user


class ResendVerification:
    def __init__(self, send: SendVerification, limiter: VerificationRateLimiter) -> None:
        self._send = send
        self._limiter = limiter

    async def __call__(self, user: User) -> None:
        if user.email is None or user.email_verified:
            raise NothingToVerify()
        await self._limiter.attempt(user.id)
        await self._send(user)
