"""Learned ranking vs the formula, and the simulated A/B, on simulated traffic.

    .venv/bin/python bench/experiment.py             # SQLite in a temporary directory
    .venv/bin/python bench/experiment.py --postgres  # a throwaway PostgreSQL database
    .venv/bin/python bench/experiment.py --quick     # a small run (about a minute)

Seeds a fresh database with the demo catalog and simulated shoppers, simulates traffic through
the real use cases, retrains through the job runner, compares the learned model with the formula
on held-out queries graded by the shoppers' hidden tastes, then simulates more days with the
model serving the personalized arm and reads the A/B out of the event log. Seeded: the same
sizes and seed give the same traffic. Prints figures; never fails on them.
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from domain.analytics.statistics import Lift
from domain.evaluation.intervals import Estimate
from entrypoints.cli.db import upgrade
from entrypoints.experiment import ExperimentReport, ExperimentSizes, run_experiment
from entrypoints.settings import load_settings

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
QUICK = ExperimentSizes(
    products=1500, shoppers=200, sessions=6, days=10, heldout_queries=2, ab_sessions=5, ab_days=5
)
FULL = ExperimentSizes(
    products=3000, shoppers=350, sessions=6, days=14, heldout_queries=2, ab_sessions=12, ab_days=7
)


def estimate(e: Estimate) -> str:
    return f"{e.mean:.4f}  [{e.ci_low:.4f}, {e.ci_high:.4f}]"


def lift(x: Lift) -> str:
    if x.lift is None or x.ci_low is None or x.ci_high is None:
        return "undefined"
    p = "n/a" if x.p_value is None else f"{x.p_value:.2g}"
    return f"{x.lift:+.1%}  [{x.ci_low:+.1%}, {x.ci_high:+.1%}]  p = {p}"


def print_report(r: ExperimentReport, backend: str, seconds: float) -> None:
    s = r.sizes
    print(f"\n{backend}: {s.products} products, {s.shoppers} shoppers {r.accounts_by_arm}, seed {s.seed}")
    b = r.before
    print(
        f"before training: {s.sessions} sessions each over {s.days:g} days: {b.searches} searches, "
        f"{b.impressions} results shown, {b.clicks} clicks, {b.carts} cart adds"
    )
    t = r.training
    print(f"retrain job: {t.status} {t.reason}")
    if t.version is not None:
        m = t.version.metrics
        print(
            f"  held-out days, counterfactual gain per search (the gate): {m['gain']:.4f} "
            f"(formula {m['formula_gain']:.4f}, as logged {m['logged_gain']:.4f})"
        )
        print(
            f"  held-out days, logged clicks and carts as labels: NDCG@10 {m['ndcg@10']:.4f} "
            f"(formula {m['formula_ndcg@10']:.4f}), AUC {m['auc']:.4f} (formula {m['formula_auc']:.4f}); "
            f"{m['train_impressions']:.0f} training, {m['test_impressions']:.0f} held-out impressions"
        )
    c = r.comparison
    print(
        f"\nlearned vs formula: NDCG@10 on {c.queries} held-out queries ({c.asked} asked), "
        "graded by each shopper's hidden tastes, mean [95% bootstrap CI]"
    )
    print(f"  learned  {estimate(c.learned)}")
    print(f"  formula  {estimate(c.formula)}")
    d = c.difference
    print(
        f"  learned - formula  {d.mean:+.4f}  [{d.ci_low:+.4f}, {d.ci_high:+.4f}]  "
        f"paired bootstrap over queries, sign-flip p = {d.p_value:.2g}"
    )
    a = r.after
    serving = f"model {r.serving}" if r.serving else "the formula (no promoted model)"
    if r.serving and t.status != "promoted":
        serving += " (promoted by --serve-trained over the gate's verdict)"
    print(f"\nA/B after training, personalized arm served by {serving}:")
    if r.ab_retrains:
        counts = {status: r.ab_retrains.count(status) for status in dict.fromkeys(r.ab_retrains)}
        print(
            f"  retrained {len(r.ab_retrains)} times during the A/B {counts}, serving {r.serving_at_end} at the end"
        )
    else:
        print("  no retrain during the A/B")
    print(
        f"  {s.ab_sessions} sessions each over {s.ab_days:g} days: {a.searches} searches, "
        f"{a.clicks} clicks, {a.carts} cart adds"
    )
    print(
        f"  {'arm':14s} {'visitors':>8s} {'searches':>9s} {'clicked':>8s} {'CTR':>7s} {'carted':>7s} "
        f"{'cart rate':>9s} {'clicks/search':>13s}"
    )
    for arm in (r.ab.control, r.ab.treatment):
        print(
            f"  {arm.arm:14s} {arm.visitors:8d} {arm.searches:9d} {arm.clicked:8d} {arm.ctr:7.2%} "
            f"{arm.carted:7d} {arm.cart_rate:9.2%} {arm.clicks / max(arm.searches, 1):13.3f}"
        )
    print(f"  CTR lift (personalized over popularity)          {lift(r.ab.ctr_lift)}")
    print(f"  add-to-cart lift (personalized over popularity)  {lift(r.ab.cart_lift)}")
    print(f"  method: {r.ab.ctr_lift.method}")
    print(f"  for comparison, searches as independent trials: CTR {lift(r.ab.ctr_lift_searches)}")
    print(f"                                          add-to-cart {lift(r.ab.cart_lift_searches)}")
    print(f"  ({r.ab.ctr_lift_searches.method})")
    print(f"\nseconds: {r.seconds}, total {seconds:.0f}")


async def fresh_postgres() -> tuple[str, str]:
    name = f"bench_experiment_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(database="postgres", **PG)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return name, f"postgresql+asyncpg://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


async def drop_postgres(name: str) -> None:
    admin = await asyncpg.connect(database="postgres", **PG)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL database")
    parser.add_argument("--quick", action="store_true", help="a small run")
    parser.add_argument("--shoppers", type=int)
    parser.add_argument("--sessions", type=int)
    parser.add_argument("--days", type=float)
    parser.add_argument("--ab-sessions", type=int)
    parser.add_argument("--ab-days", type=float)
    parser.add_argument("--seed", type=int)
    parser.add_argument(
        "--serve-trained",
        action="store_true",
        help="serve the trained model in the A/B even if the gate kept the champion",
    )
    parser.add_argument(
        "--no-ab-retrain", action="store_true", help="keep one model through the A/B (no worker retrains)"
    )
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    chosen = {
        "shoppers": args.shoppers, "sessions": args.sessions, "days": args.days,
        "ab_sessions": args.ab_sessions, "ab_days": args.ab_days, "seed": args.seed,
    }  # fmt: skip
    sizes = ExperimentSizes(**{**{f: getattr(sizes, f) for f in sizes.__struct_fields__},
                               **{k: v for k, v in chosen.items() if v is not None}})  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        pg_name = None
        if args.postgres:
            pg_name, url = await fresh_postgres()
            backend = "PostgreSQL 15"
        else:
            url, backend = f"sqlite+aiosqlite:///{tmp}/experiment.db", "SQLite"
        try:
            await asyncio.to_thread(upgrade, url)
            settings = load_settings(
                {"DATABASE_URL": url, "MODELS_DIR": f"{tmp}/models"}, dotenv=Path(os.devnull)
            )
            started = time.perf_counter()
            report = await run_experiment(
                settings,
                sizes,
                say=lambda m: print(m, file=sys.stderr),
                serve_trained=args.serve_trained,
                ab_retrain=not args.no_ab_retrain,
            )
            print_report(report, backend, time.perf_counter() - started)
        finally:
            if pg_name is not None:
                await drop_postgres(pg_name)


if __name__ == "__main__":
    asyncio.run(main())
