"""Search, suggestions, product pages and categories."""

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter

from application.catalog.manage_products import ListCategories
from application.events.record_events import RecordImpression
from application.recommendations.recommend_products import ViewProduct
from application.search.dto import SearchRequest
from application.search.search_products import SearchProducts
from application.search.suggest_completions import SuggestCompletions
from domain.apikeys.model import SEARCH
from domain.catalog.errors import ProductNotFound
from domain.search.errors import InvalidQuery
from domain.search.sorting import SortKey
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import scope
from entrypoints.http.schemas import (
    CategoriesOut,
    ProductOut,
    SearchOut,
    SuggestOut,
    product_out,
    search_out,
)
from entrypoints.http.visitor import Visitor, visitor_ref


class CatalogController(Controller):
    opt = scope(SEARCH)
    path = "/api"
    tags = ["catalog"]  # noqa: RUF012
    dependencies = from_container(
        "search_products", "record_impression", "suggest", "view_product", "list_categories"
    )

    @get("/search", summary="Search the catalog", responses=error_responses(InvalidQuery))
    async def search(
        self,
        search_products: NamedDependency[SearchProducts],
        record_impression: NamedDependency[RecordImpression],
        visitor: NamedDependency[Visitor],
        q: FromQuery[str] = "",
        category: FromQuery[str | None] = None,
        brand: FromQuery[str | None] = None,
        min_price: FromQuery[float | None] = None,
        max_price: FromQuery[float | None] = None,
        min_rating: FromQuery[float | None] = None,
        sort: FromQuery[SortKey | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=100)] = 12,
    ) -> SearchOut:
        who = visitor_ref(visitor)
        result = await search_products(
            SearchRequest(
                q=q,
                category=category or None,
                brand=brand or None,
                min_price=min_price,
                max_price=max_price,
                min_rating=min_rating,
                sort=sort,
                page=page,
                per_page=per_page,
                visitor_id=who.visitor_id,
                arm=who.arm,
            )
        )
        # Cached answers too: each carries a fresh search id, and each page served is an impression.
        await record_impression(result, who)
        return search_out(result)

    @get("/suggest", summary="As-you-type completions", responses=error_responses())
    async def suggest_completions(
        self,
        suggest: NamedDependency[SuggestCompletions],
        q: FromQuery[str] = "",
        limit: Annotated[int, QueryParameter(ge=1, le=20)] = 8,
    ) -> SuggestOut:
        return SuggestOut(suggestions=await suggest(q, limit))

    @get(
        "/products/{sku:str}",
        summary="One product (remembered as viewed for a logged-in user)",
        responses=error_responses(ProductNotFound),
    )
    async def product(
        self,
        visitor: NamedDependency[Visitor],
        view_product: NamedDependency[ViewProduct],
        sku: FromPath[str],
    ) -> ProductOut:
        return product_out(await view_product(sku, visitor.user.id if visitor.user else None))

    @get("/categories", summary="Categories with product counts", responses=error_responses(malformed=False))
    async def categories(self, list_categories: NamedDependency[ListCategories]) -> CategoriesOut:
        return CategoriesOut(categories=await list_categories())
