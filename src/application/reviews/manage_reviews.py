"""Reading, writing and removing reviews; the product's rating follows in the same transaction."""

from typing import Any

from application.ports import Clock, ProductInvalidator
from domain.catalog.errors import ProductNotFound
from domain.identity.errors import EmailUnverified
from domain.identity.model import User
from domain.reviews.errors import ReviewNotFound
from domain.reviews.model import Review, ReviewPage
from domain.reviews.ports import ReviewRepository
from domain.reviews.rules import check_review

MAX_PAGE = 100


class ListReviews:
    def __init__(self, reviews: ReviewRepository) -> None:
        self._reviews = reviews

    async def __call__(self, sku: str, limit: int = 50, offset: int = 0) -> ReviewPage:
        page = await self._reviews.page(sku, max(1, min(limit, MAX_PAGE)), max(0, offset))
        if page is None:
            raise ProductNotFound(sku)
        return page


class PutReview:
    """Writes a review; only an account with a verified email may, unless `unverified_may_review`
    (an account without an email counts as unverified: it could sign up again for every review)."""

    def __init__(
        self,
        reviews: ReviewRepository,
        invalidator: ProductInvalidator,
        clock: Clock,
        unverified_may_review: bool = False,
    ) -> None:
        self._reviews = reviews
        self._invalidator = invalidator
        self._clock = clock
        self._unverified_may_review = unverified_may_review

    async def __call__(self, author: User, sku: str, rating: Any, comment: Any = None) -> Review:
        stars, text = check_review(rating, comment)
        if not (author.email_verified or self._unverified_may_review):
            raise EmailUnverified("write reviews")
        review = await self._reviews.put(author.id, sku, stars, text, self._clock.now())
        if review is None:
            raise ProductNotFound(sku)
        await self._invalidator.invalidate(sku)
        return review


class DeleteReview:
    def __init__(self, reviews: ReviewRepository, invalidator: ProductInvalidator) -> None:
        self._reviews = reviews
        self._invalidator = invalidator

    async def __call__(self, user_id: int, sku: str) -> None:
        removed = await self._reviews.delete(user_id, sku)
        if removed is None:
            raise ProductNotFound(sku)
        if not removed:
            raise ReviewNotFound(sku)
        await self._invalidator.invalidate(sku)
