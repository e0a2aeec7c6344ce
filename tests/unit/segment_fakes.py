"""In-memory profile, cluster and event stores, and shoppers drawn from planted segments."""

from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np

from domain.ranking.model import ShopperProfile
from domain.shoppers.model import Cluster, ShopperEvent


class InMemoryProfiles:
    def __init__(self) -> None:
        self.profiles: dict[str, ShopperProfile] = {}

    async def save_many(self, profiles: Sequence[ShopperProfile], now: datetime) -> None:
        self.profiles.update({p.visitor_id: p for p in profiles})

    async def get(self, visitor_id: str) -> ShopperProfile | None:
        return self.profiles.get(visitor_id)

    async def all(self) -> list[ShopperProfile]:
        return list(self.profiles.values())


class InMemoryClusters:
    def __init__(self) -> None:
        self.clusters: list[Cluster] = []

    async def current(self) -> list[Cluster]:
        return list(self.clusters)

    async def replace(self, clusters: Sequence[Cluster], now: datetime) -> None:
        self.clusters = list(clusters)


class InMemoryEvents:
    def __init__(self, events: Sequence[ShopperEvent] = ()) -> None:
        self.events = list(events)

    async def events_since(
        self, since: datetime, visitor_ids: Sequence[str] | None = None
    ) -> list[ShopperEvent]:
        wanted = set(visitor_ids) if visitor_ids is not None else None
        return [e for e in self.events if e.time >= since and (wanted is None or e.visitor_id in wanted)]


SEGMENTS = {
    "runners": (["shoes", "sportswear"], 60.0),
    "gamers": (["games", "consoles"], 300.0),
    "cooks": (["kitchen", "groceries"], 25.0),
}


def segment_events(
    now: datetime, per_segment: int = 30, seed: int = 0
) -> tuple[list[ShopperEvent], dict[str, str]]:
    """Each shopper mostly (85 %) browses their segment's categories; returns events and true segments."""
    rng = np.random.default_rng(seed)
    every = [c for cats, _ in SEGMENTS.values() for c in cats]
    events, truth = [], {}
    for name, (categories, price) in SEGMENTS.items():
        for i in range(per_segment):
            visitor = f"{name}-{i}"
            truth[visitor] = name
            for j in range(20):
                category = str(rng.choice(categories)) if rng.random() < 0.85 else str(rng.choice(every))
                events.append(
                    ShopperEvent(
                        visitor_id=visitor,
                        sku=f"{category}-{j}",
                        kind=str(rng.choice(["view", "click", "add_to_cart"], p=[0.6, 0.3, 0.1])),
                        time=now - timedelta(hours=float(rng.uniform(0, 200))),
                        category=category,
                        brand=f"{category}-brand",
                        price=float(price * rng.uniform(0.7, 1.3)),
                    )
                )
    return events, truth
