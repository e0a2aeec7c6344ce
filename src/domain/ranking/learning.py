"""Labels, position-bias correction and offline metrics for learning to rank (pure numpy).

Examination curve: the click-through rate at each position divided by the rate at position 1,
made non-increasing and floored. Shown products at lower positions are less relevant as well as
less examined, so this over-corrects a little (it is the documented, randomisation-free
approximation); the floor caps inverse-propensity weights at 1 / floor.
"""

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float64]
CARTED_GAIN = 2.0
CLICKED_GAIN = 1.0


def gains(clicked: Sequence[bool], carted: Sequence[bool]) -> Vector:
    """Carted 2, clicked 1, shown and skipped 0."""
    c = np.asarray(clicked, dtype=bool)
    a = np.asarray(carted, dtype=bool)
    return np.where(a, CARTED_GAIN, np.where(c, CLICKED_GAIN, 0.0))


def examination_curve(positions: Sequence[int], clicked: Sequence[bool], floor: float = 0.05) -> Vector:
    """propensity[p - 1] for positions 1..max(positions)."""
    pos = np.asarray(positions, dtype=np.int64)
    clicks = np.asarray(clicked, dtype=np.float64)
    if pos.size == 0:
        return np.ones(1)
    top = int(pos.max())
    shown = np.bincount(pos - 1, minlength=top).astype(np.float64)
    hit = np.bincount(pos - 1, weights=clicks, minlength=top)
    # Add-one smoothing keeps rarely shown positions from swinging to 0 or 1.
    ctr = (hit + 0.5) / (shown + 1.0)
    curve = np.minimum.accumulate(ctr / ctr[0])
    return np.clip(curve, floor, 1.0)


def ipw_weights(
    positions: Sequence[int], labels: Vector, curve: Vector, max_weight: float = float("inf")
) -> Vector:
    """Positives weigh 1 / propensity of the position they were shown at; negatives weigh 1.

    `max_weight` clips the weights (clipped inverse propensity weighting): a click at the foot
    of the page would otherwise count a dozen times, which adds more variance than the bias it
    removes on a small log. Clipping keeps part of the bias for the lowest positions.
    """
    pos = np.clip(np.asarray(positions, dtype=np.int64), 1, len(curve))
    return np.where(labels > 0, np.minimum(1.0 / curve[pos - 1], max_weight), 1.0)


def counterfactual_gains(
    groups: Sequence[str] | npt.NDArray[np.str_],
    positions: Sequence[int],
    gains: Vector,
    scores: Vector,
    curve: Vector,
) -> Vector:
    """Per search: the gain a ranking would have collected had it ordered the items shown.

    Under the position-based click model a shown item is clicked with probability
    examination(position) * attractiveness, so gain * examination(new) / examination(logged)
    estimates, without bias, the item's gain at the position the new ranking gives it among
    the same shown items and the positions they were shown at. Summed per search, it scores any ranking on logged impressions on an
    equal footing with the one that logged them, which the plain NDCG of the clicks does not:
    clicks pile up where the logging ranking put things, so re-ranking them by clicks always
    favours that ranking. Ties in `scores` keep the logged order. One value per search, in the
    order of `np.unique(groups)`.
    """
    _, inverse = np.unique(np.asarray(groups), return_inverse=True)
    pos = np.clip(np.asarray(positions, dtype=np.int64), 1, len(curve))
    # Within each search, the k-th item by score takes the k-th smallest position the search
    # showed (pages and gaps kept); ties keep the logged order. One sort for all searches.
    by_score = np.lexsort((pos, -np.asarray(scores, dtype=np.float64), inverse))
    by_position = np.lexsort((pos, inverse))
    new = np.empty(len(pos), dtype=np.int64)
    new[by_score] = pos[by_position]
    moved = np.asarray(gains, dtype=np.float64) * curve[new - 1] / curve[pos - 1]
    return np.bincount(inverse, weights=moved, minlength=int(inverse.max(initial=-1)) + 1).astype(np.float64)


def ndcg_at(relevance: Vector, scores: Vector, k: int = 10) -> float:
    """NDCG@k of one query (gain = relevance, log2 discount); ties take the listed order."""
    order = np.argsort(-scores, kind="stable")[:k]
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = float(np.sum(relevance[order] * discount[: len(order)]))
    ideal = np.sort(relevance)[::-1][:k]
    idcg = float(np.sum(ideal * discount[: len(ideal)]))
    return dcg / idcg if idcg > 0 else 0.0


def mean_ndcg(
    groups: Sequence[str] | npt.NDArray[np.str_], relevance: Vector, scores: Vector, k: int = 10
) -> float:
    """Mean NDCG@k over the queries that have at least one relevant product."""
    keys = np.asarray(groups)
    values = []
    for key in np.unique(keys):
        mask = keys == key
        if relevance[mask].max() > 0:
            values.append(ndcg_at(relevance[mask], scores[mask], k))
    return float(np.mean(values)) if values else 0.0


def auc(positive: Sequence[bool] | npt.NDArray[np.bool_], scores: Vector) -> float:
    """Area under the ROC curve by ranks (Mann-Whitney), ties counted half; 0.5 when undefined."""
    pos = np.asarray(positive, dtype=bool)
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return 0.5
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = scores[order]
    # Average ranks over ties.
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    avg = first + (counts + 1) / 2.0
    ranks[order] = np.repeat(avg, counts)
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))
