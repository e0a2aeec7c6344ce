"""The formula ranker."""

import math

import pytest

from domain.ranking.formula import FormulaRanker, FormulaWeights, bayesian_rating
from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct
from tests.unit.fakes import make_product

CONTEXT = RankingContext()


def item(
    sku: str, text: float = 0.0, popularity: float = 0.0, rating: float = 0.0, reviews: int = 0
) -> ScoredProduct:
    product = make_product(sku, sku, popularity=popularity, rating=rating, review_count=reviews)
    return ScoredProduct(product=product, text_score=text)


def skus(ranked: list[RankedProduct]) -> list[str]:
    return [r.product.sku for r in ranked]


def test_bayesian_rating_hand_values() -> None:
    # (10 * 3.5 + 5.0 * 2) / (10 + 2) = 45 / 12
    assert bayesian_rating(5.0, 2, 3.5, 10.0) == pytest.approx(3.75)
    # (10 * 3.5 + 4.7 * 2000) / 2010 = 9435 / 2010
    assert bayesian_rating(4.7, 2000, 3.5, 10.0) == pytest.approx(4.694029850746269)
    # No reviews: the prior mean.
    assert bayesian_rating(0.0, 0, 3.5, 10.0) == pytest.approx(3.5)


def test_many_reviews_beat_a_perfect_score_from_few() -> None:
    assert bayesian_rating(4.7, 2000, 3.5, 10.0) > bayesian_rating(5.0, 2, 3.5, 10.0)


def test_empty_input() -> None:
    assert FormulaRanker(FormulaWeights()).rank([], CONTEXT) == []


def test_text_only_weights_order_by_text_score() -> None:
    ranker = FormulaRanker(FormulaWeights(text=1.0, popularity=0.0, rating=0.0))
    ranked = ranker.rank(
        [
            item("A", text=1.0, popularity=1000),
            item("B", text=4.0),
            item("C", text=2.0, rating=5, reviews=999),
        ],
        CONTEXT,
    )
    assert skus(ranked) == ["B", "C", "A"]
    assert [r.score for r in ranked] == [1.0, 0.5, 0.25]  # text / max text


def test_popularity_only_weights_order_by_popularity() -> None:
    ranker = FormulaRanker(FormulaWeights(text=0.0, popularity=1.0, rating=0.0))
    ranked = ranker.rank([item("A", text=9.0, popularity=10), item("B", popularity=1000), item("C")], CONTEXT)
    assert skus(ranked) == ["B", "A", "C"]
    assert ranked[0].score == 1.0
    assert ranked[1].score == round(math.log1p(10) / math.log1p(1000), 6)
    assert ranked[2].score == 0.0


def test_rating_only_weights_use_the_bayesian_rating() -> None:
    ranker = FormulaRanker(FormulaWeights(text=0.0, popularity=0.0, rating=1.0))
    ranked = ranker.rank(
        [item("FEW", rating=5.0, reviews=2), item("MANY", rating=4.7, reviews=2000)], CONTEXT
    )
    assert skus(ranked) == ["MANY", "FEW"]
    assert ranked[1].score == round(3.75 / 5.0, 6)


def test_default_weights_hand_computed() -> None:
    ranker = FormulaRanker(FormulaWeights())
    ranked = ranker.rank(
        [item("A", text=2.0, popularity=99, rating=4.0, reviews=10), item("B", text=1.0, popularity=0)],
        CONTEXT,
    )
    # A: 0.7 * 1 + 0.2 * 1 + 0.1 * ((35 + 40) / 20) / 5 = 0.7 + 0.2 + 0.075
    # B: 0.7 * 0.5 + 0.2 * 0 + 0.1 * 3.5 / 5 = 0.35 + 0.07
    assert [(r.product.sku, r.score) for r in ranked] == [("A", 0.975), ("B", 0.42)]


def test_all_zero_text_scores_do_not_divide_by_zero() -> None:
    ranker = FormulaRanker(FormulaWeights(text=1.0, popularity=0.0, rating=0.0))
    ranked = ranker.rank([item("A"), item("B")], CONTEXT)
    assert [r.score for r in ranked] == [0.0, 0.0]


def test_ties_go_to_the_more_popular_then_the_sku() -> None:
    ranker = FormulaRanker(FormulaWeights(text=1.0, popularity=0.0, rating=0.0))
    ranked = ranker.rank(
        [
            item("C", text=1.0, popularity=5),
            item("B", text=1.0, popularity=5),
            item("A", text=1.0, popularity=1),
            item("D", text=1.0, popularity=9),
        ],
        CONTEXT,
    )
    assert skus(ranked) == ["D", "B", "C", "A"]


def test_tie_order_does_not_depend_on_the_input_order() -> None:
    ranker = FormulaRanker(FormulaWeights(text=1.0, popularity=0.0, rating=0.0))
    items = [item(s, text=1.0) for s in ("B", "C", "A")]
    assert skus(ranker.rank(items, CONTEXT)) == skus(ranker.rank(items[::-1], CONTEXT)) == ["A", "B", "C"]
