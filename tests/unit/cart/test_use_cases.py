"""Cart use cases over in-memory fakes: exact totals, refusals that change nothing."""

from decimal import Decimal

import pytest

from domain.cart.errors import InvalidQuantity
from domain.catalog.errors import ProductNotFound
from tests.unit.shop_fakes import ANN, BOB, Shop


async def test_cart_use_cases_add_set_remove_and_total_exactly() -> None:
    shop = Shop()
    cart = await shop.add(ANN, "EAR", 3, "control")
    cart = await shop.add(ANN, "EAR", 2, "control")
    cart = await shop.add(ANN, "CAB", 3, "treatment")
    assert [(line.sku, line.quantity, line.line_total) for line in cart.items] == [
        ("EAR", 5, Decimal("99.95")),
        ("CAB", 3, Decimal("0.30")),
    ]
    assert cart.total_items == 8 and cart.total_price == Decimal("100.25")
    assert (await shop.set(ANN, "EAR", 1, "control")).total_price == Decimal("20.29")
    assert [line.sku for line in (await shop.set(ANN, "CAB", 0, "control")).items] == ["EAR"]
    assert (await shop.remove(ANN, "EAR", "control")).items == []
    assert (await shop.get(BOB)).items == []
    assert [(c.action, c.quantity_delta, c.arm) for c in shop.cart.log][:3] == [
        ("add", 3, "control"),
        ("add", 2, "control"),
        ("add", 3, "treatment"),
    ]
    await shop.add(ANN, "MUG", 1, "control")
    assert (await shop.clear(ANN, "control")).total_items == 0


async def test_cart_refusals_change_nothing() -> None:
    shop = Shop()
    await shop.add(ANN, "EAR", 97, "control")
    with pytest.raises(InvalidQuantity, match="at most 2 more"):
        await shop.add(ANN, "EAR", 3, "control")
    for bad in (0, 100, -5):
        with pytest.raises(InvalidQuantity):
            await shop.add(ANN, "EAR", bad, "control")
    with pytest.raises(InvalidQuantity):
        await shop.set(ANN, "EAR", 100, "control")
    for call in (shop.add(ANN, "NOPE", 1, "c"), shop.set(ANN, "NOPE", 1, "c"), shop.remove(ANN, "NOPE", "c")):
        with pytest.raises(ProductNotFound):
            await call
    cart = await shop.get(ANN)
    assert [(line.sku, line.quantity) for line in cart.items] == [("EAR", 97)]
    assert len(shop.cart.log) == 1
