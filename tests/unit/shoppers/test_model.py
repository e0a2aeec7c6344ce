"""Profiles from events (time decay, shares, price band, recency) and stable cluster labels."""

import math
from datetime import timedelta

import numpy as np
import pytest

from domain.ranking.model import ShopperProfile
from domain.shoppers.clustering import dimensions, profile_matrix, stable_labels
from domain.shoppers.model import Cluster, ShopperEvent
from domain.shoppers.profiles import ProfileConfig, build_profile
from tests.unit.fakes import FIXED_NOW

DAY = timedelta(days=1)


def event(kind: str, category: str, age: timedelta, sku: str = "s", price: float = 10.0) -> ShopperEvent:
    return ShopperEvent(
        visitor_id="v",
        sku=sku,
        kind=kind,
        time=FIXED_NOW - age,
        category=category,
        brand=category.upper(),
        price=price,
    )


def test_profile_shares_weigh_kind_and_decay_with_time() -> None:
    config = ProfileConfig(half_life_hours=24.0)
    events = [
        event("add_to_cart", "shoes", 0 * DAY),
        event("click", "bags", 1 * DAY),
        event("view", "tv", 0 * DAY),
    ]
    profile = build_profile("v", events, FIXED_NOW, config)
    # Weights: shoes 4, bags 2 * 0.5 = 1, tv 1 -> shares 4/6, 1/6, 1/6.
    assert profile.categories == pytest.approx({"shoes": 4 / 6, "bags": 1 / 6, "tv": 1 / 6})
    assert profile.brands["SHOES"] == pytest.approx(4 / 6)
    assert sum(profile.categories.values()) == pytest.approx(1.0)


def test_profile_price_band_and_recent_items() -> None:
    events = [
        event("view", "a", DAY, sku="x", price=math.e - 1),
        event("view", "a", 2 * DAY, sku="x", price=math.e - 1),
    ]
    events.append(event("view", "a", 3 * DAY, sku="y", price=math.e - 1))
    profile = build_profile("v", events, FIXED_NOW)
    assert profile.price is not None
    assert profile.price.log_center == pytest.approx(1.0)
    assert profile.price.log_spread == pytest.approx(0.1)  # floored
    assert profile.recent == {"x": FIXED_NOW - DAY, "y": FIXED_NOW - 3 * DAY}


def test_profile_keeps_a_price_band_per_category() -> None:
    events = [
        event("click", "phones", DAY, price=math.e**2 - 1),
        event("click", "phones", DAY, price=math.e**4 - 1),
        event("click", "coffee", DAY, price=math.e**5 - 1),
    ]
    profile = build_profile("v", events, FIXED_NOW)
    assert set(profile.category_prices) == {"phones", "coffee"}
    assert profile.category_prices["phones"].log_center == pytest.approx(3.0)
    assert profile.category_prices["phones"].log_spread == pytest.approx(1.0)
    assert profile.category_prices["coffee"].log_center == pytest.approx(5.0)
    assert profile.price is not None and profile.price.log_center == pytest.approx(11 / 3)


def test_profile_pools_where_in_each_categorys_range_the_shopper_buys() -> None:
    def dear(category: str, median: float) -> ShopperEvent:
        price = 2 * (1 + median) - 1  # twice the median, on the 1 + price scale
        return ShopperEvent(
            visitor_id="v", sku=category, kind="click", time=FIXED_NOW, category=category, price=price,
            category_price=median,
        )  # fmt: skip

    events = [dear("phones", 300.0), dear("coffee", 40.0), event("view", "tv", DAY)]  # tv: median unknown
    profile = build_profile("v", events, FIXED_NOW)
    assert profile.relative_price is not None
    assert profile.relative_price.log_center == pytest.approx(math.log(2))
    assert profile.relative_price.log_spread == pytest.approx(0.1)  # floored
    assert build_profile("v", [event("view", "tv", DAY)], FIXED_NOW).relative_price is None


def test_profile_ignores_other_shoppers_and_carries_the_cluster() -> None:
    other = ShopperEvent(visitor_id="w", sku="z", kind="view", time=FIXED_NOW, category="tv")
    cluster = Cluster(
        cluster=4,
        size=3,
        centroid=[0.7, 0.3, 0.2],
        dimensions=["category:a", "category:b", "price:log_center"],
    )
    profile = build_profile("v", [other], FIXED_NOW, cluster=cluster)
    assert profile.categories == {} and profile.price is None
    assert profile.cluster == 4
    assert profile.cluster_categories == {"a": 0.7, "b": 0.3}


def test_profile_matrix_columns() -> None:
    dims = dimensions(["b", "a", "b"])
    assert dims == ["category:a", "category:b", "price:log_center"]
    profile = ShopperProfile(visitor_id="v", categories={"b": 1.0, "zzz": 0.5})
    assert profile_matrix([profile], dims).tolist() == [[0.0, 1.0, 0.0]]


def test_stable_labels_follow_the_previous_centroids() -> None:
    previous = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    # The same clusters, shuffled and nudged: each gets its old label back.
    new = np.array([[0.52, 0.48], [0.98, 0.01], [0.02, 0.99]])
    assert stable_labels(previous, new) == [2, 0, 1]


def test_stable_labels_is_the_optimal_assignment_not_greedy() -> None:
    previous = np.array([[0.0], [1.0]])
    # Row by row, new 0 (at 0.45) would take its nearest label 0 and push new 1 (at 0.0) to label 1
    # (total 1.20); the optimal assignment swaps them (total 0.30).
    new = np.array([[0.45], [0.0]])
    assert stable_labels(previous, new) == [1, 0]


def test_more_or_fewer_clusters_than_before() -> None:
    previous = np.array([[0.0, 0.0], [10.0, 10.0]])
    assert stable_labels(previous, np.array([[10.0, 9.0], [5.0, 5.0], [0.0, 1.0]])) == [1, 2, 0]
    three = np.array([[0.0, 0.0], [5.0, 5.0], [10.0, 10.0]])
    assert stable_labels(three, np.array([[9.0, 9.0], [0.5, 0.0]])) == [2, 0]
    assert stable_labels(None, new := np.zeros((3, 2))) == [0, 1, 2] and len(new) == 3
