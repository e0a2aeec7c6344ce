"""Review rules and the rating blend."""

import pytest

from domain.reviews.errors import InvalidReview
from domain.reviews.rules import blended_rating, check_review


@pytest.mark.parametrize(
    ("rating", "comment", "expected"),
    [
        (1, None, (1, "")),
        (5, "  great  ", (5, "great")),
        (3, "line\nbreak", (3, "line\nbreak")),
        (4, "x" * 2000, (4, "x" * 2000)),
    ],
)
def test_valid_reviews(rating, comment, expected) -> None:
    assert check_review(rating, comment) == expected


@pytest.mark.parametrize(
    ("rating", "comment", "field"),
    [
        (0, None, "rating"),
        (6, None, "rating"),
        (4.5, None, "rating"),
        (True, None, "rating"),
        ("5", None, "rating"),
        (5, "x" * 2001, "comment"),
        (5, 42, "comment"),
        (5, "bell\x07", "comment"),
    ],
)
def test_invalid_reviews_name_the_field(rating, comment, field) -> None:
    with pytest.raises(InvalidReview) as refused:
        check_review(rating, comment)
    assert refused.value.field == field


def test_the_blend_weighs_every_review_the_same() -> None:
    assert blended_rating(4.8, 75, 0, 0) == 4.8
    assert blended_rating(4.8, 75, 1, 1) == round((4.8 * 75 + 1) / 76, 2)
    assert blended_rating(0.0, 0, 9, 2) == 4.5  # no imported reviews: the users' average
    assert blended_rating(3.7, 0, 0, 0) == 3.7  # no reviews at all: the catalog's figure stands
