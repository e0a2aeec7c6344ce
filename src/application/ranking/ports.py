"""What training needs from outside: the impression log and a learner."""

from datetime import datetime
from typing import Protocol

import msgspec

from domain.ranking.ports import Matrix, ScoringModel


class TrainingImpression(msgspec.Struct, frozen=True, kw_only=True):
    """One product shown in one search, with what the shopper did and its features at the time."""

    time: datetime
    visitor_id: str
    search_id: str
    sku: str
    position: int
    clicked: bool
    carted: bool
    features: list[float]


class TrainingDataSource(Protocol):
    async def impressions(self, since: datetime, until: datetime) -> list[TrainingImpression]:
        """Impressions shown in [since, until), oldest first."""
        ...


class ModelFitter(Protocol):
    def fit(self, features: Matrix, gains: Matrix, weights: Matrix) -> ScoringModel: ...

    def dumps(self, model: ScoringModel) -> bytes: ...

    def loads(self, blob: bytes) -> ScoringModel:
        """Raise ValueError for a blob that is not a model this fitter wrote."""
        ...

    def libraries(self) -> dict[str, str]: ...
