from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct
from domain.ranking.versions import ModelVersion

Matrix = npt.NDArray[np.float64]


class Ranker(Protocol):
    def rank(self, items: Sequence[ScoredProduct], context: RankingContext) -> list[RankedProduct]:
        """Order text matches, best first, with the score that ordered them."""
        ...


class ScoringModel(Protocol):
    def predict(self, features: Matrix) -> Matrix:
        """One score per row; higher ranks first."""
        ...


class ModelStore(Protocol):
    """Model versions and their serialized blobs; exactly one version (or none) is promoted."""

    async def save(self, version: ModelVersion, blob: bytes) -> None: ...

    async def promote(self, version: str) -> None: ...

    async def promoted(self) -> ModelVersion | None: ...

    async def load(self, version: str) -> bytes | None: ...

    async def versions(self) -> list[ModelVersion]: ...
