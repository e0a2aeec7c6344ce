"""What a shopper seems to like, and what they are shown."""

import msgspec

from domain.catalog.model import Product


class Signal(msgspec.Struct, frozen=True):
    """One category/brand pair the user touched, and how much that touch counts."""

    category: str
    brand: str
    weight: float


class Recommendations(msgspec.Struct, frozen=True, kw_only=True):
    recently_viewed: list[Product]
    recommended: list[Product]
