"""Curation rules applied to a search's ranked matches, after ranking, the same in every arm.

Pins sit at absolute positions and hidden items leave gaps the next items fill, so a page cannot be
curated alone: when rules apply, the retrieval is asked for the ranked prefix up to the page's end
plus one item per hidden or pinned sku, and at least the first `WINDOW` items (so every page is
boosted and counted alike); the rules are applied to that prefix, and the page is cut from it.
`total` leaves out the hidden items among the first `WINDOW` matches and counts the pinned items
that are not among them (a pinned item that is a match ranked further down is counted twice).

Bound: the prefix is read for pages ending within `MAX_CURATED` positions. A deeper page is served
as ranked with the hidden and pinned skus taken out (they never show twice nor when hidden), and may
be a few items short.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

import msgspec

from application.ports import Clock
from application.search.dto import SearchRequest
from application.search.retrieval import Outcome, PageSpec
from domain.catalog.ports import ProductRepository
from domain.ranking.model import RankedProduct
from domain.search.curation import WINDOW, Curation, matching, within
from domain.search.model import SearchFilters
from domain.search.rules import Rule

MAX_CURATED = 1000


@dataclass(frozen=True)
class Curated:
    items: list[RankedProduct]  # the asked page
    pinned: set[str]  # skus placed by a pin
    total: int
    reachable: int


class Curator:
    def __init__(
        self, rules: Callable[[], Awaitable[list[Rule]]], products: ProductRepository, clock: Clock
    ) -> None:
        self._rules = rules
        self._products = products
        self._clock = clock

    async def matching(self, request: SearchRequest) -> Curation | None:
        """What the live rules triggered by this request do together; None when none is."""
        found = matching(await self._rules(), request.q, request.category, self._clock.now())
        return Curation(found) if found else None

    @staticmethod
    def _deep(request: SearchRequest, curation: Curation) -> bool:
        return request.page * request.per_page + curation.reach > MAX_CURATED

    def prefix(self, page: PageSpec, curation: Curation) -> PageSpec:
        """The page to ask the retrieval for: the ranked prefix the rules need (see the module)."""
        request = page.request
        if self._deep(request, curation):
            return page
        end = request.page * request.per_page + curation.reach
        wanted = max(end, WINDOW)
        return replace(page, request=msgspec.structs.replace(request, page=1, per_page=wanted))

    async def __call__(self, outcome: Outcome, request: SearchRequest, curation: Curation) -> Curated:
        hidden, pinned = curation.hidden, curation.pinned
        if self._deep(request, curation):
            items = [r for r in outcome.items if r.product.sku not in hidden | pinned]
            return Curated(items, set(), outcome.total, outcome.reachable)
        ranked = {r.product.sku: r for r in outcome.items}
        placed = {sku: ranked[sku] for sku in pinned if sku in ranked}
        missing = [sku for sku in sorted(pinned) if sku not in ranked]
        asked = SearchFilters(
            category=request.category,
            brand=request.brand,
            min_price=request.min_price,
            max_price=request.max_price,
            min_rating=request.min_rating,
            attributes=request.attributes,
        )
        if missing:
            for sku, product in (await self._products.get_many(missing)).items():
                # A pin never breaks the shopper's own filters: a brand filter shows that brand only.
                if within(product, asked):
                    placed[sku] = RankedProduct(product=product, score=0.0)
        curated = curation.apply(outcome.items, lambda r: r.product, placed)
        offset = (request.page - 1) * request.per_page
        head = {r.product.sku for r in outcome.items[:WINDOW]}  # the same prefix for every page
        dropped = sum(1 for sku in hidden if sku in head)
        added = sum(1 for sku in placed if sku not in head)
        return Curated(
            curated[offset : offset + request.per_page],
            set(placed),
            max(outcome.total - dropped + added, 0),
            max(outcome.reachable - dropped + added, 0),
        )
