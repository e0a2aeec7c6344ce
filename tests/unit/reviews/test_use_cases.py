"""Review use cases: the blend, and the cached product dropped on a change."""

import pytest

from application.reviews.manage_reviews import DeleteReview, ListReviews, PutReview
from domain.catalog.errors import ProductNotFound
from domain.identity.errors import EmailUnverified
from domain.identity.model import User
from domain.reviews.errors import InvalidReview, ReviewNotFound
from tests.unit.fakes import FakeClock
from tests.unit.shop_fakes import ANN, BOB, catalog
from tests.unit.shopper_fakes import (
    InMemoryReviews,
    RecordingInvalidator,
)


def author(user_id: int, verified: bool = True, email: str | None = "someone@example.com") -> User:
    return User(
        id=user_id,
        username=f"user{user_id}",
        email=email,
        is_admin=False,
        created_at=FakeClock().now(),
        email_verified=verified,
    )


async def test_an_unverified_account_may_not_review_unless_the_setting_allows() -> None:
    products = catalog()
    reviews = InMemoryReviews(products, {ANN: "ann", BOB: "bob"})
    invalidator = RecordingInvalidator()
    strict = PutReview(reviews, invalidator, FakeClock())
    for unverified in (author(ANN, verified=False), author(ANN, verified=False, email=None)):
        with pytest.raises(EmailUnverified) as caught:
            await strict(unverified, "EAR", 4)
        assert caught.value.code == "email_unverified"
    assert (await ListReviews(reviews)("EAR")).total == 0 and invalidator.invalidated == []
    lenient = PutReview(reviews, invalidator, FakeClock(), unverified_may_review=True)
    await lenient(author(BOB, verified=False, email=None), "EAR", 4)
    assert (await ListReviews(reviews)("EAR")).total == 1


async def test_reviews_blend_and_invalidate_the_cached_product() -> None:
    products = catalog()
    reviews = InMemoryReviews(products, {ANN: "ann", BOB: "bob"})
    invalidator = RecordingInvalidator()
    put = PutReview(reviews, invalidator, FakeClock())
    remove = DeleteReview(reviews, invalidator)
    listing = ListReviews(reviews)
    review = await put(author(ANN), "EAR", 1, " meh ")
    assert (review.username, review.rating, review.comment) == ("ann", 1, "meh")
    await put(author(BOB), "EAR", 5)
    earbuds = await products.get("EAR")
    assert earbuds is not None and (earbuds.rating, earbuds.review_count) == (round((12 + 6) / 5, 2), 5)
    page = await listing("EAR")
    assert page.total == 2 and page.average == 3.0
    await remove(ANN, "EAR")
    assert invalidator.invalidated == ["EAR", "EAR", "EAR"]
    with pytest.raises(ReviewNotFound):
        await remove(ANN, "EAR")
    with pytest.raises(ProductNotFound):
        await put(author(ANN), "NOPE", 3)
    with pytest.raises(ProductNotFound):
        await listing("NOPE")
    with pytest.raises(InvalidReview):
        await put(author(ANN), "EAR", 9)
    assert invalidator.invalidated == ["EAR", "EAR", "EAR"]
    assert (await listing("EAR")).total == 1
