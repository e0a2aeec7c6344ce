"""What profiling and clustering need from outside."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import msgspec

from domain.ranking.model import ShopperProfile
from domain.shoppers.clustering import Matrix
from domain.shoppers.model import Cluster, ShopperEvent


class ShopperEventSource(Protocol):
    async def events_since(
        self, since: datetime, visitor_ids: Sequence[str] | None = None
    ) -> list[ShopperEvent]:
        """Views, clicks and add-to-carts since `since` (of these visitors, when given), with product fields."""
        ...


class ProfileStore(Protocol):
    async def save_many(self, profiles: Sequence[ShopperProfile], now: datetime) -> None: ...

    async def get(self, visitor_id: str) -> ShopperProfile | None: ...

    async def all(self) -> list[ShopperProfile]: ...


class ClusterStore(Protocol):
    async def current(self) -> list[Cluster]: ...

    async def replace(self, clusters: Sequence[Cluster], now: datetime) -> None: ...


class KMeansFit(msgspec.Struct, frozen=True):
    labels: list[int]
    centroids: list[list[float]]
    silhouette: float


class Clusterer(Protocol):
    def fit(self, vectors: Matrix, k: int) -> KMeansFit: ...
