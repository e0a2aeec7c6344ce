"""The learned ranker's features, one row per candidate (pure numpy).

Version 2, in this column order (`FEATURE_NAMES`):

- text: text score / max text score of the candidates
- log_popularity: ln(1 + popularity)
- recent_popularity: ln(1 + events on the product in the recent window)
- bayes_rating: Bayesian-averaged rating / 5
- price_vs_category: ln(price / median price of the candidates in its category)
- price_vs_band*: |ln(price) - shopper's price centre| / spread
- category_affinity*, brand_affinity*: the shopper's share of interest in the product's category, brand
- cluster_affinity*: the shopper's cluster's share of interest in the product's category
- freshness: 0.5 ** (age in days / half-life)
- recent_interaction*: 0.5 ** (hours since the shopper last touched it / half-life), 0 if never
- personal: 1 when a profile was given
- price_vs_category_band*: |ln(1 + price) - the shopper's price centre in the product's category| /
  spread (spread at least 0.25), 0 when the shopper has no price history in that category
- category_price_known*: 1 when the shopper has a price band in the product's category
- brand_in_category*: the shopper's interest in the product's brand as a share of their interest
  in its category (brand affinity / category affinity, at most 1): a loyal shopper's favourite
  brand scores near 1 however many other categories they shop
- price_vs_level*: |price_vs_category - the shopper's relative price level| / spread (spread at
  least 0.25): the level is where in its category's range the shopper usually buys, pooled over
  all their categories (so it applies to a category they never bought in), 0 without one

Starred features are personal: zero for anonymous visitors (no profile).
"""

import math
from collections.abc import Mapping, Sequence
from datetime import datetime

import msgspec
import numpy as np
import numpy.typing as npt

from domain.ranking.formula import bayesian_rating
from domain.ranking.model import ScoredProduct, ShopperProfile

FEATURE_VERSION = "2"
FEATURE_NAMES: tuple[str, ...] = (
    "text",
    "log_popularity",
    "recent_popularity",
    "bayes_rating",
    "price_vs_category",
    "price_vs_band",
    "category_affinity",
    "brand_affinity",
    "cluster_affinity",
    "freshness",
    "recent_interaction",
    "personal",
    "price_vs_category_band",
    "category_price_known",
    "brand_in_category",
    "price_vs_level",
)
PERSONAL_FEATURES = frozenset(
    {
        "price_vs_category_band",
        "category_price_known",
        "brand_in_category",
        "price_vs_level",
        "price_vs_band",
        "category_affinity",
        "brand_affinity",
        "cluster_affinity",
        "recent_interaction",
        "personal",
    }
)

Matrix = npt.NDArray[np.float64]


class FeatureConfig(msgspec.Struct, frozen=True):
    prior_mean: float = 3.5
    prior_count: float = 10.0
    freshness_half_life_days: float = 90.0
    interaction_half_life_hours: float = 24.0
    min_category_price_spread: float = 0.25


def _category_medians(items: Sequence[ScoredProduct]) -> dict[str, float]:
    prices: dict[str, list[float]] = {}
    for item in items:
        prices.setdefault(item.product.category, []).append(item.product.price)
    return {c: float(np.median(p)) for c, p in prices.items()}


def _hours(later: datetime, earlier: datetime) -> float:
    return max((later - earlier).total_seconds() / 3600.0, 0.0)


def compute_features(
    items: Sequence[ScoredProduct],
    now: datetime,
    profile: ShopperProfile | None = None,
    recent_popularity: Mapping[str, float] | None = None,
    config: FeatureConfig = FeatureConfig(),
) -> Matrix:
    """A (len(items), len(FEATURE_NAMES)) matrix; personal columns are zero without a profile."""
    out = np.zeros((len(items), len(FEATURE_NAMES)), dtype=np.float64)
    if not items:
        return out
    max_text = max(i.text_score for i in items)
    medians = _category_medians(items)
    recent = recent_popularity or {}
    for row, item in enumerate(items):
        p = item.product
        median = medians.get(p.category, 0.0)
        out[row, 0] = item.text_score / max_text if max_text > 0 else 0.0
        out[row, 1] = math.log1p(max(p.popularity, 0.0))
        out[row, 2] = math.log1p(max(recent.get(p.sku, 0.0), 0.0))
        out[row, 3] = bayesian_rating(p.rating, p.review_count, config.prior_mean, config.prior_count) / 5.0
        out[row, 4] = math.log((p.price + 1.0) / (median + 1.0))
        age_days = _hours(now, p.created_at) / 24.0
        out[row, 9] = 0.5 ** (age_days / config.freshness_half_life_days)
        if profile is None:
            continue
        if profile.price is not None:
            spread = max(profile.price.log_spread, 0.05)
            out[row, 5] = abs(math.log1p(p.price) - profile.price.log_center) / spread
        out[row, 6] = profile.categories.get(p.category, 0.0)
        out[row, 7] = profile.brands.get(p.brand, 0.0)
        out[row, 8] = profile.cluster_categories.get(p.category, 0.0)
        touched = profile.recent.get(p.sku)
        if touched is not None:
            out[row, 10] = 0.5 ** (_hours(now, touched) / config.interaction_half_life_hours)
        out[row, 11] = 1.0
        band = profile.category_prices.get(p.category)
        if band is not None:
            spread = max(band.log_spread, config.min_category_price_spread)
            out[row, 12] = abs(math.log1p(p.price) - band.log_center) / spread
            out[row, 13] = 1.0
        category_share = out[row, 6]
        if category_share > 0:
            out[row, 14] = min(1.0, out[row, 7] / category_share)
        level = profile.relative_price
        if level is not None:
            spread = max(level.log_spread, config.min_category_price_spread)
            out[row, 15] = abs(out[row, 4] - level.log_center) / spread
    return out
