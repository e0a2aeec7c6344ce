"""A shopper's cart: lines priced from the catalog, totals in exact money."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

import msgspec

CartAction = Literal["add", "set", "remove", "clear"]


class CartItem(msgspec.Struct, frozen=True):
    """What the cart stores: a sku and how many."""

    sku: str
    quantity: int


class PricedProduct(msgspec.Struct, frozen=True):
    """What the cart needs to know about a product, asked through its own port."""

    sku: str
    title: str
    price: Decimal


class CartLine(msgspec.Struct, frozen=True, kw_only=True):
    sku: str
    title: str
    price: Decimal
    quantity: int
    line_total: Decimal


class Cart(msgspec.Struct, frozen=True, kw_only=True):
    items: list[CartLine]
    total_items: int
    total_price: Decimal


class CartChange(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of the append-only cart log."""

    user_id: int
    sku: str
    action: CartAction
    quantity_delta: int
    quantity: int
    arm: str
    at: datetime
