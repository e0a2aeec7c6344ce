"""Position as a training feature: the column it adds, and scoring at the top position."""

import numpy as np

from domain.ranking.position import AtTopPosition, with_positions


class Recording:
    def __init__(self) -> None:
        self.seen: list[np.ndarray] = []

    def predict(self, features: np.ndarray) -> np.ndarray:
        self.seen.append(features)
        return features.sum(axis=1)


def test_the_position_column_is_the_log_of_the_position_last() -> None:
    x = np.array([[0.5, 2.0], [0.1, 0.0], [0.0, 1.0]])
    out = with_positions(x, np.array([1.0, 4.0, 0.0]))
    assert out.shape == (3, 3)
    np.testing.assert_allclose(out[:, :2], x)
    np.testing.assert_allclose(out[:, 2], [0.0, np.log(4.0), 0.0])  # a position below 1 counts as 1


def test_serving_scores_every_row_as_if_shown_first() -> None:
    inner = Recording()
    model = AtTopPosition(inner)
    scores = model.predict(np.array([[1.0, 2.0], [3.0, 0.5]]))
    np.testing.assert_allclose(scores, [3.0, 3.5])
    np.testing.assert_allclose(inner.seen[0][:, -1], [0.0, 0.0])
    assert model.predict(np.zeros((0, 2))).shape == (0,)
