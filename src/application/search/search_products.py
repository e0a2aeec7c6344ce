"""SearchProducts: parse, interpret, correct, match, score, rank, paginate, highlight."""

import math
import re
import uuid
from dataclasses import dataclass

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
from domain.search.sorting import sort_products
from domain.search.spelling import best_correction, max_typos
from domain.search.text import STOPWORDS, WORD_RE, fold

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class _Outcome:
    items: list[RankedProduct]  # the requested page
    total: int  # every match
    reachable: int  # matches that pages can reach (the scored candidates, for text relevance)
    facets: Facets
    relaxed: bool
    spec: MatchSpec


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
        if result.total == 0 and recognized is not None:
            # The category guess emptied the results; the words were more likely about something else.
            query = _with_category_words(query, recognized)
            filters = msgspec.structs.replace(filters, category=category)
            recognized = None
            result = await self._run(query, filters, sort, request)
        per_page = request.per_page
        pages = math.ceil(result.reachable / per_page) if result.reachable else 0
        hits = [
            SearchHit(
                product=r.product,
                score=r.score,
                position=(request.page - 1) * per_page + i + 1,
                highlight_title=highlight(r.product.title, marked),
            )
            for i, r in enumerate(result.items)
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
                relaxed=result.relaxed,
            ),
            items=hits,
            total=result.total,
            page=request.page,
            per_page=per_page,
            pages=pages,
            facets=result.facets,
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
    ) -> _Outcome:
        spec = match_spec(query, "all")
        size = self._config.facet_size
        if not spec.has_text:
            return await self._stored_order(spec, filters, sort, request)
        if sort != "relevance":
            total = await self._index.count(spec, filters)
            if total or len(spec.clauses) < 2:
                return await self._stored_order(spec, filters, sort, request, total)
        limit = self._config.candidate_limit
        candidates = await self._index.candidates(spec, filters, limit) if sort == "relevance" else []
        relaxed = False
        if not candidates and len(spec.clauses) > 1:
            # No product has every word: the best products with at least half of them.
            spec = msgspec.structs.replace(spec, mode="any")
            candidates = await self._index.candidates(spec, filters, limit)
            relaxed = True
        if not candidates:
            return _Outcome([], 0, 0, facets_of([], size), relaxed, spec)
        stats = await self._stats()
        scorer = Bm25fScorer(stats, await self._index.document_frequencies(spec.stems()), self._weights)
        need = max(1, math.ceil(len(spec.clauses) / 2)) if relaxed else len(spec.clauses)
        scored = []
        for candidate in candidates:
            text = scorer.score(spec, candidate)
            if text.matched_clauses >= need:
                coverage = text.matched_clauses / len(spec.clauses)
                scored.append(ScoredProduct(product=candidate.product, text_score=text.score * coverage))
        ranked = self._ranker.rank(scored, _context(request))
        if sort != "relevance":
            order = {p.sku: i for i, p in enumerate(sort_products([r.product for r in ranked], sort))}
            ranked.sort(key=lambda r: order[r.product.sku])
        if relaxed or len(candidates) < limit:
            total = len(ranked)
            facets = facets_of([r.product for r in ranked], size)
        else:
            total = await self._index.count(spec, filters)
            facets = await self._index.facets(spec, filters, size)
        start = (request.page - 1) * request.per_page
        return _Outcome(ranked[start : start + request.per_page], total, len(ranked), facets, relaxed, spec)

    async def _stored_order(
        self,
        spec: MatchSpec,
        filters: SearchFilters,
        sort: SortKey,
        request: SearchRequest,
        total: int | None = None,
    ) -> _Outcome:
        """Every match, paged by the database in a stored order (browsing, or an explicit sort)."""
        if total is None:
            total = await self._index.count(spec, filters)
        if not total:
            return _Outcome([], 0, 0, facets_of([], self._config.facet_size), False, spec)
        offset = (request.page - 1) * request.per_page
        products = await self._index.page(spec, filters, sort, offset, request.per_page)
        scores = {
            r.product.sku: r.score
            for r in self._ranker.rank([ScoredProduct(product=p) for p in products], _context(request))
        }
        items = [RankedProduct(product=p, score=scores[p.sku]) for p in products]
        facets = await self._index.facets(spec, filters, self._config.facet_size)
        return _Outcome(items, total, total, facets, False, spec)

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
        clauses = []
        for clause in query.clauses:
            terms = [Term(tuple(fixes.get(w, w) for w in t.words)) for t in clause.alternatives]
            # A typo of a stop word ('witth') corrects to a word that is not searched for.
            kept = tuple(t for t in terms if not (len(t.words) == 1 and t.words[0] in STOPWORDS))
            if kept:
                clauses.append(Clause(kept))
        corrected = _WORD.sub(lambda m: fixes.get(fold(m.group()), m.group()), " ".join(raw.split()))
        fixed = ParsedQuery(
            text=query.text,
            clauses=tuple(clauses),
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


def _context(request: SearchRequest) -> RankingContext:
    return RankingContext(visitor_id=request.visitor_id, arm=request.arm)
