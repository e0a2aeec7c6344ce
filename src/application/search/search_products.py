"""SearchProducts: parse, interpret, correct, match, score, rank, paginate, highlight."""

import math
import re
import uuid

import msgspec

from application.cached import cached
from application.catalog.manage_products import ListCategories
from application.ports import Cache
from application.search.dto import (
    Interpretation,
    QueryEcho,
    SearchConfig,
    SearchHit,
    SearchRequest,
    SearchResult,
)
from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct
from domain.ranking.ports import Ranker
from domain.search.categories import recognize_category
from domain.search.errors import InvalidQuery
from domain.search.facets import facets_of
from domain.search.highlight import highlight
from domain.search.model import Facets, IndexStats, MatchSpec, SearchFilters, SortKey, match_spec
from domain.search.ports import SearchIndex, Vocabulary
from domain.search.query import Clause, ParsedQuery, Term, parse_query
from domain.search.scoring import Bm25fScorer, FieldWeights
from domain.search.spelling import best_correction, max_typos
from domain.search.text import STOPWORDS, WORD_RE, fold

_WORD = re.compile(r"\w+", re.UNICODE)


class SearchProducts:
    def __init__(
        self,
        index: SearchIndex,
        vocabulary: Vocabulary,
        categories: ListCategories,
        ranker: Ranker,
        cache: Cache,
        config: SearchConfig,
        field_weights: FieldWeights,
    ) -> None:
        self._index = index
        self._vocabulary = vocabulary
        self._categories = categories
        self._ranker = ranker
        self._cache = cache
        self._config = config
        self._weights = field_weights

    async def __call__(self, request: SearchRequest) -> SearchResult:
        self._validate(request)
        query = parse_query(request.q, interpret=True)
        interpreted_sort = query.sort if request.sort is None else None
        sort: SortKey = request.sort or _as_sort(query.sort)
        min_price = request.min_price if request.min_price is not None else query.min_price
        max_price = request.max_price if request.max_price is not None else query.max_price
        query, corrected = await self._correct(query, request.q)
        marked = match_spec(query).stems()  # highlight every sought word, category words included
        category = request.category
        recognized: str | None = None
        if category is None and query.clauses:
            names = [c.name for c in await self._categories()]
            recognized, narrowed = recognize_category(query, names)
            if recognized is not None:
                query = narrowed
        filters = SearchFilters(
            category=category or recognized,
            brand=request.brand,
            min_price=min_price,
            max_price=max_price,
            min_rating=request.min_rating,
        )
        result = await self._run(query, filters, sort, request)
        if result[1] == 0 and recognized is not None:
            # The category guess emptied the results; the words were more likely about something else.
            query = _with_category_words(query, recognized)
            filters = msgspec.structs.replace(filters, category=category)
            recognized = None
            result = await self._run(query, filters, sort, request)
        ranked, total, facets, relaxed, spec = result
        per_page = request.per_page
        reachable = total if sort != "relevance" or not spec.has_text else min(total, len(ranked))
        pages = math.ceil(reachable / per_page) if reachable else 0
        hits = [
            SearchHit(
                product=r.product,
                score=r.score,
                position=(request.page - 1) * per_page + i + 1,
                highlight_title=highlight(r.product.title, marked),
            )
            for i, r in enumerate(
                ranked if sort != "relevance" or not spec.has_text else _slice(ranked, request)
            )
        ]
        return SearchResult(
            search_id=uuid.uuid4().hex,
            query=QueryEcho(
                text=query.text,
                corrected=corrected,
                interpreted=Interpretation(
                    category=recognized,
                    min_price=query.min_price,
                    max_price=query.max_price,
                    sort=interpreted_sort,
                ),
                relaxed=relaxed,
            ),
            items=hits,
            total=total,
            page=request.page,
            per_page=per_page,
            pages=pages,
            facets=facets,
        )

    def _validate(self, request: SearchRequest) -> None:
        if request.page < 1:
            raise InvalidQuery("page", "page starts at 1")
        if not 1 <= request.per_page <= self._config.max_page_size:
            raise InvalidQuery("per_page", f"per_page must be between 1 and {self._config.max_page_size}")
        for name in ("min_price", "max_price", "min_rating"):
            value = getattr(request, name)
            if value is not None and (not math.isfinite(value) or value < 0):
                raise InvalidQuery(name, f"{name} must be a non-negative number")
        if request.min_rating is not None and request.min_rating > 5:
            raise InvalidQuery("min_rating", "min_rating must be between 0 and 5")
        if (
            request.min_price is not None
            and request.max_price is not None
            and request.min_price > request.max_price
        ):
            raise InvalidQuery("min_price", "min_price is above max_price")
        if request.page * request.per_page > 100_000:
            raise InvalidQuery("page", "pages beyond the first 100,000 results are not served")

    async def _run(
        self, query: ParsedQuery, filters: SearchFilters, sort: SortKey, request: SearchRequest
    ) -> tuple[list[RankedProduct], int, Facets, bool, MatchSpec]:
        spec = match_spec(query, "all")
        context = RankingContext(visitor_id=request.visitor_id, arm=request.arm)
        size = self._config.facet_size
        if sort != "relevance" or not spec.has_text:
            offset = (request.page - 1) * request.per_page
            total = await self._index.count(spec, filters)
            if total == 0 and len(spec.clauses) > 1:
                spec = MatchSpec(clauses=spec.clauses, excluded=spec.excluded, mode="any")
                total = await self._index.count(spec, filters)
            products = await self._index.page(spec, filters, sort, offset, request.per_page) if total else []
            ranked = self._ranker.rank([ScoredProduct(product=p) for p in products], context)
            by_sku = {r.product.sku: r.score for r in ranked}
            ordered = [RankedProduct(product=p, score=by_sku[p.sku]) for p in products]
            facets = await self._index.facets(spec, filters, size) if total else facets_of([], size)
            return ordered, total, facets, spec.mode == "any", spec
        limit = self._config.candidate_limit
        candidates = await self._index.candidates(spec, filters, limit)
        relaxed = False
        if not candidates and len(spec.clauses) > 1:
            spec = MatchSpec(clauses=spec.clauses, excluded=spec.excluded, mode="any")
            candidates = await self._index.candidates(spec, filters, limit)
            relaxed = True
        if not candidates:
            return [], 0, facets_of([], size), relaxed, spec
        stats = await self._stats()
        scorer = Bm25fScorer(stats, await self._index.document_frequencies(spec.stems()), self._weights)
        scored = []
        need = max(1, math.ceil(len(spec.clauses) / 2)) if relaxed else len(spec.clauses)
        for candidate in candidates:
            text = scorer.score(spec, candidate)
            if text.matched_clauses >= need:
                coverage = text.matched_clauses / len(spec.clauses)
                scored.append(ScoredProduct(product=candidate.product, text_score=text.score * coverage))
        ranked = self._ranker.rank(scored, context)
        if relaxed or len(candidates) < limit:
            total = len(ranked)
            facets = facets_of([r.product for r in ranked], size)
        else:
            total = await self._index.count(spec, filters)
            facets = await self._index.facets(spec, filters, size)
        return ranked, total, facets, relaxed, spec

    async def _correct(self, query: ParsedQuery, raw: str) -> tuple[ParsedQuery, str | None]:
        words = {
            w
            for clause in query.clauses
            for term in clause.alternatives
            if len(term.words) == 1
            for w in term.words
            if max_typos(w) > 0
        }
        if not words:
            return query, None
        unknown = words - await self._vocabulary.known(words)
        fixes: dict[str, str] = {}
        for word in sorted(unknown):
            fix = best_correction(word, await self._vocabulary.similar(word, 40))
            if fix is not None:
                fixes[word] = fix
        if not fixes:
            return query, None
        clauses = tuple(
            Clause(tuple(Term(tuple(fixes.get(w, w) for w in t.words)) for t in c.alternatives))
            for c in query.clauses
        )
        corrected = _WORD.sub(lambda m: fixes.get(fold(m.group()), m.group()), " ".join(raw.split()))
        fixed = ParsedQuery(
            text=query.text,
            clauses=clauses,
            excluded=query.excluded,
            min_price=query.min_price,
            max_price=query.max_price,
            sort=query.sort,
        )
        return fixed, corrected

    async def _stats(self) -> IndexStats:
        return await cached(
            self._cache, "search:stats", self._config.stats_ttl_seconds, IndexStats, self._index.stats
        )


def _as_sort(value: str | None) -> SortKey:
    allowed: dict[str, SortKey] = {
        "price_asc": "price_asc", "price_desc": "price_desc", "rating": "rating",
        "popularity": "popularity", "newest": "newest",
    }  # fmt: skip
    return allowed.get(value or "", "relevance")


def _slice(ranked: list[RankedProduct], request: SearchRequest) -> list[RankedProduct]:
    start = (request.page - 1) * request.per_page
    return ranked[start : start + request.per_page]


def _with_category_words(query: ParsedQuery, category: str) -> ParsedQuery:
    words = [Clause((Term((w,)),)) for w in WORD_RE.findall(fold(category)) if w not in STOPWORDS]
    return ParsedQuery(
        text=query.text,
        clauses=(*query.clauses, *words),
        excluded=query.excluded,
        min_price=query.min_price,
        max_price=query.max_price,
        sort=query.sort,
    )
