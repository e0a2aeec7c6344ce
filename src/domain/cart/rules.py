"""Cart rules: quantities a line may hold, exact prices and totals."""

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from domain.cart.errors import InvalidQuantity
from domain.cart.model import Cart, CartItem, CartLine, PricedProduct

MAX_QUANTITY: Final = 99
CENT: Final = Decimal("0.01")


def money(value: float | int | str | Decimal) -> Decimal:
    """Prices come from a float column: go through str so 19.99 stays 19.99, not 19.989999..."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def check_added(quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidQuantity(f"quantity to add must be between 1 and {MAX_QUANTITY}")


def check_set(quantity: int) -> None:
    if not 0 <= quantity <= MAX_QUANTITY:
        raise InvalidQuantity(f"quantity must be between 0 (remove) and {MAX_QUANTITY}")


def over_limit(current: int, added: int) -> InvalidQuantity:
    return InvalidQuantity(
        f"a cart line holds at most {MAX_QUANTITY}: there are {current} already, so at most "
        f"{max(0, MAX_QUANTITY - current)} more can be added"
    )


def price_cart(items: Iterable[CartItem], catalog: Mapping[str, PricedProduct]) -> Cart:
    """Lines for the products the catalog still has; totals summed exactly."""
    lines = [
        CartLine(
            sku=item.sku,
            title=catalog[item.sku].title,
            price=catalog[item.sku].price,
            quantity=item.quantity,
            line_total=catalog[item.sku].price * item.quantity,
        )
        for item in items
        if item.sku in catalog
    ]
    return Cart(
        items=lines,
        total_items=sum(line.quantity for line in lines),
        total_price=sum((line.line_total for line in lines), Decimal("0.00")),
    )
