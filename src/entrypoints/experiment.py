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

from application.jobs.triggers import Trigger
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
    train_at = datetime.now(UTC).replace(microsecond=0)
    clock = SimulatedClock(train_at - timedelta(days=sizes.days))
    container = _container(experiment_settings(settings), clock)
    try:
        run = _Run(container, clock, sizes, say)
        before = await run.history(train_at)
        training = await run.train(train_at, serve_trained)
        comparison = await run.compare(training)
        serving = run.ranker.version
        after, retrains = await run.ab_test(train_at, trigger if ab_retrain else None)
        ab = await _readout(container, train_at, train_at + timedelta(days=sizes.ab_days, hours=2))
        return ExperimentReport(
            sizes=sizes,
            serving=serving,
            ab_retrains=retrains,
            serving_at_end=run.ranker.version,
            accounts_by_arm=arms_of(run.accounts),
            before=before,
            training=training,
            comparison=comparison,
            after=after,
            ab=ab,
            seconds=run.timer,
        )
    finally:
        await close_container(container)


class _Run:
    """The experiment's phases, in order, sharing one container, clock and shopper population."""

    def __init__(
        self,
        container: Container,
        clock: SimulatedClock,
        sizes: ExperimentSizes,
        say: Callable[[str], object],
    ) -> None:
        self.container, self.clock, self.sizes, self.say = container, clock, sizes, say
        self.timer: dict[str, float] = {}
        self.accounts: list[ShopperAccount] = []
        self.ranker = container.ranker()

    async def history(self, train_at: datetime) -> SimulationStats:
        """Steps 1 and 2: the catalog, the shoppers, and their traffic up to `train_at`."""
        started, sizes, container = datetime.now(UTC), self.sizes, self.container
        loaded = await container.import_catalog()(enumerate(generate_catalog(sizes.products), start=1))
        if loaded.rejected:
            raise RuntimeError(f"the demo catalog was rejected in part: {loaded.rejected} rows")
        self.accounts = await shopper_accounts(container, sizes.shoppers, sizes.seed)
        self.storefront = ScheduledJobsStorefront(
            UseCaseStorefront(container),
            self.clock,
            container.refresh_profiles(),
            container.recluster_shoppers(),
        )
        self.say(f"simulating {sizes.shoppers} shoppers x {sizes.sessions} sessions over {sizes.days:g} days")
        before = await SimulateShoppers(self.storefront, self.clock, sizes.seed)(
            self.accounts, sessions_each=sizes.sessions, days=sizes.days, end=train_at
        )
        await self.storefront.settle()
        self.timer["simulate_before"] = _since(started)
        return before

    async def train(self, train_at: datetime, serve_trained: bool) -> TrainingReport:
        """Step 3: retrain through the job runner; the ranker then serves whatever the gate left."""
        started = datetime.now(UTC)
        self.clock.set(train_at)
        self.say("retraining through the job runner")
        job = await self.container.job_runner().run("retrain")
        if job.status != "done":
            raise RuntimeError(f"the retrain job did not run: {job.status}")
        training = msgspec.convert(job.result, TrainingReport, strict=False)
        self.timer["train"] = _since(started)
        if training.version is None:
            raise RuntimeError(f"the retrain job trained no model: {training.reason}")
        if serve_trained and training.status != "promoted":
            self.say(f"promoting {training.version.version} over the gate's verdict ({training.reason})")
            await self.container.model_store().promote(training.version.version)
        await self.ranker.refresh()  # the serving model: the new one if promoted, else what was there
        return training

    async def compare(self, training: TrainingReport) -> RankerComparison:
        """Step 4: the trained model against the formula on held-out queries."""
        started, container = datetime.now(UTC), self.container
        self.say(f"held-out queries: {self.sizes.heldout_queries} per shopper, learned vs formula")
        assert training.version is not None  # train() refused a run without one
        trained = LearnedRanker(
            PinnedModelStore(container.model_store(), training.version),
            container.model_fitter(),
            container.formula_ranker(),
            self.clock,
            refresh_seconds=float("inf"),
        )
        await trained.refresh()
        recorder = CandidateRecorder(self.ranker)
        comparison = await compare_rankers(
            _evaluation_search(container, recorder),
            recorder,
            trained,
            container.formula_ranker(),
            self.accounts,
            queries_each=self.sizes.heldout_queries,
            seed=self.sizes.seed,
        )
        self.timer["compare"] = _since(started)
        return comparison

    async def ab_test(self, train_at: datetime, trigger: Trigger | None) -> tuple[SimulationStats, list[str]]:
        """Step 5: the A/B traffic, retrained on the worker's triggers unless `trigger` is None."""
        started, sizes = datetime.now(UTC), self.sizes
        self.say(
            f"A/B: {sizes.ab_sessions} sessions per shopper over {sizes.ab_days:g} days, model {self.ranker.version}"
        )
        retrains: list[str] = []

        async def retrain() -> None:
            job = await self.container.job_runner().run("retrain")
            report = msgspec.convert(job.result, TrainingReport, strict=False) if job.result else None
            retrains.append(report.status if report else job.status)
            await self.ranker.refresh()

        if trigger is not None:
            self.storefront.schedule_retrain(
                retrain, trigger.every_events, timedelta(seconds=trigger.every_seconds)
            )
        after = await SimulateShoppers(self.storefront, self.clock, sizes.seed + 1)(
            self.accounts,
            sessions_each=sizes.ab_sessions,
            days=sizes.ab_days,
            end=train_at + timedelta(days=sizes.ab_days),
        )
        await self.storefront.settle()
        self.timer["simulate_after"] = _since(started)
        return after, retrains


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
