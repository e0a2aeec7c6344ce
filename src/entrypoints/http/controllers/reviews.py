"""A product's reviews: logged-in users read them and write or remove their own."""

from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, put
from litestar.di import NamedDependency
from litestar.params import Body, FromPath, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.reviews.manage_reviews import DeleteReview, ListReviews, PutReview
from domain.catalog.errors import ProductNotFound
from domain.identity.errors import EmailUnverified, NotAuthenticated
from domain.reviews.errors import InvalidReview, ReviewNotFound
from domain.reviews.model import Review
from entrypoints.http.access import require_user
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import PERSON, scope
from entrypoints.http.schemas import ReviewsOut
from entrypoints.http.visitor import Visitor


class ReviewIn(msgspec.Struct):
    rating: Annotated[int, msgspec.Meta(ge=1, le=5)]
    comment: str | None = None


class ReviewsController(Controller):
    opt = scope(PERSON)
    path = "/api/products/{sku:str}/reviews"
    tags = ["reviews"]  # noqa: RUF012
    dependencies = from_container("list_reviews", "put_review", "delete_review")

    @get(
        "/",
        summary="A product's reviews, newest first",
        responses=error_responses(NotAuthenticated, ProductNotFound),
    )
    async def show(
        self,
        visitor: NamedDependency[Visitor],
        list_reviews: NamedDependency[ListReviews],
        sku: FromPath[str],
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
    ) -> ReviewsOut:
        require_user(visitor)
        page = await list_reviews(sku, limit, offset)
        return ReviewsOut(reviews=page.reviews, total=page.total, average=page.average)

    @put(
        "/",
        summary="Write or replace your review",
        responses=error_responses(NotAuthenticated, EmailUnverified, InvalidReview, ProductNotFound),
    )
    async def write(
        self,
        visitor: NamedDependency[Visitor],
        put_review: NamedDependency[PutReview],
        sku: FromPath[str],
        data: Annotated[ReviewIn, Body()],
    ) -> Review:
        user = require_user(visitor)
        return await put_review(user, sku, data.rating, data.comment)

    @delete(
        "/",
        summary="Remove your review",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(NotAuthenticated, ProductNotFound, ReviewNotFound),
    )
    async def remove(
        self,
        visitor: NamedDependency[Visitor],
        delete_review: NamedDependency[DeleteReview],
        sku: FromPath[str],
    ) -> Response[None]:
        user = require_user(visitor)
        await delete_review(user.id, sku)
        return Response(None, status_code=HTTP_204_NO_CONTENT)
