"""Position bias learned as a feature: train with the logged position, score as if at the top.

The model sees ln(position) as one more column while it learns, so the clicks a product got only
because it sat high are put down to the position, not to its features; serving, every candidate
gets position 1 (ln 1 = 0), which compares them all as if each were shown first. This is the
position-as-feature correction (Guo et al., "PAL", RecSys 2019, a documented alternative to
inverse propensity weights): no weights, so no clipping and none of their variance.
"""

import numpy as np

from domain.ranking.ports import Matrix, ScoringModel


def with_positions(features: Matrix, positions: Matrix) -> Matrix:
    """The training matrix: the features and ln(position) as the last column."""
    column = np.log(np.maximum(np.asarray(positions, dtype=np.float64), 1.0)).reshape(-1, 1)
    return np.hstack([np.asarray(features, dtype=np.float64), column])


class AtTopPosition:
    """Scores rows of plain features with a model trained by `with_positions`, at position 1."""

    def __init__(self, model: ScoringModel) -> None:
        self.model = model

    def predict(self, features: Matrix) -> Matrix:
        rows = np.asarray(features, dtype=np.float64)
        return np.asarray(self.model.predict(with_positions(rows, np.ones(len(rows)))), dtype=np.float64)
