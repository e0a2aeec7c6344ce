"""Cart rules (quantities, exact money), review rules, the rating blend and round-robin diversity."""

from decimal import Decimal

import pytest

from domain.cart.errors import InvalidQuantity
from domain.cart.model import CartItem, PricedProduct
from domain.cart.rules import check_added, check_set, money, over_limit, price_cart
from domain.recommendations.errors import InvalidLimit
from domain.recommendations.model import Signal
from domain.recommendations.rules import check_limit, diversify, interests, ranked
from domain.reviews.errors import InvalidReview
from domain.reviews.rules import blended_rating, check_review
from tests.unit.fakes import make_product


def test_money_keeps_cents_exact() -> None:
    assert money(19.99) == Decimal("19.99")
    assert money(0.1 + 0.2) == Decimal("0.30")
    assert money(9) == Decimal("9.00")
    assert money("2.675") == Decimal("2.68")  # half up, not the float's 2.67


def test_a_priced_cart_sums_exactly_and_skips_products_that_are_gone() -> None:
    catalog = {
        "A": PricedProduct("A", "Earbuds", Decimal("19.99")),
        "B": PricedProduct("B", "Cable", Decimal("0.10")),
    }
    cart = price_cart([CartItem("A", 5), CartItem("B", 3), CartItem("GONE", 2)], catalog)
    assert [(line.sku, line.line_total) for line in cart.items] == [
        ("A", Decimal("99.95")),
        ("B", Decimal("0.30")),
    ]
    assert cart.total_items == 8 and cart.total_price == Decimal("100.25")
    empty = price_cart([], catalog)
    assert empty.items == [] and empty.total_items == 0 and empty.total_price == Decimal("0.00")


@pytest.mark.parametrize("quantity", [1, 50, 99])
def test_quantities_that_may_be_added(quantity: int) -> None:
    check_added(quantity)
    check_set(quantity)


@pytest.mark.parametrize("quantity", [0, -1, 100, 10_000])
def test_quantities_that_may_not_be_added(quantity: int) -> None:
    with pytest.raises(InvalidQuantity) as refused:
        check_added(quantity)
    assert refused.value.field == "quantity" and "99" in refused.value.message


def test_setting_zero_removes_but_negative_or_over_99_is_refused() -> None:
    check_set(0)
    for bad in (-1, 100):
        with pytest.raises(InvalidQuantity):
            check_set(bad)


def test_the_over_limit_message_says_how_many_more_fit() -> None:
    assert "at most 4 more" in over_limit(95, 5).message
    assert "at most 0 more" in over_limit(99, 1).message


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


def test_interests_sum_weights_and_rank_the_top() -> None:
    categories, brands = interests(
        [Signal("Shoes", "Stride", 1.0), Signal("Shoes", "Pace", 3.0), Signal("Mugs", "", 2.0)]
    )
    assert categories == {"Shoes": 4.0, "Mugs": 2.0}
    assert brands == {"Stride": 1.0, "Pace": 3.0}
    assert ranked(categories, 1) == ["Shoes"]
    assert ranked({"b": 1.0, "a": 1.0, "": 5.0}, 5) == ["a", "b"]


def test_diversify_takes_turns_across_categories_best_liked_first() -> None:
    products = [
        make_product("S1", "shoe", category="Shoes", brand="Stride"),
        make_product("S2", "shoe", category="Shoes", brand="Pace"),
        make_product("S3", "shoe", category="Shoes", brand="Stride"),
        make_product("M1", "mug", category="Mugs", brand="Clay"),
        make_product("M2", "mug", category="Mugs", brand="Clay"),
        make_product("B1", "bag", category="Bags", brand="Pace"),
    ]
    picked = diversify(products + products[:2], {"Shoes": 4.0, "Mugs": 2.0}, {"Pace": 3.0}, {"S3"}, 5)
    # Shoes (most liked) lead with the liked brand's shoe, then Mugs, then Bags (liked by brand only).
    assert [p.sku for p in picked] == ["S2", "M1", "B1", "S1", "M2"]
    assert [p.sku for p in diversify(products, {}, {}, set(), 2)] == ["B1", "M1"]
    assert diversify([], {"Shoes": 1.0}, {}, set(), 3) == []


@pytest.mark.parametrize("limit", [0, 51, -1, True])
def test_bad_limits(limit) -> None:
    with pytest.raises(InvalidLimit):
        check_limit(limit)
