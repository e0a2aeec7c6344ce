"""Who a presented API key is, and whether it may make one more request now.

A key's record is cached for a short while in the cache every process shares (Redis), and a
revocation deletes that copy, so a revoked key is refused at its next request in any process.
Without Redis (`cache` None) each request reads the database: the command line's `apikey revoke`
runs in another process and could not reach an in-process copy.

`last_used_at` is written at most once a minute per key: a busy key must not cost a write a
request. The per-key limit counts requests in fixed one-minute windows in the shared counter
cache and, like the other limits, fails open when that cache is down.
"""

import logging
import math
from datetime import datetime, timedelta

import msgspec

from application.apikeys.secrets import secret_matches
from application.ports import Cache, Clock
from domain.apikeys.errors import InvalidApiKey, KeyRateLimited
from domain.apikeys.model import ApiKey
from domain.apikeys.ports import ApiKeyStore
from domain.apikeys.rules import split_key

log = logging.getLogger(__name__)

CACHE_SECONDS = 30.0
TOUCH_EVERY = timedelta(minutes=1)
WINDOW_SECONDS = 60


def cache_key(prefix: str) -> str:
    return f"apikey:{prefix}"


async def forget_cached(cache: Cache | None, prefix: str) -> None:
    if cache is not None:
        await cache.delete(cache_key(prefix))


class ApiKeys:
    def __init__(
        self,
        store: ApiKeyStore,
        records: Cache | None,
        counters: Cache,
        clock: Clock,
        default_rate_limit: int,
    ) -> None:
        self._store = store
        self._records = records
        self._counters = counters
        self._clock = clock
        self._default_limit = default_rate_limit

    async def resolve(self, presented: str) -> ApiKey:
        """The key, or InvalidApiKey for a malformed, unknown, revoked or expired one."""
        parts = split_key(presented)
        if parts is None:
            raise InvalidApiKey()
        prefix, secret = parts
        key = await self._load(prefix)
        now = self._clock.now()
        if key is None or not secret_matches(secret, key.secret_hash) or not key.usable(now):
            raise InvalidApiKey()
        if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY:
            await self._touch(key, now)
        return key

    async def admit(self, key: ApiKey) -> None:
        """Count one request of the key; KeyRateLimited past its budget for this minute."""
        limit = self._default_limit if key.rate_limit is None else key.rate_limit
        if limit <= 0:
            return
        counter = f"apikey:rate:{key.id}"
        try:
            count = await self._counters.incr(counter, 1, ttl_seconds=WINDOW_SECONDS)
            if count <= limit:
                return
            remaining = await self._counters.ttl(counter)
        except Exception as exc:
            log.warning("API key rate limit not checked (%s)", exc.__class__.__name__)
            return
        wait = WINDOW_SECONDS if remaining is None else remaining
        raise KeyRateLimited(max(1, math.ceil(wait)))

    async def _load(self, prefix: str) -> ApiKey | None:
        if self._records is not None:
            raw = await self._records.get(cache_key(prefix))
            if raw is not None:
                try:
                    return msgspec.msgpack.decode(raw, type=ApiKey)
                except msgspec.DecodeError:
                    await self._records.delete(cache_key(prefix))
        key = await self._store.by_prefix(prefix)
        if key is not None and self._records is not None:
            await self._records.set(cache_key(prefix), msgspec.msgpack.encode(key), CACHE_SECONDS)
        return key

    async def _touch(self, key: ApiKey, now: datetime) -> None:
        # One process writes per key and minute; the others see the gate taken.
        gate = f"apikey:touch:{key.id}"
        try:
            first = await self._counters.incr(gate, 1, ttl_seconds=TOUCH_EVERY.total_seconds()) == 1
        except Exception:
            first = True
        if not first:
            return
        await self._store.touch(key.id, now)
        await forget_cached(self._records, key.prefix)
