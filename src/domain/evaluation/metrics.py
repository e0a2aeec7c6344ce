"""Offline ranking metrics for one query: NDCG@k, reciprocal rank, recall@k.

Grades are non-negative integers (0 = not relevant). Gains are linear in the grade and the
discount is 1 / log2(rank + 1), the convention of scikit-learn's `ndcg_score`, so the two agree.
The ideal ranking is built from every judged product of the query, retrieved or not: a relevant
product the engine never returned lowers NDCG instead of being ignored.
"""

from collections.abc import Mapping, Sequence

import msgspec
import numpy as np


class QueryMetrics(msgspec.Struct, frozen=True):
    query: str
    ndcg: float
    reciprocal_rank: float
    recall: float
    relevant: int  # judged products at or above the relevance threshold
    retrieved: int  # products the engine returned


def dcg(grades: Sequence[float], k: int) -> float:
    top = np.asarray(grades[:k], dtype=float)
    if top.size == 0:
        return 0.0
    discounts = 1.0 / np.log2(np.arange(2, top.size + 2))
    return float(np.dot(top, discounts))


def ndcg_at_k(ranked: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    """DCG of the engine's top k over the DCG of the judged products in the best order.

    A query without any positive grade has no ideal ranking; it scores 0 (and the evaluator
    refuses such queries rather than averaging a meaningless value in).
    """
    ideal = dcg(sorted((g for g in judged.values() if g > 0), reverse=True), k)
    if ideal == 0.0:
        return 0.0
    return dcg([judged.get(sku, 0) for sku in ranked], k) / ideal


def reciprocal_rank(ranked: Sequence[str], judged: Mapping[str, int], threshold: int = 1) -> float:
    """1 / rank of the first product graded at least `threshold`; 0 when none was returned."""
    for rank, sku in enumerate(ranked, start=1):
        if judged.get(sku, 0) >= threshold:
            return 1.0 / rank
    return 0.0


def recall_at_k(ranked: Sequence[str], judged: Mapping[str, int], k: int, threshold: int = 1) -> float:
    """Share of the products graded at least `threshold` that appear in the top k."""
    relevant = {sku for sku, grade in judged.items() if grade >= threshold}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def score_query(
    query: str,
    ranked: Sequence[str],
    judged: Mapping[str, int],
    *,
    ndcg_k: int = 10,
    recall_k: int = 100,
    threshold: int = 1,
) -> QueryMetrics:
    return QueryMetrics(
        query=query,
        ndcg=ndcg_at_k(ranked, judged, ndcg_k),
        reciprocal_rank=reciprocal_rank(ranked, judged, threshold),
        recall=recall_at_k(ranked, judged, recall_k, threshold),
        relevant=sum(1 for g in judged.values() if g >= threshold),
        retrieved=len(ranked),
    )
