"""FormulaRanker over arrays against the per-item loop it replaced: same scores, same order."""

import math
import random

import pytest

from domain.ranking.formula import FormulaRanker, FormulaWeights, bayesian_rating
from domain.ranking.model import RankingContext, ScoredProduct
from tests.unit.fakes import make_product


def reference(items: list[ScoredProduct], w: FormulaWeights) -> list[tuple[str, float]]:
    max_text = max(i.text_score for i in items)
    max_pop = math.log1p(max(i.product.popularity for i in items))
    ranked = []
    for item in items:
        p = item.product
        text = item.text_score / max_text if max_text > 0 else 0.0
        pop = math.log1p(p.popularity) / max_pop if max_pop > 0 else 0.0
        rating = bayesian_rating(p.rating, p.review_count, w.prior_mean, w.prior_count) / 5.0
        ranked.append((round(w.text * text + w.popularity * pop + w.rating * rating, 6), p))
    ranked.sort(key=lambda r: (-r[0], -r[1].popularity, r[1].sku))
    return [(p.sku, score) for score, p in ranked]


@pytest.mark.parametrize("seed", range(25))
def test_scores_and_order_equal_the_per_item_loop(seed: int) -> None:
    rng = random.Random(seed)
    items = [
        ScoredProduct(
            make_product(
                f"S{rng.randint(0, 999):03d}-{i}", "x", popularity=rng.choice([0.0, 5.0, rng.uniform(0, 9000)]),
                rating=rng.choice([0.0, 4.5, rng.uniform(0, 5)]), review_count=rng.choice([0, 10, rng.randint(0, 900)]),
            ),
            text_score=rng.choice([0.0, 1.0, rng.uniform(0, 20)]),  # repeats make ties
        )
        for i in range(rng.randint(1, 60))
    ]  # fmt: skip
    weights = FormulaWeights(text=rng.random(), popularity=rng.random(), rating=rng.random())
    ranked = FormulaRanker(weights).rank(items, RankingContext())
    assert [(r.product.sku, r.score) for r in ranked] == reference(items, weights)
