"""Review rules, and how users' ratings blend with the catalog's imported figures."""

from typing import Any, Final

from domain.reviews.errors import InvalidReview

MAX_COMMENT: Final = 2_000


def check_review(rating: Any, comment: Any) -> tuple[int, str]:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidReview("rating", "rating must be a whole number from 1 to 5")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        raise InvalidReview("comment", "comment must be a string")
    text = comment.strip()
    if len(text) > MAX_COMMENT:
        raise InvalidReview("comment", f"comment must be at most {MAX_COMMENT} characters")
    if not all(ch.isprintable() or ch in "\n\r\t" for ch in text):
        raise InvalidReview("comment", "comment contains control characters")
    return rating, text


def blended_rating(imported_rating: float, imported_count: int, user_sum: int, user_count: int) -> float:
    """Every review weighs the same, imported or not; no reviews at all keeps the imported figure."""
    count = imported_count + user_count
    if count <= 0:
        return round(imported_rating, 2)
    return round((imported_rating * imported_count + user_sum) / count, 2)
