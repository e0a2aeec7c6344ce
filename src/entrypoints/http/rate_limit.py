"""Per-client request limits on the read endpoints anyone can hammer (search and suggest).

Litestar's rate-limit middleware counts each client's requests in a store named `rate_limit`:
Redis when REDIS_URL is set (so the limit holds across processes and hosts), the process's
memory otherwise. The count is a cache: if Redis fails the request goes through uncounted rather
than failing the search.
"""

import logging
from datetime import timedelta
from typing import Any, Final

from litestar import Request
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from redis.exceptions import RedisError

from entrypoints.http.visitor import client_address
from entrypoints.settings import Settings

log = logging.getLogger("ecomsearch.http")

STORE_NAME: Final = "rate_limit"
# The paths under the search limit: one budget per client for both.
LIMITED_PATHS: Final = frozenset({"/api/search", "/api/suggest"})


class FailOpenStore(Store):
    """A store whose failures count as 'nothing stored': a limit's store must not take search down."""

    def __init__(self, inner: Store) -> None:
        self._inner = inner

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        try:
            await self._inner.set(key, value, expires_in)
        except (RedisError, OSError) as exc:
            log.warning("rate-limit store unavailable: %s", exc.__class__.__name__)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        try:
            return await self._inner.get(key, renew_for)
        except (RedisError, OSError) as exc:
            log.warning("rate-limit store unavailable: %s", exc.__class__.__name__)
            return None

    async def delete(self, key: str) -> None:
        await self._inner.delete(key)

    async def delete_all(self) -> None:
        await self._inner.delete_all()

    async def exists(self, key: str) -> bool:
        return await self._inner.exists(key)

    async def expires_in(self, key: str) -> int | None:
        return await self._inner.expires_in(key)

    async def __aexit__(self, *args: Any) -> None:
        await self._inner.__aexit__(*args)


def rate_limit_store(settings: Settings) -> Store:
    if settings.redis_url:
        return FailOpenStore(
            RedisStore.with_client(url=settings.redis_url, namespace="ecomsearch:rate_limit")
        )
    return MemoryStore()


def search_rate_limit(settings: Settings) -> RateLimitConfig | None:
    """SEARCH_RATE_LIMIT requests a minute per client address over search and suggest; None when 0."""
    if settings.search_rate_limit <= 0:
        return None

    def identify(request: Request[Any, Any, Any]) -> str:
        return "search:" + client_address(request, settings.trust_forwarded_for)

    async def limited(request: Request[Any, Any, Any]) -> bool:
        return request.url.path.rstrip("/") in LIMITED_PATHS

    return RateLimitConfig(
        rate_limit=("minute", settings.search_rate_limit),
        identifier_for_request=identify,
        check_throttle_handler=limited,
        store=STORE_NAME,
    )
