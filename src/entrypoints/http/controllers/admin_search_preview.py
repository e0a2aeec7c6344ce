"""Administrators preview a query: the results shoppers get, beside those without the rules or
synonyms. Nothing is logged, and the shoppers' result cache never holds the "without" answer."""

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from application.search.dto import SearchRequest
from application.search.preview_search import PreviewSearch, Without
from domain.identity.errors import NotAdmin, NotAuthenticated
from domain.search.attributes import parse_attribute_filters
from domain.search.errors import InvalidQuery
from domain.search.sorting import SortKey
from entrypoints.http.access import require_admin
from entrypoints.http.controllers.catalog import SEARCH_DESCRIPTION
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.query_pairs import query_pairs
from entrypoints.http.schemas import SearchOut, search_out
from entrypoints.http.visitor import Visitor


class SearchPreviewOut(msgspec.Struct):
    # What an anonymous shopper of the control arm gets (from the result cache when it holds it).
    with_: SearchOut = msgspec.field(name="with")
    # The same search with the rules and/or synonyms turned off, computed afresh.
    without: SearchOut


class AdminSearchPreviewController(Controller):
    path = "/api/admin/search"
    tags = ["administration"]  # noqa: RUF012
    dependencies = from_container("preview_search")

    @get(
        "/preview",
        summary="A query's results with and without the curation rules and/or synonyms (logs nothing)",
        description=SEARCH_DESCRIPTION,
        opt={"scope": "admin"},
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidQuery),
    )
    async def preview(  # the parameters of GET /api/search, and `without`
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        preview_search: NamedDependency[PreviewSearch],
        q: FromQuery[str] = "",
        category: FromQuery[str | None] = None,
        brand: FromQuery[str | None] = None,
        min_price: FromQuery[float | None] = None,
        max_price: FromQuery[float | None] = None,
        min_rating: FromQuery[float | None] = None,
        sort: FromQuery[SortKey | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=100)] = 12,
        without: Annotated[
            Without, QueryParameter(description="What the second result leaves out: rules, synonyms or both")
        ] = "both",
    ) -> SearchPreviewOut:
        require_admin(visitor)
        preview = await preview_search(
            SearchRequest(
                q=q,
                category=category or None,
                brand=brand or None,
                min_price=min_price,
                max_price=max_price,
                min_rating=min_rating,
                attributes=parse_attribute_filters(query_pairs(request)),
                sort=sort,
                page=page,
                per_page=per_page,
            ),
            without,
        )
        return SearchPreviewOut(with_=search_out(preview.with_), without=search_out(preview.without))
