"""Login throttling that an attacker cannot turn against a real shopper.

Failures are counted per (account, client address) pair and per client address, never per
account alone: hammering one account from one address blocks that pair (and, past a larger
budget, that address), while the owner logging in from their own address is not affected.
A successful login clears its pair's count.
"""

import hashlib
import math

import msgspec

from application.ports import Cache
from domain.identity.errors import TooManyAttempts
from domain.identity.rules import lookup_key


class RateLimits(msgspec.Struct, frozen=True, kw_only=True):
    per_account_address: int = 5
    per_address: int = 50
    window_seconds: int = 900


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class LoginRateLimiter:
    def __init__(self, cache: Cache, limits: RateLimits) -> None:
        self._cache = cache
        self._limits = limits

    def _keys(self, login: str, address: str) -> tuple[str, str]:
        pair = f"login:fail:pair:{_digest(lookup_key(login) + chr(0) + address)}"
        return pair, f"login:fail:addr:{_digest(address)}"

    async def check(self, login: str, address: str) -> None:
        pair, addr = self._keys(login, address)
        for key, limit in ((pair, self._limits.per_account_address), (addr, self._limits.per_address)):
            raw = await self._cache.get(key)
            if raw is not None and int(raw) >= limit:
                remaining = await self._cache.ttl(key)
                wait = self._limits.window_seconds if remaining is None else remaining
                raise TooManyAttempts(max(1, math.ceil(wait)))

    async def failed(self, login: str, address: str) -> None:
        for key in self._keys(login, address):
            await self._cache.incr(key, 1, ttl_seconds=self._limits.window_seconds)

    async def succeeded(self, login: str, address: str) -> None:
        await self._cache.delete(self._keys(login, address)[0])
