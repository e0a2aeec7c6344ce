"""One cache entry per product page (`product:{sku}`), dropped whenever that product changes.

Popularity changes with every click, so the entry is deleted by key on each change rather than
left to expire; the TTL only bounds how long a write made elsewhere (an import) can go unseen.
"""

import msgspec

from application.ports import Cache
from domain.catalog.model import Product

PRODUCT_TTL = 300.0


def product_key(sku: str) -> str:
    return f"product:{sku}"


class ProductCache:
    def __init__(self, cache: Cache, ttl_seconds: float = PRODUCT_TTL) -> None:
        self._cache = cache
        self._ttl = ttl_seconds

    async def get(self, sku: str) -> Product | None:
        raw = await self._cache.get(product_key(sku))
        if raw is None:
            return None
        try:
            return msgspec.msgpack.decode(raw, type=Product)
        except (msgspec.DecodeError, msgspec.ValidationError):
            await self._cache.delete(product_key(sku))
            return None

    async def put(self, product: Product) -> None:
        await self._cache.set(product_key(product.sku), msgspec.msgpack.encode(product), self._ttl)

    async def invalidate(self, sku: str) -> None:
        await self._cache.delete(product_key(sku))
