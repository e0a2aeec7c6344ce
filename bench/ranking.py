"""Re-ranking cost: feature extraction and model scoring for N candidates, per search.

    .venv/bin/python bench/ranking.py --candidates 200 --runs 2000

Trains the real pipeline (RetrainRanker, scikit-learn gradient-boosted trees) on a synthetic
impression log, then times LearnedRanker.rank on 200 generated candidates with a shopper profile
(the personal path, the costlier one) against FormulaRanker.rank on the same candidates. Prints
p50/p95/p99 in milliseconds; the difference is the added latency. Never fails.
"""

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from adapters.learning.sklearn_fitter import SklearnFitter
from application.ranking.learned_ranker import LearnedRanker
from application.ranking.retrain_ranker import RetrainRanker
from domain.catalog.model import Product
from domain.ranking.formula import FormulaRanker, FormulaWeights
from domain.ranking.model import PriceBand, RankingContext, ScoredProduct, ShopperProfile
from tests.unit.fakes import FakeClock
from tests.unit.ranking_fakes import InMemoryModelStore, InMemoryTrainingData, planted_log


def candidates(n: int, now: datetime, rng: np.random.Generator) -> list[ScoredProduct]:
    categories = [f"cat{i}" for i in range(12)]
    return [
        ScoredProduct(
            Product(
                sku=f"SKU-{i}",
                title=f"product {i}",
                price=float(rng.uniform(5, 500)),
                category=str(rng.choice(categories)),
                brand=f"brand{rng.integers(0, 40)}",
                rating=float(rng.uniform(1, 5)),
                review_count=int(rng.integers(0, 2000)),
                popularity=float(rng.integers(0, 10000)),
                created_at=now - timedelta(days=float(rng.uniform(0, 700))),
            ),
            text_score=float(rng.uniform(1, 20)),
        )
        for i in range(n)
    ]


def percentiles(samples: list[float]) -> str:
    p50, p95, p99 = np.percentile(np.array(samples) * 1000, [50, 95, 99])
    return f"p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   p99 {p99:6.2f} ms"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    now = datetime.now(UTC)
    store = InMemoryModelStore()
    report = await RetrainRanker(
        InMemoryTrainingData(planted_log(now)), store, SklearnFitter(), FakeClock(now)
    )()
    print(
        f"trained: {report.status}, ndcg@10 {report.version.metrics['ndcg@10']:.3f}"
        if report.version
        else report
    )
    formula = FormulaRanker(FormulaWeights())
    learned = LearnedRanker(store, SklearnFitter(), formula, FakeClock(now), refresh_seconds=1e9)
    await learned.refresh()
    rng = np.random.default_rng(0)
    items = candidates(args.candidates, now, rng)
    profile = ShopperProfile(
        visitor_id="v",
        categories={f"cat{i}": 1 / 6 for i in range(6)},
        brands={f"brand{i}": 0.1 for i in range(10)},
        price=PriceBand(log_center=4.0, log_spread=0.6),
        category_prices={f"cat{i}": PriceBand(log_center=3.5 + 0.2 * i, log_spread=0.4) for i in range(6)},
        relative_price=PriceBand(log_center=0.2, log_spread=0.3),
        cluster=1,
        cluster_categories={"cat1": 0.5, "cat2": 0.5},
        recent={f"SKU-{i}": now - timedelta(hours=i) for i in range(0, args.candidates, 7)},
    )
    context = RankingContext(
        visitor_id="v", profile=profile, recent_popularity={f"SKU-{i}": i % 30 for i in range(50)}
    )
    timings: dict[str, list[float]] = {"formula": [], "learned": []}
    for _ in range(args.runs):
        for name, ranker in (("formula", formula), ("learned", learned)):
            start = time.perf_counter()
            ranker.rank(items, context)
            timings[name].append(time.perf_counter() - start)
    print(f"{args.candidates} candidates, {args.runs} runs each")
    for name, samples in timings.items():
        print(f"  {name:8s} {percentiles(samples)}")
    added = [a - b for a, b in zip(timings["learned"], timings["formula"], strict=True)]
    print(f"  {'added':8s} {percentiles(added)}")


if __name__ == "__main__":
    asyncio.run(main())
