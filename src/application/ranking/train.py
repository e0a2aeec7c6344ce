"""RetrainRanker: learn from the impression log, evaluate on held-out days, promote if not worse.

Split by time, never by row: the last `holdout_days` of the window are the test set. The champion
(the promoted version, when its feature version matches) and the foundation's formula are scored
on the same held-out impressions; the challenger is promoted only when its NDCG@10 is not below
either by more than `tolerance`.
"""

import asyncio
import logging
import uuid
from datetime import timedelta

import msgspec
import numpy as np

from application.ports import Clock
from application.ranking.ports import Impression, ModelFitter, TrainingDataSource
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from domain.ranking.formula import FormulaWeights
from domain.ranking.learning import auc, examination_curve, gains, ipw_weights, mean_ndcg
from domain.ranking.ports import Matrix, ModelStore, ScoringModel
from domain.ranking.versions import ModelVersion

log = logging.getLogger(__name__)


class TrainingConfig(msgspec.Struct, frozen=True):
    window_days: float = 30.0
    holdout_days: float = 3.0
    min_impressions: int = 200
    tolerance: float = 0.0


class TrainingReport(msgspec.Struct, frozen=True):
    status: str  # "promoted", "kept_champion" or "skipped"
    reason: str = ""
    version: ModelVersion | None = None


def formula_scores(groups: np.ndarray, x: Matrix, weights: FormulaWeights) -> Matrix:
    """The foundation's formula from feature columns (log popularity normalised per query)."""
    text, log_pop, rating = x[:, 0], x[:, 1], x[:, 3]
    top = np.zeros_like(log_pop)
    for key in np.unique(groups):
        mask = groups == key
        top[mask] = log_pop[mask].max()
    pop = np.divide(log_pop, top, out=np.zeros_like(log_pop), where=top > 0)
    out: Matrix = weights.text * text + weights.popularity * pop + weights.rating * rating
    return out


class RetrainRanker:
    def __init__(
        self,
        source: TrainingDataSource,
        store: ModelStore,
        fitter: ModelFitter,
        clock: Clock,
        config: TrainingConfig = TrainingConfig(),
        formula: FormulaWeights = FormulaWeights(),
    ) -> None:
        self.source = source
        self.store = store
        self.fitter = fitter
        self.clock = clock
        self.config = config
        self.formula = formula

    async def __call__(self) -> TrainingReport:
        now = self.clock.now()
        since = now - timedelta(days=self.config.window_days)
        rows = await self.source.impressions(since, now)
        rows = [r for r in rows if len(r.features) == len(FEATURE_NAMES)]
        cut = now - timedelta(days=self.config.holdout_days)
        train = [r for r in rows if r.time < cut]
        test = [r for r in rows if r.time >= cut]
        if len(train) < self.config.min_impressions or not test:
            reason = f"{len(train)} training and {len(test)} held-out impressions"
            return TrainingReport(status="skipped", reason=reason)
        x, y, w = self._training_arrays(train)
        model = await asyncio.to_thread(self.fitter.fit, x, y, w)
        metrics = await self._evaluate(model, test)
        metrics["train_impressions"] = float(len(train))
        version = ModelVersion(
            version=f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}",
            created_at=now,
            metrics=metrics,
            features=FEATURE_NAMES,
            feature_version=FEATURE_VERSION,
            window_start=train[0].time if train else since,
            window_end=test[-1].time,
            libraries=self.fitter.libraries(),
        )
        await self.store.save(version, self.fitter.dumps(model))
        bar = max(metrics["formula_ndcg@10"], metrics.get("champion_ndcg@10", -1.0)) - self.config.tolerance
        if metrics["ndcg@10"] >= bar:
            await self.store.promote(version.version)
            log.info("promoted ranking model %s (ndcg@10 %.4f)", version.version, metrics["ndcg@10"])
            return TrainingReport(status="promoted", version=msgspec.structs.replace(version, promoted=True))
        log.info(
            "kept the champion: challenger %s ndcg@10 %.4f < %.4f", version.version, metrics["ndcg@10"], bar
        )
        return TrainingReport(status="kept_champion", reason="challenger is worse", version=version)

    def _training_arrays(self, rows: list[Impression]) -> tuple[Matrix, Matrix, Matrix]:
        x = np.asarray([r.features for r in rows], dtype=np.float64)
        positions = [r.position for r in rows]
        clicked = [r.clicked or r.carted for r in rows]
        y = gains(clicked, [r.carted for r in rows])
        curve = examination_curve(positions, clicked)
        return x, y, ipw_weights(positions, y, curve)

    async def _evaluate(self, model: ScoringModel, rows: list[Impression]) -> dict[str, float]:
        x = np.asarray([r.features for r in rows], dtype=np.float64)
        y = gains([r.clicked or r.carted for r in rows], [r.carted for r in rows])
        groups = np.asarray([r.search_id for r in rows])
        scores = np.asarray(model.predict(x), dtype=np.float64)
        formula = formula_scores(groups, x, self.formula)
        metrics = {
            "ndcg@10": mean_ndcg(groups, y, scores),
            "auc": auc(y > 0, scores),
            "formula_ndcg@10": mean_ndcg(groups, y, formula),
            "formula_auc": auc(y > 0, formula),
            "test_impressions": float(len(rows)),
        }
        champion = await self._champion()
        if champion is not None:
            champion_scores = np.asarray(champion.predict(x), dtype=np.float64)
            metrics["champion_ndcg@10"] = mean_ndcg(groups, y, champion_scores)
            metrics["champion_auc"] = auc(y > 0, champion_scores)
        return metrics

    async def _champion(self) -> ScoringModel | None:
        current = await self.store.promoted()
        if current is None or current.feature_version != FEATURE_VERSION:
            return None
        blob = await self.store.load(current.version)
        if blob is None:
            return None
        try:
            return self.fitter.loads(blob)
        except ValueError:
            log.warning("champion %s is unreadable; comparing with the formula only", current.version)
            return None
