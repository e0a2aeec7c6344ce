"""Shopper vectors for clustering, and stable cluster labels across refits.

A refit's clusters are relabelled to the previous fit's by the assignment of new centroids to old
ones with the least total squared distance (exact, by dynamic programming over subsets: k <= 8),
so "cluster 3" keeps meaning the same kind of shopper.
"""

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from domain.ranking.model import ShopperProfile

Matrix = npt.NDArray[np.float64]
PRICE_DIMENSION = "price:log_center"
# Price is on a log scale (a few units); this keeps it from outweighing category shares (0..1).
PRICE_SCALE = 0.1


def dimensions(categories: Sequence[str]) -> list[str]:
    return [f"category:{c}" for c in sorted(set(categories))] + [PRICE_DIMENSION]


def profile_matrix(profiles: Sequence[ShopperProfile], dims: Sequence[str]) -> Matrix:
    x = np.zeros((len(profiles), len(dims)))
    index = {d: i for i, d in enumerate(dims)}
    for row, profile in enumerate(profiles):
        for category, share in profile.categories.items():
            column = index.get(f"category:{category}")
            if column is not None:
                x[row, column] = share
        if profile.price is not None and PRICE_DIMENSION in index:
            x[row, index[PRICE_DIMENSION]] = profile.price.log_center * PRICE_SCALE
    return x


def _best_assignment(cost: Matrix) -> list[int]:
    """For each row (new cluster), a distinct column (old label) minimising the total cost.

    Needs rows <= columns. DP over the set of used columns: rows * 2**columns steps.
    """
    rows, cols = cost.shape
    best: dict[int, tuple[float, list[int]]] = {0: (0.0, [])}
    for r in range(rows):
        nxt: dict[int, tuple[float, list[int]]] = {}
        for used, (total, picks) in best.items():
            for c in range(cols):
                if used & (1 << c):
                    continue
                key = used | (1 << c)
                value = total + float(cost[r, c])
                if key not in nxt or value < nxt[key][0]:
                    nxt[key] = (value, [*picks, c])
        best = nxt
    return min(best.values(), key=lambda item: item[0])[1]


def stable_labels(previous: Matrix | None, centroids: Matrix) -> list[int]:
    """label[i] for new cluster i: the matched previous label, or fresh labels past the old ones."""
    k = len(centroids)
    if previous is None or len(previous) == 0 or previous.shape[1] != centroids.shape[1]:
        return list(range(k))
    cost = ((centroids[:, None, :] - previous[None, :, :]) ** 2).sum(axis=2)
    if k <= len(previous):
        return _best_assignment(cost)
    # More clusters than before: the old labels go to the best-matching new ones, the rest are new.
    matched_new = _best_assignment(cost.T)  # for each old label, its new cluster
    labels = [-1] * k
    for old, new in enumerate(matched_new):
        labels[new] = old
    fresh = len(previous)
    for i in range(k):
        if labels[i] < 0:
            labels[i] = fresh
            fresh += 1
    return labels
