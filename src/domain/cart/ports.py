"""What the cart needs from outside: its storage and the catalog's prices."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.cart.model import CartChange, CartItem, PricedProduct


class CartRepository(Protocol):
    """Every change writes its `CartChange` to the log in the same transaction."""

    async def items(self, user_id: int) -> list[CartItem]:
        """The user's lines, oldest first."""
        ...

    async def add(self, change: CartChange, max_quantity: int) -> int | None:
        """Add `change.quantity_delta` atomically; the new quantity, or None (nothing changed) when
        the line would pass `max_quantity`. Raises ProductNotFound when the sku is gone."""
        ...

    async def set(self, change: CartChange) -> int:
        """Set the line to `change.quantity` (0 removes it); the quantity it had before."""
        ...

    async def clear(self, user_id: int, arm: str, at: datetime) -> int:
        """Remove every line; how many lines there were."""
        ...


class CartCatalog(Protocol):
    async def priced(self, skus: Sequence[str]) -> dict[str, PricedProduct]:
        """Title and price of the skus that exist."""
        ...
