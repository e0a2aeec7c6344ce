"""SearchProducts: parse, interpret, correct, match, score, rank, paginate, highlight."""

import hashlib
import math
import random
import uuid
from collections.abc import Awaitable, Callable
from typing import NamedTuple

import msgspec

from application.cached import cached
from application.catalog.manage_products import ListCategories
from application.ports import Cache, NoObserver, Observer
from application.search.correction import Corrector
from application.search.curating import Curator
from application.search.dto import (
    Interpretation,
    QueryEcho,
    SearchConfig,
    SearchHit,
    SearchRequest,
    SearchResult,
)
from application.search.interpretation import named_phrases
from application.search.retrieval import PageSpec, Retrieval
from application.search.shopper_context import ShopperContext
from application.search.stages import stage, timed_search
from domain.experiments.ranking_policy import policy_for
from domain.ranking.model import RankingContext, ShopperProfile
from domain.ranking.ports import Ranker
from domain.search.categories import recognize_category
from domain.search.curation import Curation
from domain.search.errors import InvalidQuery
from domain.search.highlight import highlight
from domain.search.model import SearchFilters, match_spec
from domain.search.ports import SearchIndex, Vocabulary
from domain.search.query import Clause, ParsedQuery, Term, parse_query
from domain.search.scoring import FieldWeights
from domain.search.sorting import SortKey
from domain.search.text import STOPWORDS, WORD_RE, fold
from domain.search.thesaurus import Thesaurus


class _Reading(NamedTuple):
    query: ParsedQuery
    corrected: str | None  # the corrected text, when a word was corrected
    filters: SearchFilters  # the request's filters, prices from the query's phrases where it has none
    thesaurus: Thesaurus  # the shop's synonyms, read once per search


def _with_category_words(query: ParsedQuery, category: str) -> ParsedQuery:
    words = [Clause((Term((w,)),)) for w in WORD_RE.findall(fold(category)) if w not in STOPWORDS]
    return msgspec.structs.replace(query, clauses=(*query.clauses, *words))


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
        shopper_context: ShopperContext | None = None,
        synonyms: Callable[[], Awaitable[Thesaurus]] | None = None,
        observer: Observer | None = None,
        curator: Curator | None = None,
    ) -> None:
        self._curator = curator
        self._shopper_context = shopper_context
        self._synonyms = synonyms
        self._observer = observer or NoObserver()
        self._index = index
        self._corrector = Corrector(index, vocabulary)
        self._categories = categories
        self._config = config
        self._ranker = ranker
        self._retrieval = Retrieval(index, ranker, cache, config, field_weights)
        self._cache = cache

    async def __call__(self, request: SearchRequest) -> SearchResult:
        """A fresh search id every time; the rest may come from the result cache.

        Results are cached for `result_ttl_seconds` (with jitter, so entries made together do not
        expire together) under the catalog version: an admin's edit moves the version and the next
        search recomputes, while popularity changes from clicks reach cached orders within the TTL.
        The cache key holds everything that shapes the answer, the visitor's arm included, and the
        visitor and their profile too when a profile orders the page: one shopper's order is never
        served to another, nor an order made from a profile that has since been rebuilt.
        """
        self._validate(request)
        context = RankingContext(visitor_id=request.visitor_id, arm=request.arm)
        if self._shopper_context is not None:
            context = await self._shopper_context(request)
        # The live rules are part of the key: a rule's window opening or closing changes the answer.
        curation = await self._curator.matching(request) if self._curator is not None else None
        if self._config.result_ttl_seconds <= 0:
            result = await self._search(request, context, curation)
        else:
            ttl = self._config.result_ttl_seconds * random.uniform(0.9, 1.1)
            names = curation.names if curation is not None else ()
            # The model in use is part of the key too: after a promotion, each process stops reading
            # pages the old model ranked as soon as it switches, not when they expire.
            model = getattr(self._ranker, "version", None)
            shape = msgspec.json.encode((_cache_key(request, context), names, model))
            key = "search:result:" + hashlib.sha256(shape).hexdigest()[:40]
            result = await cached(
                self._cache, key, ttl, SearchResult, lambda: self._search(request, context, curation)
            )
        return msgspec.structs.replace(result, search_id=uuid.uuid4().hex)

    async def _search(
        self, request: SearchRequest, context: RankingContext, curation: Curation | None
    ) -> SearchResult:
        with timed_search(self._observer):  # a cached answer runs no stage, so it reports none
            return await self._computed(request, context, curation)

    async def _computed(
        self, request: SearchRequest, context: RankingContext, curation: Curation | None
    ) -> SearchResult:
        with stage("parse"):
            query, corrected, filters, thesaurus = await self._read(request)
            sort: SortKey = request.sort or query.sort or "relevance"
            # Highlight every sought word, category words and synonyms included.
            marked = match_spec(thesaurus.expand(query)).stems()
            recognized: str | None = None
            if request.category is None and query.clauses:
                names = [c.name for c in await self._categories()]
                recognized, narrowed = recognize_category(query, names)
                if recognized is not None:
                    query = narrowed
                    filters = msgspec.structs.replace(filters, category=recognized)
        page = PageSpec(sort, request, context, policy_for(request.arm))
        if curation is not None and self._curator is not None:
            page = self._curator.prefix(page, curation)  # the rules need the ranked prefix
        # Synonyms after the category is recognised: 'laptop' still names Laptops.
        result = await self._retrieval.run(match_spec(thesaurus.expand(query)), filters, page)
        if result.total == 0 and recognized is not None:
            # The category guess emptied the results; the words were more likely about something else.
            query = _with_category_words(query, recognized)
            filters = msgspec.structs.replace(filters, category=request.category)
            recognized = None
            result = await self._retrieval.run(match_spec(thesaurus.expand(query)), filters, page)
        items, pinned = result.items, set[str]()
        total, reachable = result.total, result.reachable
        if curation is not None and self._curator is not None:
            with stage("rank"):
                curated = await self._curator(result, request, curation)
            items, pinned, total, reachable = curated.items, curated.pinned, curated.total, curated.reachable
        per_page = request.per_page
        pages = math.ceil(reachable / per_page) if reachable else 0
        hits = [
            SearchHit(
                product=r.product,
                score=r.score,
                position=(request.page - 1) * per_page + i + 1,
                highlight_title=highlight(r.product.title, marked),
                features=r.features,
                tier=result.tiers.get(r.product.sku, 1),
                pinned=r.product.sku in pinned,
            )
            for i, r in enumerate(items)
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
                    sort=query.sort if request.sort is None else None,
                ),
                relaxed=result.relaxed,
                rules=curation.names if curation is not None else (),
            ),
            items=hits,
            total=total,
            page=request.page,
            per_page=per_page,
            pages=pages,
            facets=result.facets,
        )

    async def _read(self, request: SearchRequest) -> _Reading:
        """The query as it will be matched: price and sort phrases read or doubted, typos corrected.

        A price or sort phrase that products are named with ('air max 90') is taken as words
        (see `interpretation`). A price phrase that leaves no product with every word, where
        read as words every word has a product, is taken as words too: two existence checks,
        made only when a price phrase was read.
        """
        asked = SearchFilters(
            category=request.category,
            brand=request.brand,
            min_price=request.min_price,
            max_price=request.max_price,
            min_rating=request.min_rating,
        )
        thesaurus = await self._synonyms() if self._synonyms is not None else Thesaurus()
        parsed = parse_query(request.q, interpret=True)
        literal = await named_phrases(self._index, parsed, asked)
        if literal:
            parsed = parse_query(request.q, literal=literal)
        reading = await self._corrected(parsed, request.q, asked, thesaurus)
        prices = [p.words for p in parsed.interpreted if p.kind == "price"]
        if prices and not await self._index.exists(
            match_spec(thesaurus.expand(reading.query)), reading.filters
        ):
            words = parse_query(request.q, literal=[*literal, *prices])
            as_words = await self._corrected(words, request.q, asked, thesaurus)
            if await self._index.exists(match_spec(thesaurus.expand(as_words.query)), as_words.filters):
                return as_words
        return reading

    async def _corrected(
        self, query: ParsedQuery, raw: str, asked: SearchFilters, thesaurus: Thesaurus
    ) -> _Reading:
        """The query corrected, with the filters it is searched with: the request's, or its phrases'.

        A word with synonyms is the shop's own word, never corrected."""
        filters = msgspec.structs.replace(
            asked,
            min_price=asked.min_price if asked.min_price is not None else query.min_price,
            max_price=asked.max_price if asked.max_price is not None else query.max_price,
        )
        fixed, corrected = await self._corrector(query, raw, filters, keep=thesaurus.knows)
        return _Reading(fixed, corrected, filters, thesaurus)

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


def _cache_key(
    request: SearchRequest, context: RankingContext
) -> tuple[SearchRequest, ShopperProfile | None]:
    # Without a profile the visitor does not change the answer, so visitors share entries. With
    # one, the profile itself is part of the key: a rebuilt profile never gets the old page.
    if context.profile is None:
        return msgspec.structs.replace(request, visitor_id=None), None
    return request, context.profile
