"""The foundation's relevance formula, the fallback of every learned ranker.

score = w_text * text / max_text
      + w_popularity * ln(1 + popularity) / ln(1 + max_popularity)
      + w_rating * bayes_rating / 5,
bayes_rating = (prior_count * prior_mean + rating * review_count) / (prior_count + review_count).

Maxima are taken over the candidates being ranked, so each part lies in [0, 1].
"""

import math
from collections.abc import Sequence
from operator import attrgetter

import msgspec
import numpy as np

from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct
from domain.ranking.rounding import round6

_PRODUCT = attrgetter("product")
_FIELDS = attrgetter("popularity", "rating", "review_count")


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
        # Column by column, in the scalar formula's order of operations (so the scores are equal
        # to the bit); log1p stays libm's, numpy's SIMD one differs in the last bit now and then.
        products = list(map(_PRODUCT, items))
        popularity, ratings, reviews = zip(*map(_FIELDS, products), strict=True)
        texts = np.array([i.text_score for i in items])
        max_text = float(texts.max())
        text = texts / max_text if max_text > 0 else 0.0
        log_popularity = np.array(list(map(math.log1p, popularity)))
        max_pop = math.log1p(max(popularity))
        pop = log_popularity / max_pop if max_pop > 0 else 0.0
        review_count = np.array(reviews, dtype=np.float64)
        bayes = (w.prior_count * w.prior_mean + np.array(ratings) * review_count) / (
            w.prior_count + review_count
        )
        scores = w.text * text + w.popularity * pop + w.rating * (bayes / 5.0)
        rounded = round6(np.broadcast_to(scores, (len(items),)))
        # Ties (equal score) keep a stable, meaningful order: more popular, then sku.
        skus = np.array([p.sku for p in products])
        order = np.lexsort((skus, -np.array(popularity, dtype=np.float64), -np.array(rounded)))
        return [RankedProduct(product=products[i], score=rounded[i]) for i in order.tolist()]
