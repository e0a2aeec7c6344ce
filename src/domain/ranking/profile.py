"""What the ranker knows about one shopper (built from their own events by the profiles job)."""

from datetime import datetime

import msgspec


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
    cluster: int | None = None
    # The shopper's cluster's category affinities (the centroid, as shares).
    cluster_categories: dict[str, float] = msgspec.field(default_factory=dict)
    # sku -> last time the shopper viewed, clicked or carted it.
    recent: dict[str, datetime] = msgspec.field(default_factory=dict)
