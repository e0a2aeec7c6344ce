"""The Done-means figures of learning to rank: learned model vs formula, and the A/B readout.

Learned vs formula (offline): held-out queries, drawn fresh for simulated shoppers after the
training window, are searched through the real use case in the personalized arm; the candidates
the ranker was handed are ranked once by the learned ranker and once by the foundation's
formula, and each ranking is scored by NDCG@10 against the shopper's own hidden-taste grades
(`taste_grade`, never the engine's output). Queries are the unit: a paired bootstrap interval
and a sign-flip p-value of the per-query difference.

A/B readout (online): from the event log of a window, per arm, the share of searches with
results that got a click (CTR) and an add-to-cart; the lift of the personalized arm over
popularity two ways. The headline is visitors as the unit (`clustered_lift`: a cluster bootstrap
interval over visitors and a permutation p-value over visitors), because one shopper's searches
are correlated. The pooled two-proportion z-test with searches as independent trials is kept
alongside for comparison; its interval is the narrower, optimistic one.
"""

import random
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

import msgspec

from application.search.dto import SearchRequest, SearchResult
from domain.analytics.clustered import clustered_lift
from domain.analytics.statistics import Lift, two_proportion_lift
from domain.evaluation.intervals import Estimate, PairedDifference, bootstrap_mean, paired_difference
from domain.evaluation.metrics import ndcg_at_k
from domain.events.model import Event, Impression
from domain.experiments.assignment import user_visitor_id
from domain.experiments.model import PERSONALIZED_ARM, POPULARITY_ARM
from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct
from domain.ranking.ports import ModelStore, Ranker
from domain.ranking.versions import ModelVersion
from simulation.judgments import taste_grade
from simulation.queries import make_query
from simulation.shoppers import ProductView
from simulation.simulator import ShopperAccount

NDCG_K = 10


class CandidateRecorder:
    """A Ranker that remembers the last candidates and context it was handed, then delegates."""

    def __init__(self, inner: Ranker) -> None:
        self.inner = inner
        self.last: tuple[list[ScoredProduct], RankingContext] | None = None

    def rank(self, items: Sequence[ScoredProduct], context: RankingContext) -> list[RankedProduct]:
        self.last = (list(items), context)
        return self.inner.rank(items, context)


class PinnedModelStore:
    """A read view of a model store in which one given version counts as promoted.

    The comparison scores the model the retrain job just trained, whether or not its gate
    promoted it, so a kept champion is reported rather than silently replaced by the formula.
    """

    def __init__(self, store: ModelStore, version: ModelVersion) -> None:
        self._store = store
        self._version = version

    async def promoted(self) -> ModelVersion | None:
        return self._version

    async def load(self, version: str) -> bytes | None:
        return await self._store.load(version)

    async def save(self, version: ModelVersion, blob: bytes) -> None:
        raise PermissionError("a pinned view is read-only")

    async def promote(self, version: str) -> None:
        raise PermissionError("a pinned view is read-only")

    async def versions(self) -> list[ModelVersion]:
        return [self._version]


class RankerComparison(msgspec.Struct, frozen=True):
    queries: int  # held-out queries scored (with a candidate graded above 0)
    asked: int  # held-out queries searched
    learned: Estimate
    formula: Estimate
    difference: PairedDifference  # learned - formula


Search = Callable[[SearchRequest], Awaitable[SearchResult]]


async def compare_rankers(
    search: Search,
    recorder: CandidateRecorder,
    learned: Ranker,
    formula: Ranker,
    accounts: Sequence[ShopperAccount],
    *,
    queries_each: int,
    seed: int,
    resamples: int = 10_000,
) -> RankerComparison:
    """NDCG@10 of the learned and the formula ranking of the same candidates, per held-out query."""
    learned_scores: list[float] = []
    formula_scores: list[float] = []
    asked = 0
    for account in accounts:
        shopper = account.shopper
        for number in range(queries_each):
            rng = random.Random(f"heldout:{seed}:{shopper.number}:{number}")
            query = make_query(shopper, rng)
            recorder.last = None
            visitor = user_visitor_id(account.user_id)
            await search(SearchRequest(q=query.text, visitor_id=visitor, arm=PERSONALIZED_ARM))
            asked += 1
            if recorder.last is None or len(recorder.last[0]) < 2:
                continue
            items, context = recorder.last
            grades = {i.product.sku: taste_grade(shopper, _view(i), query.intent) for i in items}
            if not any(grades.values()):
                continue  # nothing this shopper wants among the candidates: NDCG is undefined
            learned_scores.append(_ndcg(learned.rank(items, context), grades))
            formula_scores.append(_ndcg(formula.rank(items, context), grades))
    if not learned_scores:
        raise ValueError("no held-out query had a candidate the shopper would want")
    return RankerComparison(
        queries=len(learned_scores),
        asked=asked,
        learned=bootstrap_mean(learned_scores, resamples=resamples, seed=seed),
        formula=bootstrap_mean(formula_scores, resamples=resamples, seed=seed),
        difference=paired_difference(formula_scores, learned_scores, resamples=resamples, seed=seed),
    )


def _view(item: ScoredProduct) -> ProductView:
    p = item.product
    return ProductView(p.sku, p.category, p.brand, p.price, p.rating)


def _ndcg(ranked: list[RankedProduct], grades: dict[str, int]) -> float:
    return ndcg_at_k([r.product.sku for r in ranked], grades, NDCG_K)


class ArmRates(msgspec.Struct, frozen=True):
    arm: str
    searches: int  # searches that showed at least one result
    clicked: int  # of those, searches with a click
    carted: int  # of those, searches with an add-to-cart
    clicks: int  # clicks on results of those searches
    visitors: int = 0  # visitors with at least one such search

    @property
    def ctr(self) -> float:
        return self.clicked / self.searches if self.searches else 0.0

    @property
    def cart_rate(self) -> float:
        return self.carted / self.searches if self.searches else 0.0


class AbReadout(msgspec.Struct, frozen=True):
    start: datetime
    end: datetime
    control: ArmRates
    treatment: ArmRates
    ctr_lift: Lift  # visitors as the unit (cluster bootstrap, permutation p-value)
    cart_lift: Lift
    ctr_lift_searches: Lift  # searches as independent trials (pooled z-test): optimistic
    cart_lift_searches: Lift


def _arm_searches(impressions: Sequence[Impression], arm: str) -> dict[str, str]:
    """search_id -> visitor of the arm's searches that showed at least one result."""
    return {i.search_id: i.visitor_id for i in impressions if i.arm == arm and i.items}


def arm_rates(impressions: Sequence[Impression], events: Sequence[Event], arm: str) -> ArmRates:
    searches = _arm_searches(impressions, arm)
    clicks = [e for e in events if e.type == "click" and e.search_id in searches]
    carted = {e.search_id for e in events if e.type == "add_to_cart" and e.search_id in searches}
    return ArmRates(
        arm=arm,
        searches=len(searches),
        clicked=len({e.search_id for e in clicks}),
        carted=len(carted),
        clicks=len(clicks),
        visitors=len(set(searches.values())),
    )


def visitor_counts(
    impressions: Sequence[Impression], events: Sequence[Event], arm: str, kind: str
) -> list[tuple[int, int]]:
    """Per visitor of the arm: (searches with a `kind` event, searches with results)."""
    searches = _arm_searches(impressions, arm)
    hit = {e.search_id for e in events if e.type == kind and e.search_id in searches}
    counts: dict[str, list[int]] = {}
    for search_id, visitor in searches.items():
        c = counts.setdefault(visitor, [0, 0])
        c[0] += search_id in hit
        c[1] += 1
    return [(c[0], c[1]) for _, c in sorted(counts.items())]


def ab_readout(
    impressions: Sequence[Impression],
    events: Sequence[Event],
    start: datetime,
    end: datetime,
    *,
    control: str = POPULARITY_ARM,
    treatment: str = PERSONALIZED_ARM,
    seed: int = 0,
) -> AbReadout:
    """Per-arm rates of the searches served in [start, end) and the treatment's lift over control."""
    served = [i for i in impressions if start <= i.occurred_at < end]
    a, b = arm_rates(served, events, control), arm_rates(served, events, treatment)

    def by_visitor(kind: str) -> Lift:
        return clustered_lift(
            visitor_counts(served, events, control, kind),
            visitor_counts(served, events, treatment, kind),
            seed=seed,
        )

    return AbReadout(
        start=start,
        end=end,
        control=a,
        treatment=b,
        ctr_lift=by_visitor("click"),
        cart_lift=by_visitor("add_to_cart"),
        ctr_lift_searches=two_proportion_lift(a.clicked, a.searches, b.clicked, b.searches),
        cart_lift_searches=two_proportion_lift(a.carted, a.searches, b.carted, b.searches),
    )
