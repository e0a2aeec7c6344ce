"""Password reset by a mailed link, with nothing that tells whether an address is known.

A request is checked (a well-formed address, the rate limits) while the client waits; who holds
the address is looked up and mailed only after the answer has gone (`deliver`), so a known and an
unknown address answer alike and in the same time.

Who gets the mail: the account that verified the address; when none has, every account holding
it unverified (at most `MAX_UNVERIFIED_RECIPIENTS`, oldest first), each mail naming its account.
Every mail goes to the address itself, so only its owner can follow the links: an account
created with someone else's address cannot be used to take theirs, and cannot stop its owner
from recovering their own account either.
"""

import logging
from collections.abc import Container

from application.identity.account_tokens import AccountTokens
from application.identity.rate_limit import LoginRateLimiter, PasswordResetRateLimiter, account_of
from application.identity.sessions import Sessions
from application.identity.verify_email import ProveAddress, QueueMessage
from application.mail.templates import compose, link
from domain.identity.errors import InvalidField, InvalidToken
from domain.identity.model import TokenPurpose
from domain.identity.ports import PasswordHasher, UserRepository
from domain.identity.rules import check_email, check_password, lookup_key, normalize_password

log = logging.getLogger(__name__)

RESET_PATH = "/reset-password"
MAX_UNVERIFIED_RECIPIENTS = 5


class RequestPasswordReset:
    def __init__(
        self,
        users: UserRepository,
        tokens: AccountTokens,
        queue_mail: QueueMessage,
        base_url: str,
        limiter: PasswordResetRateLimiter,
    ) -> None:
        self._users = users
        self._tokens = tokens
        self._queue_mail = queue_mail
        self._base_url = base_url
        self._limiter = limiter

    async def __call__(self, email: str, client_address: str | None) -> str:
        """Check the request; the address to hand to `deliver` once the client has its answer."""
        address = check_email(email)
        if address is None:
            raise InvalidField("email", "is required")
        await self._limiter.attempt(address, client_address)
        return address

    async def deliver(self, email: str) -> int:
        """Mail a reset link to whoever holds `email`; how many mails. Never raises: nobody is
        waiting for it."""
        try:
            return await self._deliver(email)
        except Exception:
            log.exception("password reset mail not queued")
            return 0

    async def _deliver(self, email: str) -> int:
        holders = list(await self._users.holders(email))
        if holders and holders[0].email_verified:
            holders = holders[:1]
        minutes = self._tokens.policy.lifetime(TokenPurpose.PASSWORD_RESET).total_seconds() / 60
        for user in holders[:MAX_UNVERIFIED_RECIPIENTS]:
            assert user.email is not None
            token = await self._tokens.issue(user.id, user.email, TokenPurpose.PASSWORD_RESET)
            values = {
                "username": user.username,
                "link": link(self._base_url, RESET_PATH, token),
                "expires_minutes": f"{minutes:g}",
            }
            await self._queue_mail(compose(user.email, "password_reset", values))
        return min(len(holders), MAX_UNVERIFIED_RECIPIENTS)


class ResetPassword:
    """Set a new password with a reset token: every session of the account ends, its other reset
    links stop working, its failed-login count is forgotten, and the address the link was mailed
    to counts as verified (following the link proved it)."""

    def __init__(
        self,
        users: UserRepository,
        hasher: PasswordHasher,
        tokens: AccountTokens,
        sessions: Sessions,
        common_passwords: Container[str],
        login_limiter: LoginRateLimiter,
        prove: ProveAddress,
    ) -> None:
        self._users = users
        self._hasher = hasher
        self._tokens = tokens
        self._sessions = sessions
        self._common = common_passwords
        self._login_limiter = login_limiter
        self._prove = prove

    async def __call__(self, token: str, new_password: str) -> None:
        # Checked before the token is used, so a refused password does not cost the link.
        stored = await self._tokens.peek(token, TokenPurpose.PASSWORD_RESET)
        user = await self._users.get(stored.user_id)
        if user is None:
            raise InvalidToken()
        secret = normalize_password(new_password)
        check_password(secret, self._common, user.username, field="new_password")
        password_hash = await self._hasher.hash(secret)
        await self._tokens.redeem(token, TokenPurpose.PASSWORD_RESET)
        await self._users.set_password_hash(user.id, password_hash)
        await self._tokens.discard(user.id, TokenPurpose.PASSWORD_RESET)
        await self._sessions.end_all(user.id)
        await self._login_limiter.forgive(account_of(user.id, user.username))
        if user.email and not user.email_verified and lookup_key(user.email) == lookup_key(stored.email):
            await self._prove(user.id, stored.email)
