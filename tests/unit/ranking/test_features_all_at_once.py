"""compute_features, column by column over all candidates, against the per-candidate loop it replaced."""

import math
import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

import numpy as np
import pytest

from domain.ranking.features import FEATURE_NAMES, FeatureConfig, compute_features
from domain.ranking.model import PriceBand, ScoredProduct, ShopperProfile
from domain.ranking.rounding import round6
from tests.unit.fakes import FIXED_NOW, make_product


def reference(
    items: Sequence[ScoredProduct],
    now: datetime,
    profile: ShopperProfile | None,
    recent: Mapping[str, float],
    config: FeatureConfig,
) -> np.ndarray:
    """The scalar loop as it was."""

    def hours(later: datetime, earlier: datetime) -> float:
        return max((later - earlier).total_seconds() / 3600.0, 0.0)

    out = np.zeros((len(items), len(FEATURE_NAMES)))
    max_text = max(i.text_score for i in items)
    prices: dict[str, list[float]] = {}
    for item in items:
        prices.setdefault(item.product.category, []).append(item.product.price)
    medians = {c: float(np.median(p)) for c, p in prices.items()}
    for row, item in enumerate(items):
        p = item.product
        out[row, 0] = item.text_score / max_text if max_text > 0 else 0.0
        out[row, 1] = math.log1p(max(p.popularity, 0.0))
        out[row, 2] = math.log1p(max(recent.get(p.sku, 0.0), 0.0))
        bayes = (config.prior_count * config.prior_mean + p.rating * p.review_count) / (
            config.prior_count + p.review_count
        )
        out[row, 3] = bayes / 5.0
        out[row, 4] = math.log((p.price + 1.0) / (medians[p.category] + 1.0))
        out[row, 9] = 0.5 ** (hours(now, p.created_at) / 24.0 / config.freshness_half_life_days)
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
            out[row, 10] = 0.5 ** (hours(now, touched) / config.interaction_half_life_hours)
        out[row, 11] = 1.0
        band = profile.category_prices.get(p.category)
        if band is not None:
            spread = max(band.log_spread, config.min_category_price_spread)
            out[row, 12] = abs(math.log1p(p.price) - band.log_center) / spread
            out[row, 13] = 1.0
        if out[row, 6] > 0:
            out[row, 14] = min(1.0, out[row, 7] / out[row, 6])
        level = profile.relative_price
        if level is not None:
            spread = max(level.log_spread, config.min_category_price_spread)
            out[row, 15] = abs(out[row, 4] - level.log_center) / spread
    return out


CATEGORIES = ["shoes", "bags", "hats", "tents"]
BRANDS = ["acme", "zeta", "nova"]


def _items(rng: random.Random, n: int) -> list[ScoredProduct]:
    return [
        ScoredProduct(
            make_product(
                f"P{i}", "x", price=round(rng.uniform(1, 500), 2), category=rng.choice(CATEGORIES),
                brand=rng.choice(BRANDS), popularity=rng.choice([0.0, rng.uniform(0, 9000)]),
                rating=rng.uniform(0, 5), review_count=rng.randint(0, 5000),
                created_at=FIXED_NOW - timedelta(hours=rng.uniform(-5, 9000)),
            ),
            text_score=rng.choice([0.0, rng.uniform(0, 30)]),
        )
        for i in range(n)
    ]  # fmt: skip


def _profile(rng: random.Random, items: list[ScoredProduct]) -> ShopperProfile:
    def band() -> PriceBand:
        return PriceBand(rng.uniform(0, 6), rng.uniform(0.0, 1.5))

    def some(names: list[str]) -> list[str]:
        return rng.sample(names, rng.randint(0, len(names)))

    skus = [i.product.sku for i in items]
    return ShopperProfile(
        visitor_id="v",
        categories={c: rng.random() for c in some(CATEGORIES)},
        brands={b: rng.random() for b in some(BRANDS)},
        price=rng.choice([None, band()]),
        category_prices={c: band() for c in some(CATEGORIES)},
        relative_price=rng.choice([None, band()]),
        cluster_categories={c: rng.random() for c in some(CATEGORIES)},
        recent={
            s: FIXED_NOW - timedelta(hours=rng.uniform(-3, 200)) for s in rng.sample(skus, len(skus) // 3)
        },
    )


@pytest.mark.parametrize("seed", range(30))
def test_features_equal_the_per_candidate_loop(seed: int) -> None:
    rng = random.Random(seed)
    items = _items(rng, rng.randint(1, 80))
    recent = {i.product.sku: rng.uniform(-1, 40) for i in rng.sample(items, len(items) // 4)}
    config = FeatureConfig(min_category_price_spread=rng.uniform(0.01, 0.5))
    for profile in (None, _profile(rng, items)):
        new = compute_features(items, FIXED_NOW, profile, recent, config)
        old = reference(items, FIXED_NOW, profile, recent, config)
        np.testing.assert_allclose(new, old, rtol=1e-12, atol=1e-15)
        # The rounded vectors that are logged and shown are the very same floats.
        assert round6(new) == [round(float(v), 6) for v in old.ravel()]


def test_round6_is_pythons_round_even_next_to_ties() -> None:
    rng = random.Random(7)
    values = [rng.uniform(-50, 50) for _ in range(20_000)]
    values += [k / 10**6 + 5e-7 for k in range(-3000, 3000)]  # the last digit's halfway points
    values += [k / 128 for k in range(-500, 500)] + [0.0, -0.0, 1e17, -3.5e-7, math.inf]
    assert round6(np.array(values)) == [round(v, 6) for v in values]
    assert math.isnan(round6(np.array([math.nan]))[0])
