"""Fakes for the learning-to-rank ports, and a synthetic impression log with planted structure."""

from datetime import datetime, timedelta

import msgspec
import numpy as np

from application.ranking.ports import TrainingImpression
from domain.ranking.features import FEATURE_NAMES
from domain.ranking.versions import ModelVersion


class InMemoryModelStore:
    def __init__(self) -> None:
        self.records: dict[str, ModelVersion] = {}
        self.blobs: dict[str, bytes] = {}
        self.loads = 0

    async def save(self, version: ModelVersion, blob: bytes) -> None:
        self.records[version.version] = msgspec.structs.replace(version, promoted=False)
        self.blobs[version.version] = blob

    async def promote(self, version: str) -> None:
        if version not in self.records:
            raise KeyError(version)
        for key, record in self.records.items():
            self.records[key] = msgspec.structs.replace(record, promoted=key == version)

    async def promoted(self) -> ModelVersion | None:
        return next((r for r in self.records.values() if r.promoted), None)

    async def load(self, version: str) -> bytes | None:
        self.loads += 1
        return self.blobs.get(version)

    async def versions(self) -> list[ModelVersion]:
        return sorted(self.records.values(), key=lambda r: r.created_at)


class InMemoryTrainingData:
    def __init__(self, rows: list[TrainingImpression]) -> None:
        self.rows = rows

    async def impressions(self, since: datetime, until: datetime) -> list[TrainingImpression]:
        return [r for r in self.rows if since <= r.time < until]


def planted_log(
    end: datetime, days: int = 10, searches_per_day: int = 60, per_page: int = 10, seed: int = 1
) -> list[TrainingImpression]:
    """Shoppers click what matches their category affinity far more than what is popular.

    The logged ranking is by popularity and text (the formula), the examination probability
    falls as 1 / position, and a click is examination times attractiveness, which rises steeply
    with the shopper's category affinity: a model that learns the affinity beats the formula.
    """
    rng = np.random.default_rng(seed)
    col = {name: i for i, name in enumerate(FEATURE_NAMES)}
    rows: list[TrainingImpression] = []
    for day in range(days):
        for s in range(searches_per_day):
            time = end - timedelta(days=days - day) + timedelta(minutes=s * 10)
            n = 30
            x = np.zeros((n, len(FEATURE_NAMES)))
            x[:, col["text"]] = rng.uniform(0.3, 1.0, n)
            x[:, col["log_popularity"]] = rng.uniform(0, 8, n)
            x[:, col["bayes_rating"]] = rng.uniform(0.6, 0.95, n)
            x[:, col["category_affinity"]] = rng.choice([0.0, 0.05, 0.8], n, p=[0.5, 0.3, 0.2])
            x[:, col["brand_affinity"]] = rng.uniform(0, 0.2, n)
            x[:, col["freshness"]] = rng.uniform(0, 1, n)
            x[:, col["personal"]] = 1.0
            logged = 0.7 * x[:, 0] + 0.2 * x[:, 1] / x[:, 1].max() + 0.1 * x[:, 3]
            shown = np.argsort(-logged)[:per_page]
            attract = 0.03 + 0.85 * x[:, col["category_affinity"]] + 0.05 * x[:, col["text"]]
            for position, i in enumerate(shown, start=1):
                examined = rng.random() < 1.0 / position**0.8
                clicked = bool(examined and rng.random() < attract[i])
                carted = bool(clicked and rng.random() < 0.3)
                rows.append(
                    TrainingImpression(
                        time=time,
                        visitor_id=f"v{s % 40}",
                        search_id=f"d{day}s{s}",
                        sku=f"p{day}-{s}-{i}",
                        position=position,
                        clicked=clicked,
                        carted=carted,
                        features=[float(v) for v in x[i]],
                    )
                )
    return rows
