"""The learning-to-rank experiment end to end, on one migrated database, in this process.

1. Load the demo catalog; sign the simulated shoppers up (each gets an arm by the configured split).
2. Simulate `days` of traffic through the real use cases, with the worker's schedule replayed on
   the simulated clock (profiles every 5 minutes, clusters every 6 hours).
3. Retrain through the job runner, as the worker's `retrain` task does (time split: the last
   `TRAIN_HOLDOUT_DAYS` are held out; champion/challenger promotion).
4. Learned vs formula on held-out queries graded by each shopper's hidden tastes.
5. Simulate `ab_days` more with the promoted model serving the personalized arm, retrained in the
   meantime as the worker's triggers would (`RETRAIN_EVERY_EVENTS` click and cart events or
   `RETRAIN_EVERY_HOURS`, each retrain through the promotion gate); read the A/B out of the log.

Search results and shopper profiles are not cached here: the cache's TTLs run on the wall clock,
and a simulated week passes in a minute, so a cached answer would be days stale in simulated time.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import msgspec
from dependency_injector import providers

from application.ranking.learned_ranker import LearnedRanker
from application.ranking.retrain_ranker import TrainingReport
from application.search.search_products import SearchProducts
from entrypoints.cli.simulate import UseCaseStorefront, shopper_accounts, simulation_settings
from entrypoints.container import Container, build_container, close_container
from entrypoints.settings import Settings
from simulation.catalog.generator import generate_catalog
from simulation.experiment import (
    AbReadout,
    CandidateRecorder,
    PinnedModelStore,
    RankerComparison,
    ab_readout,
    compare_rankers,
)
from simulation.scheduled_jobs import ScheduledJobsStorefront
from simulation.simulator import ShopperAccount, SimulatedClock, SimulateShoppers, SimulationStats

LOG_LIMIT = 10_000_000


class ExperimentSizes(msgspec.Struct, frozen=True, kw_only=True):
    products: int = 3000
    shoppers: int = 600
    sessions: int = 8  # per shopper, over `days`, before training
    days: float = 14.0
    heldout_queries: int = 2  # per shopper, after training
    ab_sessions: int = 6  # per shopper, over `ab_days`, after training
    ab_days: float = 7.0
    seed: int = 11


class ExperimentReport(msgspec.Struct, frozen=True):
    sizes: ExperimentSizes
    serving: str | None  # the model version serving the personalized arm in the A/B (None: formula)
    ab_retrains: list[str]  # the status of each retrain during the A/B, in order
    serving_at_end: str | None  # the version serving when the A/B ended
    accounts_by_arm: dict[str, int]
    before: SimulationStats
    training: TrainingReport
    comparison: RankerComparison
    after: SimulationStats
    ab: AbReadout
    seconds: dict[str, float]


def experiment_settings(settings: Settings) -> Settings:
    """The simulation's settings, with the search and shopper caches off (see the module's doc)."""
    quiet = simulation_settings(settings)
    return msgspec.structs.replace(
        quiet,
        search=msgspec.structs.replace(quiet.search, result_ttl_seconds=0),
        personal=msgspec.structs.replace(quiet.personal, profile_ttl_seconds=0, popularity_ttl_seconds=0),
    )


def _container(settings: Settings, clock: SimulatedClock) -> Container:
    container = build_container(settings)
    container.clock.override(providers.Object(clock))
    return container


def _evaluation_search(container: Container, recorder: CandidateRecorder) -> SearchProducts:
    """A second instance of the container's search use case, with the recorder as its ranker."""
    wired = container.search_products
    search: SearchProducts = providers.Factory(wired.cls, **wired.kwargs)(ranker=recorder)
    return search


async def run_experiment(
    settings: Settings,
    sizes: ExperimentSizes,
    say: Callable[[str], object] = lambda _: None,
    serve_trained: bool = False,
    ab_retrain: bool = True,
) -> ExperimentReport:
    """`serve_trained`: promote the trained model for the A/B even when the gate kept the champion.

    `ab_retrain`: retrain during the A/B on the worker's triggers (False: one model throughout).
    """
    trigger = settings.retrain_trigger  # the simulation's settings turn the event count off
    settings = experiment_settings(settings)
    timer: dict[str, float] = {}
    wall = datetime.now(UTC)
    train_at = wall.replace(microsecond=0)
    clock = SimulatedClock(train_at - timedelta(days=sizes.days))
    container = _container(settings, clock)
    try:
        started = datetime.now(UTC)
        loaded = await container.import_catalog()(enumerate(generate_catalog(sizes.products), start=1))
        if loaded.rejected:
            raise RuntimeError(f"the demo catalog was rejected in part: {loaded.rejected} rows")
        accounts = await shopper_accounts(container, sizes.shoppers, sizes.seed)
        by_arm = arms_of(accounts)
        storefront = ScheduledJobsStorefront(
            UseCaseStorefront(container),
            clock,
            container.refresh_profiles(),
            container.recluster_shoppers(),
        )
        say(f"simulating {sizes.shoppers} shoppers x {sizes.sessions} sessions over {sizes.days:g} days")
        before = await SimulateShoppers(storefront, clock, sizes.seed)(
            accounts, sessions_each=sizes.sessions, days=sizes.days, end=train_at
        )
        await storefront.settle()
        timer["simulate_before"] = _since(started)

        started = datetime.now(UTC)
        clock.set(train_at)
        say("retraining through the job runner")
        job = await container.job_runner().run("retrain")
        if job.status != "done":
            raise RuntimeError(f"the retrain job did not run: {job.status}")
        training = msgspec.convert(job.result, TrainingReport, strict=False)
        timer["train"] = _since(started)
        if training.version is None:
            raise RuntimeError(f"the retrain job trained no model: {training.reason}")
        if serve_trained and training.status != "promoted":
            say(f"promoting {training.version.version} over the gate's verdict ({training.reason})")
            await container.model_store().promote(training.version.version)
        ranker = container.ranker()
        await ranker.refresh()  # the serving model: the new one if promoted, else what was there

        started = datetime.now(UTC)
        say(f"held-out queries: {sizes.heldout_queries} per shopper, learned vs formula")
        trained = LearnedRanker(
            PinnedModelStore(container.model_store(), training.version),
            container.model_fitter(),
            container.formula_ranker(),
            clock,
            refresh_seconds=float("inf"),
        )
        await trained.refresh()
        recorder = CandidateRecorder(ranker)
        comparison = await compare_rankers(
            _evaluation_search(container, recorder),
            recorder,
            trained,
            container.formula_ranker(),
            accounts,
            queries_each=sizes.heldout_queries,
            seed=sizes.seed,
        )
        timer["compare"] = _since(started)

        started = datetime.now(UTC)
        serving = ranker.version
        ab_end = train_at + timedelta(days=sizes.ab_days)
        say(
            f"A/B: {sizes.ab_sessions} sessions per shopper over {sizes.ab_days:g} days, model {ranker.version}"
        )
        retrains: list[str] = []

        async def retrain() -> None:
            job = await container.job_runner().run("retrain")
            report = msgspec.convert(job.result, TrainingReport, strict=False) if job.result else None
            retrains.append(report.status if report else job.status)
            await ranker.refresh()

        if ab_retrain:
            storefront.schedule_retrain(
                retrain, trigger.every_events, timedelta(seconds=trigger.every_seconds)
            )
        after = await SimulateShoppers(storefront, clock, sizes.seed + 1)(
            accounts, sessions_each=sizes.ab_sessions, days=sizes.ab_days, end=ab_end
        )
        await storefront.settle()
        timer["simulate_after"] = _since(started)
        ab = await _readout(container, train_at, ab_end + timedelta(hours=2))
        return ExperimentReport(
            sizes=sizes,
            serving=serving,
            ab_retrains=retrains,
            serving_at_end=ranker.version,
            accounts_by_arm=by_arm,
            before=before,
            training=training,
            comparison=comparison,
            after=after,
            ab=ab,
            seconds=timer,
        )
    finally:
        await close_container(container)


async def _readout(container: Container, start: datetime, end: datetime) -> AbReadout:
    log = container.event_log()
    impressions = await log.impressions_between(start, end, limit=LOG_LIMIT)
    events = await log.events_between(start, end, limit=LOG_LIMIT)
    return ab_readout(impressions, events, start, end)


def _since(started: datetime) -> float:
    return round((datetime.now(UTC) - started).total_seconds(), 1)


def arms_of(accounts: list[ShopperAccount]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for account in accounts:
        counts[account.arm] = counts.get(account.arm, 0) + 1
    return counts
