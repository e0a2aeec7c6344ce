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
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from itertools import repeat
from operator import attrgetter

import msgspec
import numpy as np
import numpy.typing as npt

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
Vector = npt.NDArray[np.float64]


class FeatureConfig(msgspec.Struct, frozen=True):
    prior_mean: float = 3.5
    prior_count: float = 10.0
    freshness_half_life_days: float = 90.0
    interaction_half_life_hours: float = 24.0
    min_category_price_spread: float = 0.25


_PRODUCT = attrgetter("product")
_TEXT = attrgetter("text_score")
_FIELDS = attrgetter(
    "sku", "category", "brand", "price", "popularity", "rating", "review_count", "created_at"
)


def _column(values: Iterable[float], size: int) -> Vector:
    return np.fromiter(values, dtype=np.float64, count=size)


def _each(function: Callable[[float], float], values: Vector) -> Vector:
    # libm's log, log1p and pow, as the scalar code had them: numpy's SIMD versions differ in the
    # last bit now and then, and a feature must not move with the machine.
    return _column(map(function, values.tolist()), len(values))


def _half_lives(ages: Vector, half_life: float) -> Vector:
    return _column(map(pow, repeat(0.5), (ages / half_life).tolist()), len(ages))


def _category_medians(prices: Vector, groups: npt.NDArray[np.intp], count: int) -> Vector:
    """Per group, the median price, exactly as np.median of the group's prices would give it."""
    order = np.lexsort((prices, groups))
    ordered = prices[order]
    sizes = np.bincount(groups, minlength=count)
    first = np.cumsum(sizes) - sizes
    upper = ordered[first + sizes // 2]
    lower = ordered[first + (sizes - 1) // 2]
    # np.median averages the two middle values of an even group: (a + b) / 2.
    medians: Vector = np.where(sizes % 2 == 1, upper, (lower + upper) / 2.0)
    return medians


def _hours_since(now: datetime, times: Sequence[datetime]) -> Vector:
    seconds = _column(map(timedelta.total_seconds, map(now.__sub__, times)), len(times))
    return np.maximum(seconds / 3600.0, 0.0)


def compute_features(
    items: Sequence[ScoredProduct],
    now: datetime,
    profile: ShopperProfile | None = None,
    recent_popularity: Mapping[str, float] | None = None,
    config: FeatureConfig = FeatureConfig(),
) -> Matrix:
    """A (len(items), len(FEATURE_NAMES)) matrix; personal columns are zero without a profile.

    Column by column over all items (the arithmetic in the same order as one item at a time, so
    the values are the same to the bit).
    """
    size = len(items)
    out = np.zeros((size, len(FEATURE_NAMES)), dtype=np.float64)
    if not items:
        return out
    # One pass over the products, transposed into columns.
    skus, categories, brands, prices, popularity, ratings, reviews, created = zip(
        *map(_FIELDS, map(_PRODUCT, items)), strict=True
    )
    names = list(dict.fromkeys(categories))  # each category once, in order of appearance
    group = np.fromiter(map({c: i for i, c in enumerate(names)}.__getitem__, categories), np.intp, size)
    price = np.array(prices, dtype=np.float64)
    text = _column(map(_TEXT, items), size)
    max_text = float(text.max())
    out[:, 0] = text / max_text if max_text > 0 else 0.0
    out[:, 1] = _each(math.log1p, np.maximum(np.array(popularity, dtype=np.float64), 0.0))
    recent = recent_popularity or {}
    out[:, 2] = _each(math.log1p, np.maximum(_column(map(recent.get, skus, repeat(0.0)), size), 0.0))
    rating = np.array(ratings, dtype=np.float64)
    review_count = np.array(reviews, dtype=np.float64)
    prior = config.prior_count * config.prior_mean
    out[:, 3] = (prior + rating * review_count) / (config.prior_count + review_count) / 5.0
    medians = _category_medians(price, group, len(names))[group]
    out[:, 4] = _each(math.log, (price + 1.0) / (medians + 1.0))
    age_days = _hours_since(now, created) / 24.0
    out[:, 9] = _half_lives(age_days, config.freshness_half_life_days)
    if profile is not None:
        _personal(out, profile, skus, brands, group, names, price, now, config)
    return out


def _personal(
    out: Matrix,
    profile: ShopperProfile,
    skus: Sequence[str],
    brands: Sequence[str],
    group: npt.NDArray[np.intp],
    names: Sequence[str],
    price: Vector,
    now: datetime,
    config: FeatureConfig,
) -> None:
    """The starred columns, for a shopper with a profile."""
    size = len(skus)
    log_price = _each(math.log1p, price)
    if profile.price is not None:
        spread = max(profile.price.log_spread, 0.05)
        out[:, 5] = np.abs(log_price - profile.price.log_center) / spread
    out[:, 6] = _column(map(profile.categories.get, names, repeat(0.0)), len(names))[group]
    out[:, 7] = _column(map(profile.brands.get, brands, repeat(0.0)), size)
    out[:, 8] = _column(map(profile.cluster_categories.get, names, repeat(0.0)), len(names))[group]
    touched = [(row, when) for row, when in enumerate(map(profile.recent.get, skus)) if when is not None]
    if touched:
        hours = _hours_since(now, [when for _, when in touched])
        out[[row for row, _ in touched], 10] = _half_lives(hours, config.interaction_half_life_hours)
    out[:, 11] = 1.0
    bands = [profile.category_prices.get(name) for name in names]
    known = np.array([band is not None for band in bands])[group]
    center = np.array([band.log_center if band else 0.0 for band in bands])[group]
    floor = config.min_category_price_spread
    spreads = np.array([max(band.log_spread, floor) if band else 1.0 for band in bands])[group]
    out[:, 12] = np.where(known, np.abs(log_price - center) / spreads, 0.0)
    out[:, 13] = known
    share = np.divide(out[:, 7], out[:, 6], out=np.zeros(size), where=out[:, 6] > 0)
    out[:, 14] = np.where(share < 1.0, share, 1.0)  # min(1.0, share), as the scalar code took it
    level = profile.relative_price
    if level is not None:
        spread_level = max(level.log_spread, config.min_category_price_spread)
        out[:, 15] = np.abs(out[:, 4] - level.log_center) / spread_level
