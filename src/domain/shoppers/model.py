"""Shoppers' own events, as the profile builder reads them, and the clusters they fall into."""

from datetime import datetime

import msgspec


class ShopperEvent(msgspec.Struct, frozen=True, kw_only=True):
    visitor_id: str
    sku: str
    kind: str  # "view", "click" or "add_to_cart"
    time: datetime
    category: str = ""
    brand: str = ""
    price: float = 0.0
    category_price: float = 0.0  # the median price of the product's category in the catalog (0: unknown)


class Cluster(msgspec.Struct, frozen=True, kw_only=True):
    cluster: int
    size: int
    centroid: list[float]
    dimensions: list[str]

    def categories(self) -> dict[str, float]:
        """The centroid's category shares (dimensions named `category:<name>`)."""
        return {
            d.removeprefix("category:"): max(v, 0.0)
            for d, v in zip(self.dimensions, self.centroid, strict=True)
            if d.startswith("category:")
        }
