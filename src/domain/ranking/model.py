from datetime import datetime

import msgspec

from domain.catalog.model import Product


class PriceBand(msgspec.Struct, frozen=True):
    """The centre and spread of the log prices a shopper engages with."""

    log_center: float
    log_spread: float = 0.5


class ShopperProfile(msgspec.Struct, frozen=True, kw_only=True):
    visitor_id: str
    # Affinities are shares in [0, 1] of the shopper's (time-decayed) interest.
    categories: dict[str, float] = msgspec.field(default_factory=dict)
    brands: dict[str, float] = msgspec.field(default_factory=dict)
    price: PriceBand | None = None
    # Per category: the price band of what the shopper engaged with there (price taste is rarely
    # the same across categories: a cheap phone and a dear coffee maker).
    category_prices: dict[str, PriceBand] = msgspec.field(default_factory=dict)
    # Where in a category's price range the shopper buys, pooled over categories: the band of
    # ln((1 + price) / (1 + the category's median price)) (0: at the median).
    relative_price: PriceBand | None = None
    cluster: int | None = None
    # The shopper's cluster's category affinities (the centroid, as shares).
    cluster_categories: dict[str, float] = msgspec.field(default_factory=dict)
    # sku -> last time the shopper viewed, clicked or carted it.
    recent: dict[str, datetime] = msgspec.field(default_factory=dict)


class RankingContext(msgspec.Struct, frozen=True):
    """Who is asking; the learned ranker reads the visitor, the formula does not."""

    visitor_id: str | None = None
    arm: str | None = None
    # Filled for the learned ranker: the shopper's profile (None when anonymous or unknown) and
    # recent event counts per sku.
    profile: ShopperProfile | None = None
    recent_popularity: dict[str, float] = msgspec.field(default_factory=dict)


class ScoredProduct(msgspec.Struct, frozen=True):
    product: Product
    text_score: float = 0.0


class RankedProduct(msgspec.Struct, frozen=True):
    product: Product
    score: float
    # The feature vector the item was ranked with, logged with the impression for training.
    features: tuple[float, ...] = ()
