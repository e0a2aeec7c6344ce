"""Cart rules: quantities and exact money."""

from decimal import Decimal

import pytest

from domain.cart.errors import InvalidQuantity
from domain.cart.model import CartItem, PricedProduct
from domain.cart.rules import check_added, check_set, money, over_limit, price_cart


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
