"""Login, signup and password-change throttling that an attacker cannot turn against a shopper.

Failed logins are counted three ways, in the cache shared by every process:
- per (account, client address): hammering one account from one address blocks that pair;
- per client address: spraying many accounts from one address blocks that address;
- per account: guessing one account's password from many addresses. Past that budget the account
  is refused from every address *except* one it has logged in from before: each successful login
  marks its address as known to that account for `known_address_days`. Spraying from fresh
  addresses is stopped while the owner, at home, still gets in (an attacker who shares the
  owner's address still meets the pair limit).

The account is the user's id when the login names a user, so a username and its email share one
count; otherwise it is the normalised login, so an unknown name is limited exactly as a known one
is (same keys, same 429, same `Retry-After`) and the limits do not tell who exists. A successful
login clears its pair's count; the account's count runs out with its window.

Mail a request can cause is limited too: verification resends per user, password-reset requests
per email address and per client address. The reset limits count every request, for a known
address or not, so a 429 tells nothing about who exists.

Each signup that reaches the password hash counts against its client address, and each wrong
current password in a password change against the user: both cost a bcrypt hash. Counts are
fixed windows (the first attempt starts one); `Retry-After` is what is left of it. A limit of
0 is no limit.
"""

import hashlib
import math

import msgspec

from application.ports import Cache
from domain.identity.errors import TooManyAttempts
from domain.identity.rules import lookup_key

DAY_SECONDS = 24 * 3600


class RateLimits(msgspec.Struct, frozen=True, kw_only=True):
    per_account_address: int = 5
    per_address: int = 50
    per_account: int = 20
    window_seconds: int = 900
    known_address_days: int = 30
    signup_per_address: int = 10
    signup_window_seconds: int = 3600
    password_change_failures: int = 5  # per user per `window_seconds`
    verification_resends: int = 3  # per user per `mail_window_seconds`
    reset_per_email: int = 3  # password-reset requests per address per `mail_window_seconds`
    reset_per_client: int = 20  # per client address per `mail_window_seconds`
    mail_window_seconds: int = 3600


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def account_of(user_id: int | None, login: str) -> str:
    """What the per-account limits count: the user when the login names one, else the name."""
    return f"user:{user_id}" if user_id is not None else f"name:{lookup_key(login)}"


class Budget:
    """At most `limit` events per subject in a fixed window of `window_seconds`; 0: no limit."""

    def __init__(self, cache: Cache, prefix: str, limit: int, window_seconds: int, what: str) -> None:
        self._cache = cache
        self._prefix = prefix
        self._limit = limit
        self._window = window_seconds
        self._what = what

    def key(self, subject: str) -> str:
        return f"{self._prefix}:{_digest(subject)}"

    async def refuse(self, subject: str) -> None:
        """Raise TooManyAttempts with what is left of the subject's window."""
        remaining = await self._cache.ttl(self.key(subject))
        wait = self._window if remaining is None else remaining
        raise TooManyAttempts(max(1, math.ceil(wait)), self._what)

    async def spent(self, subject: str) -> bool:
        if self._limit <= 0:
            return False
        raw = await self._cache.get(self.key(subject))
        return raw is not None and int(raw) >= self._limit

    async def check(self, subject: str) -> None:
        """TooManyAttempts when the subject has used up its budget (nothing is counted)."""
        if await self.spent(subject):
            await self.refuse(subject)

    async def spend(self, subject: str) -> None:
        if self._limit > 0:
            await self._cache.incr(self.key(subject), 1, ttl_seconds=self._window)

    async def take(self, subject: str) -> None:
        """Count one attempt and refuse it past the budget; atomic, so parallel attempts cannot
        slip through together."""
        if self._limit <= 0:
            return
        if await self._cache.incr(self.key(subject), 1, ttl_seconds=self._window) > self._limit:
            await self.refuse(subject)

    async def clear(self, subject: str) -> None:
        await self._cache.delete(self.key(subject))


class LoginRateLimiter:
    def __init__(self, cache: Cache, limits: RateLimits) -> None:
        self._cache = cache
        self._limits = limits
        window = limits.window_seconds
        self._pair = Budget(cache, "login:fail:pair", limits.per_account_address, window, "login attempts")
        self._address = Budget(cache, "login:fail:addr", limits.per_address, window, "login attempts")
        self._account = Budget(cache, "login:fail:acct", limits.per_account, window, "login attempts")

    @staticmethod
    def _pair_of(account: str, address: str) -> str:
        return account + chr(0) + address

    def _known_key(self, account: str, address: str) -> str:
        return f"login:known:{_digest(self._pair_of(account, address))}"

    async def check_address(self, address: str) -> None:
        """Before anything is looked up: an address past its budget costs no database work."""
        await self._address.check(address)

    async def check_account(self, account: str, address: str) -> None:
        await self._pair.check(self._pair_of(account, address))
        if await self._account.spent(account):
            known = await self._cache.get(self._known_key(account, address))
            if known is None:
                await self._account.refuse(account)

    async def failed(self, account: str, address: str) -> None:
        await self._pair.spend(self._pair_of(account, address))
        await self._address.spend(address)
        await self._account.spend(account)

    async def forgive(self, account: str) -> None:
        """Forget the account's failures (its owner just proved themselves another way)."""
        await self._account.clear(account)

    async def succeeded(self, account: str, address: str) -> None:
        await self._pair.clear(self._pair_of(account, address))
        if self._limits.known_address_days > 0:
            ttl = self._limits.known_address_days * DAY_SECONDS
            await self._cache.set(self._known_key(account, address), b"1", ttl)


class SignupRateLimiter:
    def __init__(self, cache: Cache, limits: RateLimits) -> None:
        self._budget = Budget(
            cache, "signup:addr", limits.signup_per_address, limits.signup_window_seconds, "signups"
        )

    async def attempt(self, address: str) -> None:
        await self._budget.take(address)


class PasswordChangeRateLimiter:
    def __init__(self, cache: Cache, limits: RateLimits) -> None:
        self._budget = Budget(
            cache,
            "password:fail:user",
            limits.password_change_failures,
            limits.window_seconds,
            "wrong current passwords",
        )

    async def check(self, user_id: int) -> None:
        await self._budget.check(str(user_id))

    async def failed(self, user_id: int) -> None:
        await self._budget.spend(str(user_id))


class VerificationRateLimiter:
    def __init__(self, cache: Cache, limits: RateLimits) -> None:
        self._budget = Budget(
            cache,
            "verify:resend:user",
            limits.verification_resends,
            limits.mail_window_seconds,
            "verification mails",
        )

    async def attempt(self, user_id: int) -> None:
        await self._budget.take(str(user_id))


class PasswordResetRateLimiter:
    def __init__(self, cache: Cache, limits: RateLimits) -> None:
        window = limits.mail_window_seconds
        what = "password reset requests"
        self._email = Budget(cache, "reset:email", limits.reset_per_email, window, what)
        self._client = Budget(cache, "reset:client", limits.reset_per_client, window, what)

    async def attempt(self, email: str, client_address: str | None) -> None:
        if client_address is not None:
            await self._client.take(client_address)
        await self._email.take(lookup_key(email))
