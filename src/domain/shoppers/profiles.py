"""Shopper profiles from their own events: time-decayed shares of interest, price bands, recency.

Price bands (the weighted mean and spread of ln(1 + price)) are kept overall and per category,
and a relative one, pooled over categories, of ln((1 + price) / (1 + category median price)).

An event weighs (view 1, click 2, add to cart 4) * 0.5 ** (age / half-life), so what a shopper
did last week counts for more than what they did last season.
"""

import math
from collections.abc import Iterable
from datetime import datetime

import msgspec
import numpy as np

from domain.ranking.model import PriceBand, ShopperProfile
from domain.shoppers.model import Cluster, ShopperEvent

KIND_WEIGHTS = {"view": 1.0, "click": 2.0, "add_to_cart": 4.0}


class ProfileConfig(msgspec.Struct, frozen=True):
    half_life_hours: float = 24.0 * 14
    recent_items: int = 50


def _shares(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items() if k} if total > 0 else {}


def build_profile(
    visitor_id: str,
    events: Iterable[ShopperEvent],
    now: datetime,
    config: ProfileConfig = ProfileConfig(),
    cluster: Cluster | None = None,
) -> ShopperProfile:
    categories: dict[str, float] = {}
    brands: dict[str, float] = {}
    prices: list[tuple[float, float]] = []
    by_category: dict[str, list[tuple[float, float]]] = {}
    relative: list[tuple[float, float]] = []
    recent: dict[str, datetime] = {}
    for event in events:
        if event.visitor_id != visitor_id:
            continue
        age = max((now - event.time).total_seconds() / 3600.0, 0.0)
        weight = KIND_WEIGHTS.get(event.kind, 1.0) * 0.5 ** (age / config.half_life_hours)
        categories[event.category] = categories.get(event.category, 0.0) + weight
        brands[event.brand] = brands.get(event.brand, 0.0) + weight
        if event.price > 0:
            prices.append((math.log1p(event.price), weight))
            if event.category:
                by_category.setdefault(event.category, []).append((math.log1p(event.price), weight))
            if event.category_price > 0:
                relative.append((math.log((1.0 + event.price) / (1.0 + event.category_price)), weight))
        if event.sku not in recent or recent[event.sku] < event.time:
            recent[event.sku] = event.time
    band = _band(prices)
    category_prices = {c: b for c, p in by_category.items() if (b := _band(p)) is not None}
    latest = sorted(recent.items(), key=lambda kv: kv[1], reverse=True)[: config.recent_items]
    return ShopperProfile(
        visitor_id=visitor_id,
        categories=_shares(categories),
        brands=_shares(brands),
        price=band,
        category_prices=category_prices,
        relative_price=_band(relative),
        cluster=cluster.cluster if cluster else None,
        cluster_categories=cluster.categories() if cluster else {},
        recent=dict(latest),
    )


def _band(prices: list[tuple[float, float]]) -> PriceBand | None:
    if not prices:
        return None
    values = np.array([p for p, _ in prices])
    weights = np.array([w for _, w in prices])
    if weights.sum() <= 0:
        return None
    center = float(np.average(values, weights=weights))
    spread = float(np.sqrt(np.average((values - center) ** 2, weights=weights)))
    return PriceBand(log_center=center, log_spread=max(spread, 0.1))
