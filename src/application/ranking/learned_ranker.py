"""LearnedRanker: the promoted model scores the candidates; the formula answers when it cannot.

`rank` is synchronous (the search use case calls it in the request); the promoted version is
re-read from the store in the background at most every `refresh_seconds`, so API processes pick
up a new model without a restart. A missing, unreadable or failing model means the formula
ranks, with a log line, never a failed search.
"""

import asyncio
import logging
import time
from collections.abc import Sequence
from datetime import datetime

import numpy as np

from application.ports import Clock
from application.ranking.ports import ModelFitter
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION, FeatureConfig, compute_features
from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct
from domain.ranking.ports import ModelStore, Ranker, ScoringModel
from domain.ranking.rounding import round6

log = logging.getLogger(__name__)


class LearnedRanker:
    def __init__(
        self,
        store: ModelStore,
        fitter: ModelFitter,
        fallback: Ranker,
        clock: Clock,
        refresh_seconds: float = 30.0,
        features: FeatureConfig = FeatureConfig(),
    ) -> None:
        self.store = store
        self.fitter = fitter
        self.fallback = fallback
        self.clock = clock
        self.refresh_seconds = refresh_seconds
        self.features = features
        self.model: ScoringModel | None = None
        self.version: str | None = None
        self.created_at: datetime | None = None  # when the model in use was trained
        self._checked_at = float("-inf")
        self._task: asyncio.Task[None] | None = None
        self._watch: asyncio.Task[None] | None = None
        self._state = ""

    def watch(self) -> None:
        """Re-read the promoted version every `refresh_seconds` whether or not searches come: an
        idle process, or one answering from the shared result cache, still switches in time."""
        if self._watch is None or self._watch.done():
            self._watch = asyncio.get_running_loop().create_task(self._watching())

    async def _watching(self) -> None:
        while True:
            await asyncio.sleep(max(0.1, self.refresh_seconds - (time.monotonic() - self._checked_at)))
            if time.monotonic() - self._checked_at >= self.refresh_seconds:
                await self.refresh()

    async def refresh(self) -> None:
        """Load the promoted version if it changed; fall back to the formula if it cannot be used."""
        self._checked_at = time.monotonic()
        try:
            current = await self.store.promoted()
            if current is None:
                self._use(None, None, "no promoted model")
                return
            if current.version == self.version and self.model is not None:
                return
            if current.feature_version != FEATURE_VERSION or tuple(current.features) != FEATURE_NAMES:
                self._use(None, current.version, "its features do not match this code")
                return
            blob = await self.store.load(current.version)
            if blob is None:
                self._use(None, current.version, "its blob is missing")
                return
            self._use(self.fitter.loads(blob), current.version, "")
            self.created_at = current.created_at
        except Exception as exc:  # a broken store or blob must never break search
            self._use(None, None, f"{exc.__class__.__name__}: {exc}")

    async def close(self) -> None:
        """Let a background check in flight finish before the store's connections close."""
        if self._watch is not None:
            self._watch.cancel()
            await asyncio.gather(self._watch, return_exceptions=True)
        if self._task is not None and not self._task.done():
            await asyncio.gather(self._task, return_exceptions=True)

    def _use(self, model: ScoringModel | None, version: str | None, why: str) -> None:
        """Switch models; log each change of state once, not on every check."""
        state = f"{version}:{why}"
        if state != self._state:
            if model is not None:
                log.info("ranking with model %s", version)
            elif version is None and why == "no promoted model":
                log.info("ranking with the formula: no promoted model yet")
            else:
                log.warning("ranking with the formula: model %s unusable (%s)", version, why)
        self._state = state
        self.model, self.version = model, version if model is not None else None
        if model is None:
            self.created_at = None

    def _maybe_refresh(self) -> None:
        if time.monotonic() - self._checked_at < self.refresh_seconds:
            return
        if self._task is not None and not self._task.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._checked_at = time.monotonic()
        self._task = loop.create_task(self.refresh())

    def rank(self, items: Sequence[ScoredProduct], context: RankingContext) -> list[RankedProduct]:
        self._maybe_refresh()
        model = self.model
        if not items:
            return self.fallback.rank(items, context)
        try:
            x = compute_features(
                items, self.clock.now(), context.profile, context.recent_popularity, self.features
            )
        except Exception as exc:
            log.warning("features failed (%s); ranking with the formula", exc)
            return self.fallback.rank(items, context)
        # Features are computed (and logged) under the formula too: that traffic is training data.
        flat, width = round6(x), x.shape[1]  # rounded all at once, then cut into rows
        rows = [tuple(flat[start : start + width]) for start in range(0, len(flat), width)]
        vectors = dict(zip((item.product.sku for item in items), rows, strict=True))
        if model is None:
            return _with_features(self.fallback.rank(items, context), vectors)
        try:
            scores = np.asarray(model.predict(x), dtype=np.float64)
            if scores.shape != (len(items),) or not np.all(np.isfinite(scores)):
                raise ValueError(f"model returned scores of shape {scores.shape}")
        except Exception as exc:
            log.warning("model %s failed (%s); ranking with the formula", self.version, exc)
            return _with_features(self.fallback.rank(items, context), vectors)
        ranked = [
            RankedProduct(product=item.product, score=s, features=vectors[item.product.sku])
            for item, s in zip(items, round6(scores), strict=True)
        ]
        ranked.sort(key=lambda r: (-r.score, -r.product.popularity, r.product.sku))
        return ranked


def _with_features(ranked: list[RankedProduct], vectors: dict[str, tuple[float, ...]]) -> list[RankedProduct]:
    return [
        RankedProduct(product=r.product, score=r.score, features=vectors.get(r.product.sku, ()))
        for r in ranked
    ]
