"""Users' reviews of products."""

from datetime import datetime

import msgspec


class Review(msgspec.Struct, frozen=True, kw_only=True):
    username: str
    rating: int
    comment: str
    created_at: datetime


class ReviewPage(msgspec.Struct, frozen=True, kw_only=True):
    reviews: list[Review]
    # Over all of the product's user reviews, not only this page.
    total: int
    average: float | None
