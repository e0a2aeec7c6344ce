"""EvaluateRelevance: run every judged query through search and score the answers.

The search is any callable with the `SearchProducts` signature, so the same judgments can be run
against two ranking configurations (`compare`) and the per-query scores paired.
"""

from collections.abc import Awaitable, Callable, Mapping

import msgspec

from application.search.dto import SearchRequest, SearchResult
from domain.evaluation.intervals import Estimate, PairedDifference, bootstrap_mean, paired_difference
from domain.evaluation.metrics import QueryMetrics, score_query

Search = Callable[[SearchRequest], Awaitable[SearchResult]]
MAX_PAGE = 100
METRICS = ("ndcg", "reciprocal_rank", "recall")


class EvaluationSettings(msgspec.Struct, frozen=True, kw_only=True):
    ndcg_k: int = 10
    recall_k: int = 100
    threshold: int = 1  # the lowest grade that counts as relevant for MRR and recall
    confidence: float = 0.95
    resamples: int = 10_000
    seed: int = 0
    arm: str | None = None  # the experiment arm whose ranking is judged (None: the ranked default)


class RelevanceReport(msgspec.Struct, frozen=True, kw_only=True):
    per_query: list[QueryMetrics]
    summary: dict[str, Estimate]  # keyed by METRICS
    skipped: list[str]  # queries without any product graded relevant: nothing to score

    @property
    def no_result(self) -> float:
        """The share of scored queries the engine answered with nothing."""
        return sum(1 for m in self.per_query if m.retrieved == 0) / max(len(self.per_query), 1)


class RelevanceComparison(msgspec.Struct, frozen=True, kw_only=True):
    baseline: RelevanceReport
    candidate: RelevanceReport
    difference: dict[str, PairedDifference]  # candidate - baseline, keyed by METRICS


class EvaluateRelevance:
    def __init__(self, settings: EvaluationSettings | None = None) -> None:
        self.settings = settings or EvaluationSettings()

    async def ranked(self, search: Search, query: str) -> list[str]:
        """The skus the engine answers for the query, best first, as deep as recall needs."""
        depth = max(self.settings.ndcg_k, self.settings.recall_k)
        per_page = min(MAX_PAGE, depth)
        skus: list[str] = []
        page = 1
        while len(skus) < depth:
            result = await search(SearchRequest(q=query, page=page, per_page=per_page, arm=self.settings.arm))
            skus.extend(hit.product.sku for hit in result.items)
            if page >= result.pages or not result.items:
                break
            page += 1
        return skus[:depth]

    async def __call__(self, search: Search, judgments: Mapping[str, Mapping[str, int]]) -> RelevanceReport:
        s = self.settings
        scored: list[QueryMetrics] = []
        skipped: list[str] = []
        for query, graded in judgments.items():
            if not any(g >= s.threshold for g in graded.values()):
                skipped.append(query)
                continue
            ranked = await self.ranked(search, query)
            scored.append(
                score_query(
                    query, ranked, graded, ndcg_k=s.ndcg_k, recall_k=s.recall_k, threshold=s.threshold
                )
            )
        if not scored:
            raise ValueError("no judged query has a product graded relevant")
        summary = {
            name: bootstrap_mean(
                [getattr(m, name) for m in scored],
                confidence=s.confidence,
                resamples=s.resamples,
                seed=s.seed,
            )
            for name in METRICS
        }
        return RelevanceReport(per_query=scored, summary=summary, skipped=skipped)

    async def compare(
        self, baseline: Search, candidate: Search, judgments: Mapping[str, Mapping[str, int]]
    ) -> RelevanceComparison:
        return self.paired(await self(baseline, judgments), await self(candidate, judgments))

    def paired(self, first: RelevanceReport, second: RelevanceReport) -> RelevanceComparison:
        """Pair two reports of the same judgments query by query."""
        if [m.query for m in first.per_query] != [m.query for m in second.per_query]:
            raise ValueError("the two reports do not cover the same queries")
        s = self.settings
        difference = {
            name: paired_difference(
                [getattr(m, name) for m in first.per_query],
                [getattr(m, name) for m in second.per_query],
                confidence=s.confidence,
                resamples=s.resamples,
                seed=s.seed,
            )
            for name in METRICS
        }
        return RelevanceComparison(baseline=first, candidate=second, difference=difference)
