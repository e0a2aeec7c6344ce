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
    # `rating`/`review_count` are what is shown (the catalog's blended with users' reviews). A
    # stored product also carries the catalog's own figures, which edits start from; None means
    # `rating`/`review_count` are the catalog's own (a product not yet stored).
    imported_rating: float | None = None
    imported_review_count: int | None = None


class CategoryCount(msgspec.Struct, frozen=True):
    name: str
    count: int


class UpsertReport(msgspec.Struct, frozen=True):
    inserted: int
    updated: int
    unchanged: int = 0  # already stored exactly so: not rewritten
