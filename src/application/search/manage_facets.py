"""Administrators read and replace the facet declaration: attributes always faceted, or never.

A change moves the catalog version, so the next search counts by the new declaration, and is
recorded in the audit log with the whole declaration.
"""

import msgspec

from application.audit.audit_trail import AuditTrail
from application.cached import bump_catalog_version
from application.ports import Cache
from domain.audit.model import FACETS_UPDATE, Actor
from domain.errors import InvalidValue
from domain.search.attribute_facets import FacetDeclaration, discovered
from domain.search.attributes import MAX_NAME
from domain.search.ports import AttributeCatalog, FacetDeclarationStore

MAX_DECLARED = 100  # names in each list


def validated(declaration: FacetDeclaration) -> FacetDeclaration:
    lists = {}
    for field in ("declared", "excluded"):
        names = [n.strip() for n in getattr(declaration, field)]
        if len(names) > MAX_DECLARED:
            raise InvalidValue(f"at most {MAX_DECLARED} attribute names", field=field)
        if any(not n or len(n) > MAX_NAME or not n.isprintable() for n in names):
            raise InvalidValue(f"an attribute name is 1 to {MAX_NAME} printable characters", field=field)
        lists[field] = tuple(dict.fromkeys(names))
    both = set(lists["declared"]) & set(lists["excluded"])
    if both:
        raise InvalidValue(f"declared and excluded at once: {', '.join(sorted(both))}", field="excluded")
    return FacetDeclaration(declared=lists["declared"], excluded=lists["excluded"])


class GetFacetDeclaration:
    """The declaration, and the attributes the catalog suggests now (read fresh, not cached)."""

    def __init__(self, store: FacetDeclarationStore, catalog: AttributeCatalog) -> None:
        self._store = store
        self._catalog = catalog

    async def __call__(self) -> tuple[FacetDeclaration, list[str]]:
        return await self._store.get(), discovered(await self._catalog.profile())


class SetFacetDeclaration:
    def __init__(self, store: FacetDeclarationStore, cache: Cache, audit: AuditTrail) -> None:
        self._store = store
        self._cache = cache
        self._audit = audit

    async def __call__(self, declaration: FacetDeclaration, *, actor: Actor) -> FacetDeclaration:
        declaration = validated(declaration)
        await self._store.put(declaration)
        await bump_catalog_version(self._cache)
        await self._audit.record(actor, FACETS_UPDATE, "facets", msgspec.to_builtins(declaration))
        return declaration
