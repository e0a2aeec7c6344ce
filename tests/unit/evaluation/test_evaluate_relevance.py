"""EvaluateRelevance over the in-memory search and over a scripted search."""

import math

import pytest

from application.catalog.manage_products import ListCategories
from application.evaluation.evaluate_relevance import EvaluateRelevance, EvaluationSettings
from application.search.dto import (
    Interpretation,
    QueryEcho,
    SearchConfig,
    SearchHit,
    SearchRequest,
    SearchResult,
)
from application.search.search_products import SearchProducts
from domain.ranking.formula import FormulaRanker, FormulaWeights
from domain.search.model import Facets, PriceRange
from domain.search.scoring import FieldWeights
from tests.unit.fakes import FakeCache, InMemoryProductRepository, InMemorySearchIndex, InMemoryVocabulary
from tests.unit.fakes import make_product as P
from tests.unit.search_fakes import CATALOG

FAST = EvaluationSettings(resamples=500)


def engine(weights: FormulaWeights) -> SearchProducts:
    repo = InMemoryProductRepository(CATALOG)
    cache = FakeCache()
    return SearchProducts(
        index=InMemorySearchIndex(repo),
        vocabulary=InMemoryVocabulary(repo),
        categories=ListCategories(repo, cache),
        ranker=FormulaRanker(weights),
        cache=cache,
        config=SearchConfig(result_ttl_seconds=0),
        field_weights=FieldWeights(),
    )


class ScriptedSearch:
    """Answers every query with the same long list, page by page, and records the requests."""

    def __init__(self, skus: list[str]) -> None:
        self.products = [P(s, f"Thing {s}") for s in skus]
        self.requests: list[SearchRequest] = []

    async def __call__(self, request: SearchRequest) -> SearchResult:
        self.requests.append(request)
        start = (request.page - 1) * request.per_page
        page = self.products[start : start + request.per_page]
        return SearchResult(
            search_id="s",
            query=QueryEcho(text=request.q, corrected=None, interpreted=Interpretation()),
            items=[SearchHit(p, 1.0, start + i + 1, p.title) for i, p in enumerate(page)],
            total=len(self.products),
            page=request.page,
            per_page=request.per_page,
            pages=math.ceil(len(self.products) / request.per_page),
            facets=Facets(category=[], brand=[], price=PriceRange(None, None)),
        )


async def test_scores_match_hand_values_on_the_real_use_case() -> None:
    search = engine(FormulaWeights())
    first = (await search(SearchRequest(q="earbuds"))).items[0].product.sku
    judgments = {"earbuds": {first: 2}, "tea mug": {"K2": 1, "K1": 0}, "nothing": {"K1": 0}}
    report = await EvaluateRelevance(FAST)(search, judgments)
    by_query = {m.query: m for m in report.per_query}
    assert by_query["earbuds"].ndcg == 1.0 and by_query["earbuds"].reciprocal_rank == 1.0
    assert by_query["tea mug"].recall == 1.0
    assert report.skipped == ["nothing"]
    assert report.summary["reciprocal_rank"].mean == pytest.approx(
        (1.0 + by_query["tea mug"].reciprocal_rank) / 2
    )


async def test_recall_reads_as_many_pages_as_it_needs() -> None:
    skus = [f"S{i:03d}" for i in range(250)]
    search = ScriptedSearch(skus)
    judgments = {"q": {"S000": 1, "S150": 1, "S240": 1}}
    settings = EvaluationSettings(recall_k=200, resamples=200)
    report = await EvaluateRelevance(settings)(search, judgments)
    assert [r.page for r in search.requests] == [1, 2]
    assert all(r.per_page == 100 for r in search.requests)
    assert report.per_query[0].recall == pytest.approx(2 / 3)
    assert report.per_query[0].retrieved == 200
    # The default depth stops at 100: S150 is beyond it.
    default = await EvaluateRelevance(FAST)(ScriptedSearch(skus), judgments)
    assert default.per_query[0].recall == pytest.approx(1 / 3)


async def test_compare_pairs_two_rankings_query_by_query() -> None:
    formula, text = engine(FormulaWeights()), engine(FormulaWeights(text=1, popularity=0, rating=0))
    judgments = {"headphones": {"H3": 2, "A1": 1}, "cable": {"C2": 2}, "shoes": {"S2": 2, "S1": 1}}
    evaluate = EvaluateRelevance(FAST)
    comparison = await evaluate.compare(formula, text, judgments)
    for name in ("ndcg", "reciprocal_rank", "recall"):
        base = [getattr(m, name) for m in comparison.baseline.per_query]
        cand = [getattr(m, name) for m in comparison.candidate.per_query]
        assert comparison.difference[name].mean == pytest.approx(sum(cand) / 3 - sum(base) / 3)
        assert 0 < comparison.difference[name].p_value <= 1
    same = await evaluate.compare(formula, formula, judgments)
    assert all(d.mean == 0 and d.p_value == 1.0 for d in same.difference.values())
    other = await evaluate(formula, {"cable": {"C2": 2}})
    with pytest.raises(ValueError, match="same queries"):
        evaluate.paired(comparison.baseline, other)


async def test_judgments_without_any_relevant_product_are_refused() -> None:
    with pytest.raises(ValueError, match="no judged query"):
        await EvaluateRelevance(FAST)(engine(FormulaWeights()), {"q": {"H1": 0}})
