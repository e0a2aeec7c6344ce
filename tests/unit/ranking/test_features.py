"""Ranking features: values by hand, personal columns zero for anonymous visitors."""

import math
from datetime import timedelta

import numpy as np
import pytest

from domain.ranking.features import FEATURE_NAMES, PERSONAL_FEATURES, compute_features
from domain.ranking.model import PriceBand, ScoredProduct, ShopperProfile
from tests.unit.fakes import FIXED_NOW, make_product

COL = {name: i for i, name in enumerate(FEATURE_NAMES)}


def items() -> list[ScoredProduct]:
    return [
        ScoredProduct(
            make_product("a", "A", price=10.0, category="shoes", brand="acme", popularity=99.0,
                         rating=5.0, review_count=10, created_at=FIXED_NOW - timedelta(days=90)),
            text_score=4.0,
        ),
        ScoredProduct(
            make_product("b", "B", price=30.0, category="shoes", brand="zeta", created_at=FIXED_NOW),
            text_score=2.0,
        ),
        ScoredProduct(make_product("c", "C", price=100.0, category="bags", brand="acme"), text_score=1.0),
    ]  # fmt: skip


def test_non_personal_features_by_hand() -> None:
    x = compute_features(items(), FIXED_NOW, recent_popularity={"b": math.e - 1})
    assert x.shape == (3, len(FEATURE_NAMES))
    assert x[:, COL["text"]] == pytest.approx([1.0, 0.5, 0.25])
    assert x[0, COL["log_popularity"]] == pytest.approx(math.log(100))
    assert x[:, COL["recent_popularity"]] == pytest.approx([0.0, 1.0, 0.0])
    # (10 * 3.5 + 5 * 10) / 20 = 4.25
    assert x[0, COL["bayes_rating"]] == pytest.approx(4.25 / 5)
    # Shoes median price 20: a cheaper one is negative, the only bag is at its median.
    assert x[:, COL["price_vs_category"]] == pytest.approx([math.log(11 / 21), math.log(31 / 21), 0.0])
    assert x[0, COL["freshness"]] == pytest.approx(0.5)  # one half-life old
    assert x[1, COL["freshness"]] == pytest.approx(1.0)


def test_anonymous_visitors_get_zero_personal_features() -> None:
    x = compute_features(items(), FIXED_NOW)
    personal = [COL[name] for name in PERSONAL_FEATURES]
    assert np.all(x[:, personal] == 0.0)
    assert np.any(x[:, [i for i in range(len(FEATURE_NAMES)) if i not in personal]] != 0.0)


def test_personal_features_from_profile() -> None:
    profile = ShopperProfile(
        visitor_id="v1",
        categories={"shoes": 0.75},
        brands={"acme": 0.5},
        price=PriceBand(log_center=math.log1p(30.0), log_spread=0.5),
        cluster=2,
        cluster_categories={"bags": 0.6},
        recent={"a": FIXED_NOW - timedelta(hours=24), "b": FIXED_NOW},
    )
    x = compute_features(items(), FIXED_NOW, profile=profile)
    assert x[:, COL["category_affinity"]] == pytest.approx([0.75, 0.75, 0.0])
    assert x[:, COL["brand_affinity"]] == pytest.approx([0.5, 0.0, 0.5])
    assert x[:, COL["cluster_affinity"]] == pytest.approx([0.0, 0.0, 0.6])
    assert x[1, COL["price_vs_band"]] == pytest.approx(0.0)
    assert x[0, COL["price_vs_band"]] == pytest.approx(abs(math.log(11) - math.log(31)) / 0.5)
    # The recency boost halves every 24 hours.
    assert x[:, COL["recent_interaction"]] == pytest.approx([0.5, 1.0, 0.0])
    assert np.all(x[:, COL["personal"]] == 1.0)


def test_price_and_brand_features_within_the_products_category() -> None:
    profile = ShopperProfile(
        visitor_id="v1",
        categories={"shoes": 0.5, "bags": 0.25},
        brands={"acme": 0.25},
        category_prices={"shoes": PriceBand(log_center=math.log1p(10.0), log_spread=0.1)},
    )
    x = compute_features(items(), FIXED_NOW, profile=profile)
    # Shoes: distance from the shoes band, the spread floored at 0.25; no band for bags.
    assert x[:, COL["price_vs_category_band"]] == pytest.approx(
        [0.0, (math.log(31) - math.log(11)) / 0.25, 0.0]
    )
    assert x[:, COL["category_price_known"]] == pytest.approx([1.0, 1.0, 0.0])
    # acme is half the shopper's shoe interest and all of their bag interest (capped at 1).
    assert x[:, COL["brand_in_category"]] == pytest.approx([0.5, 0.0, 1.0])


def test_price_against_the_shoppers_relative_level() -> None:
    profile = ShopperProfile(
        visitor_id="v1", relative_price=PriceBand(log_center=math.log(31 / 21), log_spread=0.5)
    )
    x = compute_features(items(), FIXED_NOW, profile=profile)
    # Shoes median 20: b (30) is where this shopper buys; a (10) is far below; c is its bags' median.
    assert x[:, COL["price_vs_level"]] == pytest.approx(
        [abs(math.log(11 / 21) - math.log(31 / 21)) / 0.5, 0.0, math.log(31 / 21) / 0.5]
    )
    assert compute_features(items(), FIXED_NOW, profile=ShopperProfile(visitor_id="v2"))[
        :, COL["price_vs_level"]
    ] == pytest.approx([0.0, 0.0, 0.0])


def test_empty_candidates() -> None:
    assert compute_features([], FIXED_NOW).shape == (0, len(FEATURE_NAMES))
