"""Reading and editing single products; every write moves the catalog version.

Administrators' writes are recorded in the audit log once they have succeeded (a refused create
or an update of an unknown product changed nothing, so it is not recorded).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from application.audit.audit_trail import AuditTrail
from application.cached import bump_catalog_version, cached
from application.catalog.product_cache import ProductCache
from application.ports import Cache, Clock
from domain.audit.model import PRODUCT_CREATE, PRODUCT_DELETE, PRODUCT_UPDATE, Actor
from domain.catalog.errors import ProductExists, ProductNotFound
from domain.catalog.model import CategoryCount, Product
from domain.catalog.ports import ProductRepository
from domain.catalog.rules import merge_update, product_from_row

# Counting every category scans the catalog (0.1 s at a million products). Writes through this
# process move the catalog version and so refresh it at once; the TTL bounds how long a write
# made by another process without a shared cache (a CLI import next to a server on SQLite) waits.
CATEGORIES_TTL = 600.0


class GetProduct:
    """Read through the per-product cache; unknown skus are not cached (they cost one query)."""

    def __init__(self, products: ProductRepository, product_cache: ProductCache) -> None:
        self._products = products
        self._product_cache = product_cache

    async def __call__(self, sku: str) -> Product:
        product = await self._product_cache.get(sku)
        if product is not None:
            return product
        product = await self._products.get(sku)
        if product is None:
            raise ProductNotFound(sku)
        await self._product_cache.put(product)
        return product


class ListCategories:
    def __init__(self, products: ProductRepository, cache: Cache) -> None:
        self._products = products
        self._cache = cache

    async def __call__(self) -> list[CategoryCount]:
        return await cached(
            self._cache, "catalog:categories", CATEGORIES_TTL, list[CategoryCount], self._products.categories
        )


class CreateProduct:
    def __init__(self, products: ProductRepository, cache: Cache, clock: Clock, audit: AuditTrail) -> None:
        self._products = products
        self._cache = cache
        self._clock = clock
        self._audit = audit

    async def __call__(self, fields: Mapping[str, Any], *, actor: Actor) -> Product:
        product = product_from_row(fields, self._clock.now())
        if await self._products.get(product.sku) is not None:
            raise ProductExists(product.sku)
        await self._products.upsert_many([product])
        await bump_catalog_version(self._cache)
        await self._audit.record(actor, PRODUCT_CREATE, product.sku)
        return product


class UpdateProduct:
    def __init__(
        self,
        products: ProductRepository,
        cache: Cache,
        clock: Clock,
        product_cache: ProductCache,
        audit: AuditTrail,
    ) -> None:
        self._products = products
        self._cache = cache
        self._clock = clock
        self._product_cache = product_cache
        self._audit = audit

    async def __call__(self, sku: str, changes: Mapping[str, Any], *, actor: Actor) -> Product:
        current = await self._products.get(sku)
        if current is None:
            raise ProductNotFound(sku)
        product = merge_update(current, changes, self._clock.now())
        await self._products.upsert_many([product])
        await self._product_cache.invalidate(sku)
        await bump_catalog_version(self._cache)
        # The names of the fields sent, not their values: a description can be long.
        await self._audit.record(actor, PRODUCT_UPDATE, sku, {"fields": sorted(changes)})
        # Read back: the shown rating blends the edited catalog figures with users' reviews.
        return await self._products.get(sku) or product


class DeleteProduct:
    def __init__(
        self, products: ProductRepository, cache: Cache, product_cache: ProductCache, audit: AuditTrail
    ) -> None:
        self._products = products
        self._cache = cache
        self._product_cache = product_cache
        self._audit = audit

    async def __call__(self, sku: str, *, actor: Actor) -> None:
        if not await remove_products(self._products, self._cache, self._product_cache, [sku]):
            raise ProductNotFound(sku)
        await self._audit.record(actor, PRODUCT_DELETE, sku)


async def remove_products(
    products: ProductRepository, cache: Cache, product_cache: ProductCache, skus: Iterable[str]
) -> int:
    """Delete products the one consistent way (row and search statistics, the product's cache
    entry, then the catalog version once); answers how many were there to delete."""
    removed = 0
    for sku in skus:
        if await products.delete(sku):
            await product_cache.invalidate(sku)
            removed += 1
    if removed:
        await bump_catalog_version(cache)
    return removed
