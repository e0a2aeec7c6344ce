"""Drops the per-sku product cache entry (`product:{sku}`) kept by the product cache."""

from application.catalog.product_cache import product_key
from application.ports import Cache


class CacheProductInvalidator:
    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    async def invalidate(self, sku: str) -> None:
        await self._cache.delete(product_key(sku))
