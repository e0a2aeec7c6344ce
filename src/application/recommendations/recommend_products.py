"""Reading a product (remembered for a logged-in user) and recommending products."""

from application.catalog.manage_products import GetProduct
from application.ports import Clock
from application.search.shopper_context import ShopperContext
from domain.catalog.model import Product
from domain.experiments.assignment import user_visitor_id
from domain.experiments.model import PERSONALIZED_ARM
from domain.ranking.model import ScoredProduct
from domain.ranking.ports import Ranker
from domain.recommendations.model import Recommendations
from domain.recommendations.ports import PopularProducts, ShopperHistory, ViewHistory
from domain.recommendations.rules import RECENT_KEPT, check_limit, diversify, interests, ranked

TOP_CATEGORIES = 5
TOP_BRANDS = 5


class ViewProduct:
    def __init__(self, get_product: GetProduct, views: ViewHistory, clock: Clock) -> None:
        self._get_product = get_product
        self._views = views
        self._clock = clock

    async def __call__(self, sku: str, user_id: int | None = None) -> Product:
        product = await self._get_product(sku)
        if user_id is not None:
            await self._views.record(user_id, sku, self._clock.now(), RECENT_KEPT)
        return product


class Recommend:
    """Candidates from the shopper's liked categories and brands; with a ranker, ordered by it (the
    learned model and the shopper's profile) before the round-robin over categories."""

    def __init__(
        self,
        views: ViewHistory,
        history: ShopperHistory,
        popular: PopularProducts,
        ranker: Ranker | None = None,
        shopper_context: ShopperContext | None = None,
    ) -> None:
        self._views = views
        self._history = history
        self._popular = popular
        self._ranker = ranker
        self._shopper_context = shopper_context

    async def __call__(self, user_id: int | None, limit: int = 10) -> Recommendations:
        check_limit(limit)
        if user_id is None:
            return Recommendations(recently_viewed=[], recommended=await self._popular.popular(limit))
        recent = await self._views.recent(user_id, limit)
        exclude = {p.sku for p in recent} | await self._history.owned_skus(user_id)
        categories, brands = interests(await self._history.signals(user_id))
        picked: list[Product] = []
        if categories or brands:
            per_group = limit * 2
            candidates = await self._popular.popular_per_category(
                ranked(categories, TOP_CATEGORIES), per_group, exclude
            )
            top_brands = ranked(brands, TOP_BRANDS)
            if top_brands:
                candidates += await self._popular.popular(per_group, exclude, brands=top_brands)
            if self._ranker is not None and self._shopper_context is not None:
                context = await self._shopper_context.for_visitor(user_visitor_id(user_id), PERSONALIZED_ARM)
                scored = self._ranker.rank([ScoredProduct(product=p) for p in candidates], context)
                # The model's order replaces popularity-then-brand within each category.
                picked = diversify([r.product for r in scored], categories, {}, exclude, limit)
            else:
                picked = diversify(candidates, categories, brands, exclude, limit)
        if len(picked) < limit:  # no history, or not enough of it: fill with what is popular
            taken = exclude | {p.sku for p in picked}
            picked += await self._popular.popular(limit - len(picked), taken)
        return Recommendations(recently_viewed=recent, recommended=picked)
