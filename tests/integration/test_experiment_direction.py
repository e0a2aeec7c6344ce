"""The experiment pipeline at the benchmark's size: the learned ranking beats the formula, and the A/B agrees.

The same code as `bench/experiment.py` (seed the demo shop, simulate, retrain through the job
runner, compare on hidden-taste grades, simulate the A/B with the worker's retrains), on SQLite,
at its default sizes. The assertions are about direction, never exact figures: the hidden-taste
gain with its interval clear of zero, the gate promoting, and both A/B lifts above zero. Whether
the A/B's intervals exclude zero is what the benchmark reports; at this size they usually do, but
a lift of about 5 % sits close to the interval's half-width, so a test on it would be a coin toss
for some seeds (figures over many seeds in docs/benchmarks.md).
"""

import os
from pathlib import Path

from entrypoints.experiment import ExperimentSizes, run_experiment
from entrypoints.settings import load_settings

SIZES = ExperimentSizes(
    products=3000, shoppers=350, sessions=6, days=14, heldout_queries=2, ab_sessions=12, ab_days=7, seed=3
)


async def test_the_learned_ranking_beats_the_formula_and_wins_the_ab(make_database, tmp_path: Path) -> None:
    url = await make_database("sqlite")
    settings = load_settings(
        {"DATABASE_URL": url, "MODELS_DIR": str(tmp_path / "models")}, dotenv=Path(os.devnull)
    )

    report = await run_experiment(settings, SIZES)

    comparison = report.comparison
    assert comparison.queries >= 500
    assert comparison.difference.ci_low > 0, comparison.difference
    assert report.training.status == "promoted", report.training
    assert report.serving is not None and report.ab_retrains, report.ab_retrains
    ab = report.ab
    assert ab.control.searches > 2000 and ab.treatment.searches > 2000
    assert ab.ctr_lift.lift is not None and ab.ctr_lift.lift > 0, ab.ctr_lift
    assert ab.cart_lift.lift is not None and ab.cart_lift.lift > 0, ab.cart_lift
    assert ab.ctr_lift.ci_high is not None and ab.ctr_lift.ci_low is not None
    assert ab.ctr_lift.ci_low < ab.ctr_lift.lift < ab.ctr_lift.ci_high
