"""The foundation's relevance formula, the fallback of every learned ranker.

score = w_text * text / max_text
      + w_popularity * ln(1 + popularity) / ln(1 + max_popularity)
      + w_rating * bayes_rating / 5,
bayes_rating = (prior_count * prior_mean + rating * review_count) / (prior_count + review_count).

Maxima are taken over the candidates being ranked, so each part lies in [0, 1].
"""

import math
from collections.abc import Sequence

import msgspec

from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct


class FormulaWeights(msgspec.Struct, frozen=True):
    text: float = 0.70
    popularity: float = 0.20
    rating: float = 0.10
    prior_mean: float = 3.5
    prior_count: float = 10.0


def bayesian_rating(rating: float, review_count: int, prior_mean: float, prior_count: float) -> float:
    """A 5.0 from two reviews should not beat a 4.7 from two thousand."""
    return (prior_count * prior_mean + rating * review_count) / (prior_count + review_count)


class FormulaRanker:
    def __init__(self, weights: FormulaWeights) -> None:
        self.weights = weights

    def rank(self, items: Sequence[ScoredProduct], context: RankingContext) -> list[RankedProduct]:
        if not items:
            return []
        w = self.weights
        max_text = max(i.text_score for i in items)
        max_pop = math.log1p(max(i.product.popularity for i in items))
        ranked = []
        for item in items:
            p = item.product
            text = item.text_score / max_text if max_text > 0 else 0.0
            pop = math.log1p(p.popularity) / max_pop if max_pop > 0 else 0.0
            rating = bayesian_rating(p.rating, p.review_count, w.prior_mean, w.prior_count) / 5.0
            score = w.text * text + w.popularity * pop + w.rating * rating
            ranked.append(RankedProduct(product=p, score=round(score, 6)))
        # Ties (equal score) keep a stable, meaningful order: more popular, then sku.
        ranked.sort(key=lambda r: (-r.score, -r.product.popularity, r.product.sku))
        return ranked
