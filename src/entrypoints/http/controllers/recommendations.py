"""Recently viewed and recommended products; anonymous visitors get popular ones."""

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from application.recommendations.recommend_products import Recommend
from domain.apikeys.model import SEARCH
from domain.recommendations.errors import InvalidLimit
from domain.recommendations.rules import MAX_LIMIT
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import scope
from entrypoints.http.schemas import RecommendationsOut, product_out
from entrypoints.http.visitor import Visitor


class RecommendationsController(Controller):
    opt = scope(SEARCH)
    path = "/api/recommendations"
    tags = ["recommendations"]  # noqa: RUF012
    dependencies = from_container("recommend")

    @get("/", summary="Recently viewed and recommended products", responses=error_responses(InvalidLimit))
    async def show(
        self,
        visitor: NamedDependency[Visitor],
        recommend: NamedDependency[Recommend],
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 10,
    ) -> RecommendationsOut:
        found = await recommend(visitor.user.id if visitor.user else None, limit)
        return RecommendationsOut(
            recently_viewed=[product_out(p) for p in found.recently_viewed],
            recommended=[product_out(p) for p in found.recommended],
        )
