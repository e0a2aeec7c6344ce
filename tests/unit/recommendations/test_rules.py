"""Recommendation rules: interests, round-robin diversity, limits."""

import pytest

from domain.recommendations.errors import InvalidLimit
from domain.recommendations.model import Signal
from domain.recommendations.rules import check_limit, diversify, interests, ranked
from tests.unit.fakes import make_product


def test_interests_sum_weights_and_rank_the_top() -> None:
    categories, brands = interests(
        [Signal("Shoes", "Stride", 1.0), Signal("Shoes", "Pace", 3.0), Signal("Mugs", "", 2.0)]
    )
    assert categories == {"Shoes": 4.0, "Mugs": 2.0}
    assert brands == {"Stride": 1.0, "Pace": 3.0}
    assert ranked(categories, 1) == ["Shoes"]
    assert ranked({"b": 1.0, "a": 1.0, "": 5.0}, 5) == ["a", "b"]


def test_diversify_takes_turns_across_categories_best_liked_first() -> None:
    products = [
        make_product("S1", "shoe", category="Shoes", brand="Stride"),
        make_product("S2", "shoe", category="Shoes", brand="Pace"),
        make_product("S3", "shoe", category="Shoes", brand="Stride"),
        make_product("M1", "mug", category="Mugs", brand="Clay"),
        make_product("M2", "mug", category="Mugs", brand="Clay"),
        make_product("B1", "bag", category="Bags", brand="Pace"),
    ]
    picked = diversify(products + products[:2], {"Shoes": 4.0, "Mugs": 2.0}, {"Pace": 3.0}, {"S3"}, 5)
    # Shoes (most liked) lead with the liked brand's shoe, then Mugs, then Bags (liked by brand only).
    assert [p.sku for p in picked] == ["S2", "M1", "B1", "S1", "M2"]
    assert [p.sku for p in diversify(products, {}, {}, set(), 2)] == ["B1", "M1"]
    assert diversify([], {"Shoes": 1.0}, {}, set(), 3) == []


@pytest.mark.parametrize("limit", [0, 51, -1, True])
def test_bad_limits(limit) -> None:
    with pytest.raises(InvalidLimit):
        check_limit(limit)
