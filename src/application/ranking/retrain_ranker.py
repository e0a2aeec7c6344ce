"""RetrainRanker: learn from the impression log, evaluate on held-out days, promote if not worse.

Split by time, never by row: the last `holdout_days` of the window are the test set. Training
regresses graded gains (cart 2, click 1). Position bias, by `position_bias`: "feature" (the
default) gives the model the logged position as one more column and scores at position 1
(`domain/ranking/position.py`); "ipw" weighs clicked rows by the inverse of the examination curve
estimated on the training days, clipped at `max_weight`.

The gate: the challenger, the champion (the promoted version, when its feature version matches)
and the foundation's formula re-rank the same held-out pages, and each is scored by its
counterfactual gain per search (`counterfactual_gains`: every logged click and cart moved to the
position the ranking gives it, weighted by the ratio of the examination probabilities). The
challenger is promoted only when its mean is not below either's by more than `tolerance`. The
plain NDCG@10 and AUC of the held-out clicks are recorded too, but they are not the gate: clicks
gather where the logging ranking put things, so re-ranking them by clicks favours whatever ranking
served the log, and the formula served the first model's log.
"""

import asyncio
import logging
import uuid
from datetime import timedelta

import msgspec
import numpy as np

from application.notifications.ports import ChangeNotices
from application.ports import Clock
from application.ranking.ports import ModelFitter, TrainingDataSource, TrainingImpression
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from domain.ranking.formula import FormulaWeights
from domain.ranking.learning import (
    Vector,
    auc,
    counterfactual_gains,
    examination_curve,
    gains,
    ipw_weights,
    mean_ndcg,
)
from domain.ranking.ports import Matrix, ModelStore, ScoringModel
from domain.ranking.position import AtTopPosition, with_positions
from domain.ranking.versions import ModelVersion

log = logging.getLogger(__name__)


class TrainingConfig(msgspec.Struct, frozen=True):
    window_days: float = 30.0
    holdout_days: float = 3.0
    min_impressions: int = 200
    tolerance: float = 0.0
    max_weight: float = 3.0  # clip of the inverse-propensity weights of the training positives
    position_bias: str = "feature"  # "feature": position as a training column; "ipw": weights


POSITION_BIAS_METHODS = ("feature", "ipw")


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
        notices: ChangeNotices | None = None,
    ) -> None:
        self.source = source
        self.store = store
        self.fitter = fitter
        self.clock = clock
        self.config = config
        self.formula = formula
        self.notices = notices

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
        curve = examination_curve([r.position for r in train], [r.clicked or r.carted for r in train])
        x, y, w = self._training_arrays(train, curve)
        model = await asyncio.to_thread(self.fitter.fit, x, y, w)
        if self.config.position_bias == "feature":
            model = AtTopPosition(model)
        metrics = await self._evaluate(model, test, curve)
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
            position_bias=self.config.position_bias,
        )
        await self.store.save(version, self.fitter.dumps(model))
        bar = max(metrics["formula_gain"], metrics.get("champion_gain", -1.0)) - self.config.tolerance
        if metrics["gain"] >= bar:
            await self.store.promote(version.version)
            log.info("promoted ranking model %s (counterfactual gain %.4f)", version.version, metrics["gain"])
            if self.notices is not None:  # webhooks: stored here, sent later by their own job
                await self.notices.publish(
                    "model.promoted",
                    {"version": version.version, "created_at": version.created_at, "metrics": metrics,
                     "feature_version": version.feature_version, "position_bias": version.position_bias},
                )  # fmt: skip
            return TrainingReport(status="promoted", version=msgspec.structs.replace(version, promoted=True))
        log.info(
            "kept the champion: challenger %s counterfactual gain %.4f < %.4f",
            version.version,
            metrics["gain"],
            bar,
        )
        return TrainingReport(status="kept_champion", reason="challenger is worse", version=version)

    def _training_arrays(
        self, rows: list[TrainingImpression], curve: Vector
    ) -> tuple[Matrix, Matrix, Matrix]:
        x = np.asarray([r.features for r in rows], dtype=np.float64)
        positions = [r.position for r in rows]
        y = gains([r.clicked or r.carted for r in rows], [r.carted for r in rows])
        if self.config.position_bias == "feature":
            return with_positions(x, np.asarray(positions, dtype=np.float64)), y, np.ones(len(y))
        return x, y, ipw_weights(positions, y, curve, self.config.max_weight)

    async def _evaluate(
        self, model: ScoringModel, rows: list[TrainingImpression], curve: Vector
    ) -> dict[str, float]:
        """Held-out metrics of the challenger, the formula and the champion on the same pages.

        `gain`: mean counterfactual gain per search (the gate); `ndcg@10`, `auc`: of the logged
        clicks and carts as they fell, biased toward the ranking that served the log.
        """
        x = np.asarray([r.features for r in rows], dtype=np.float64)
        y = gains([r.clicked or r.carted for r in rows], [r.carted for r in rows])
        groups = np.asarray([r.search_id for r in rows])
        positions = [r.position for r in rows]
        metrics: dict[str, float] = {"test_impressions": float(len(rows))}
        rankers: list[tuple[str, Vector]] = [
            ("", np.asarray(model.predict(x), dtype=np.float64)),
            ("formula_", formula_scores(groups, x, self.formula)),
        ]
        champion = await self._champion()
        if champion is not None:
            rankers.append(("champion_", np.asarray(champion.predict(x), dtype=np.float64)))
        for prefix, scores in rankers:
            metrics[f"{prefix}gain"] = float(
                np.mean(counterfactual_gains(groups, positions, y, scores, curve))
            )
            metrics[f"{prefix}ndcg@10"] = mean_ndcg(groups, y, scores)
            metrics[f"{prefix}auc"] = auc(y > 0, scores)
        metrics["logged_gain"] = float(y.sum() / max(len(np.unique(groups)), 1))
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
