"""The product and the rules a catalog row must follow."""

from datetime import datetime

import msgspec

AttributeValue = str | int | float | bool | None


class Product(msgspec.Struct, frozen=True, kw_only=True):
    sku: str
    title: str
    price: float
    description: str = ""
    category: str = ""
    brand: str = ""
    rating: float = 0.0
    review_count: int = 0
    popularity: float = 0.0
    image_url: str | None = None
    created_at: datetime
    attributes: dict[str, AttributeValue] = msgspec.field(default_factory=dict)


class CategoryCount(msgspec.Struct, frozen=True):
    name: str
    count: int


class UpsertReport(msgspec.Struct, frozen=True):
    inserted: int
    updated: int
