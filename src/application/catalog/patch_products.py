"""Partial updates by sku (price and stock changes from a shop's own systems), applied at once.

Each line is `{sku, ...fields}` with any field of the import format (other keys are attributes,
such as `stock`). A line is applied whole or not at all: an unknown sku or a bad value rejects
the line, naming the field; the accepted lines are written together in one transaction.
"""

from collections.abc import Sequence

import msgspec

from application.audit.audit_trail import AuditTrail
from application.cached import bump_catalog_version
from application.catalog.import_catalog import ImportItem, RejectedRow
from application.catalog.product_cache import ProductCache
from application.ports import Cache, Clock
from domain.audit.model import CATALOG_PATCH, Actor
from domain.catalog.errors import InvalidProduct
from domain.catalog.model import Product
from domain.catalog.ports import ProductRepository
from domain.catalog.rules import merge_update
from domain.errors import InvalidValue

MAX_PATCH_LINES = 1000


class PatchRejection(msgspec.Struct, frozen=True):
    line: int
    field: str
    reason: str


class PatchReport(msgspec.Struct, frozen=True):
    updated: int  # products whose lines were all applied
    unchanged: int  # of those, already stored exactly so
    rejected: list[PatchRejection]


class PatchProducts:
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

    async def __call__(self, items: Sequence[ImportItem], *, actor: Actor) -> PatchReport:
        if len(items) > MAX_PATCH_LINES:
            raise InvalidValue(f"at most {MAX_PATCH_LINES} lines a request", field="body")
        if not items:
            raise InvalidValue("the body holds no JSON lines", field="body")
        rejected: list[PatchRejection] = []
        patched: dict[str, Product] = {}
        now = self._clock.now()
        for item in items:
            if isinstance(item, RejectedRow):
                rejected.extend(_rejections(item.line, item.errors))
                continue
            line, row = item
            sku = row.get("sku")
            if not isinstance(sku, str) or not sku.strip():
                rejected.append(PatchRejection(line, "sku", "is required (a string)"))
                continue
            sku = " ".join(sku.split())
            current = patched.get(sku) or await self._products.get(sku)
            if current is None:
                rejected.append(PatchRejection(line, "sku", "no product has this sku"))
                continue
            try:
                patched[sku] = merge_update(current, {k: v for k, v in row.items() if k != "sku"}, now)
            except InvalidProduct as exc:
                rejected.extend(_rejections(line, exc.errors))
        unchanged = 0
        if patched:
            result = await self._products.upsert_many(list(patched.values()))
            unchanged = result.unchanged
            for sku in patched:
                await self._product_cache.invalidate(sku)
            if result.inserted or result.updated:
                await bump_catalog_version(self._cache)
            details = {"updated": len(patched), "unchanged": unchanged, "rejected_lines": len(rejected)}
            await self._audit.record(actor, CATALOG_PATCH, "products", details)
        return PatchReport(updated=len(patched), unchanged=unchanged, rejected=rejected)


def _rejections(line: int, errors: dict[str, str]) -> list[PatchRejection]:
    return [PatchRejection(line, field, reason) for field, reason in errors.items()]
