"""Which attributes a search counts for its facets: the declared ones and those the catalog suggests.

The catalog's profile is a grouped read of every attribute row (a few hundred milliseconds at
100,000 products), so it is kept for `profile_ttl` seconds whatever the catalog version: a new
attribute becomes a facet within that time, while the counts themselves are always exact. The
declaration is read under the catalog version, which the administrator's change moves.
"""

from dataclasses import dataclass

from application.cached import cached, read_through
from application.ports import Cache
from domain.search.attribute_facets import CatalogProfile, FacetDeclaration, candidates
from domain.search.ports import AttributeCatalog, FacetDeclarationStore


@dataclass(frozen=True)
class FacetPlan:
    names: tuple[str, ...]  # counted for every search
    declared: frozenset[str]  # shown whenever the result has them


class FacetAttributes:
    def __init__(
        self,
        catalog: AttributeCatalog,
        declarations: FacetDeclarationStore,
        cache: Cache,
        profile_ttl: float,
    ) -> None:
        self._catalog = catalog
        self._declarations = declarations
        self._cache = cache
        self._profile_ttl = profile_ttl

    async def __call__(self) -> FacetPlan:
        profile = await read_through(
            self._cache, "search:attribute-profile", self._profile_ttl, CatalogProfile, self._catalog.profile
        )
        declaration = await cached(
            self._cache,
            "search:facet-declaration",
            self._profile_ttl,
            FacetDeclaration,
            self._declarations.get,
        )
        return FacetPlan(
            names=tuple(candidates(profile, declaration)),
            declared=frozenset(declaration.declared) - set(declaration.excluded),
        )
