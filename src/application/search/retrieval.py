"""Matching, counting, scoring and ranking one interpreted query: the engine behind SearchProducts.

`total` and the facets are exact at any match count: the index counts every match in one grouped
pass, and the counts are cached under the catalog version (they change only when the catalog
does), so a query's repeats, other pages, sorts and arms reuse them. When the matches are a large
share of the catalog (`broad_share`), the index takes the most popular of them as candidates
instead of pre-ranking them all.
"""

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import msgspec

from application.cached import cached
from application.ports import Cache
from application.search.dto import SearchConfig, SearchRequest
from application.search.facet_attributes import FacetPlan
from application.search.stages import stage
from domain.catalog.model import Product
from domain.experiments.ranking_policy import RankingPolicy
from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct
from domain.ranking.ports import Ranker
from domain.search.attribute_facets import AttributeCount, attribute_facets
from domain.search.attributes import without
from domain.search.facets import facets_of, facets_of_counts
from domain.search.model import (
    Candidate,
    Facets,
    FacetValue,
    IndexStats,
    MatchCounts,
    MatchSpec,
    Phrase,
    SearchFilters,
    loosened,
)
from domain.search.ports import SearchIndex
from domain.search.scoring import Bm25fScorer, FieldWeights
from domain.search.sorting import SortKey, sort_products


@dataclass(frozen=True)
class Outcome:
    items: list[RankedProduct]  # the requested page
    total: int  # every match
    reachable: int  # matches that pages can reach (the scored candidates, for text relevance)
    facets: Facets
    relaxed: bool
    tiers: Mapping[str, int] = field(default_factory=dict)  # by sku, when not all are tier 1


@dataclass(frozen=True)
class _Head:
    """What the first read gave: the page of all-words matches, and how many matches pages reach
    (None: all); or, when they are short of the fill target, all of them (`first`) for the tiers."""

    items: list[RankedProduct]
    reachable: int | None = None
    first: list[Candidate] | None = None
    df: dict[str, int] | None = None


@dataclass(frozen=True)
class PageSpec:
    """Which page of the matches to answer, and how the visitor's arm orders them."""

    sort: SortKey
    request: SearchRequest
    context: RankingContext
    policy: RankingPolicy

    @property
    def offset(self) -> int:
        return (self.request.page - 1) * self.request.per_page

    def cut(self, ranked: list[RankedProduct]) -> list[RankedProduct]:
        return ranked[self.offset : self.offset + self.request.per_page]


class Retrieval:
    def __init__(
        self,
        index: SearchIndex,
        ranker: Ranker,
        cache: Cache,
        config: SearchConfig,
        weights: FieldWeights,
        facet_plan: Callable[[], Awaitable[FacetPlan]] | None = None,
    ) -> None:
        self._facet_plan = facet_plan
        self._index = index
        self._ranker = ranker
        self._cache = cache
        self._config = config
        self._weights = weights

    async def run(self, spec: MatchSpec, filters: SearchFilters, page: PageSpec) -> Outcome:
        """The asked page of the matches, in the order the visitor's arm gives them.

        Counting every match and finding the page are independent reads: they run at once, on
        two connections, so an uncounted query waits for the longer of the two, not their sum.
        When fewer products than the fill target have every word, the lower tiers are appended
        (see `_tiers`). That depends on the exact tier-1 count alone (its candidates, when they are
        fewer than their limit; else the count), so every page of a query agrees.
        """
        counting = asyncio.ensure_future(self._counts(spec, filters))
        by_attribute = asyncio.ensure_future(self._attribute_counts(spec, filters))
        try:
            head = await self._page(spec, filters, page)
            tiered = None
            if head.first is not None:
                tiered = await self._tiers(spec, filters, page, head.first, head.df)
        except BaseException:
            for task in (counting, by_attribute):
                task.cancel()
                # Its own failure (the same outage, most likely) is not reported a second time.
                task.add_done_callback(lambda done: done.cancelled() or done.exception())
            raise
        try:
            counts = await counting
        except BaseException:
            by_attribute.cancel()
            by_attribute.add_done_callback(lambda done: done.cancelled() or done.exception())
            raise
        attributes = await by_attribute
        if tiered is not None:
            return tiered
        if self._short(spec, counts.total):  # a stored sort: the exact count decides
            return await self._tiers(spec, filters, page, None, None)
        with stage("facets"):
            facets = facets_of_counts(counts, self._config.facet_size)
            facets = msgspec.structs.replace(facets, attributes=attributes(counts.total))
        if counts.total:
            reach = counts.total if head.reachable is None else head.reachable
            return Outcome(head.items, counts.total, reach, facets, relaxed=False)
        # Nothing matches; an attribute filtered on still shows its other values, to be chosen instead.
        empty = self._empty()
        return Outcome([], 0, 0, msgspec.structs.replace(empty.facets, attributes=facets.attributes), False)

    async def _attribute_counts(
        self, spec: MatchSpec, filters: SearchFilters
    ) -> Callable[[int], dict[str, list[FacetValue]]]:
        """The attribute facets, given the total: each attribute's values counted exactly.

        An attribute filtered on is counted with every filter but its own (values of one attribute
        are alternatives: each count is the total that choosing that value instead would give);
        the others with all the filters, in one grouped read.
        """
        if self._facet_plan is None:
            return lambda total: {}
        plan = await self._facet_plan()
        selected = [f.name for f in filters.attributes]
        rest = [n for n in plan.names if n not in selected]
        reads = [self._cached_attribute_counts(spec, filters, rest)]
        reads += [
            self._cached_attribute_counts(
                spec, msgspec.structs.replace(filters, attributes=without(filters.attributes, n)), [n]
            )
            for n in selected
        ]
        found = await asyncio.gather(*reads)
        counts = [c for part in found for c in part]
        always = plan.declared | set(selected)
        size = self._config.facet_size
        return lambda total: attribute_facets(counts, total, always, size)

    async def _cached_attribute_counts(
        self, spec: MatchSpec, filters: SearchFilters, names: Sequence[str]
    ) -> list[AttributeCount]:
        if not names:
            return []
        if self._config.counts_ttl_seconds <= 0:
            return await self._index.count_attributes(spec, filters, names)
        shape = msgspec.msgpack.encode((spec, filters, sorted(names)))
        key = "search:attribute-counts:" + hashlib.sha256(shape).hexdigest()[:40]
        return await cached(
            self._cache,
            key,
            self._config.counts_ttl_seconds,
            list[AttributeCount],
            lambda: self._index.count_attributes(spec, filters, names),
        )

    def _short(self, spec: MatchSpec, first_tier: int) -> bool:
        """Whether a query of this many tier-1 products has the lower tiers appended."""
        return spec.mode == "all" and len(loosened(spec).clauses) > 1 and first_tier < self._fill_target()

    def _fill_target(self) -> int:
        # Tier 1 below the target is read whole as candidates, so the target is at most their limit.
        return min(self._config.fill_target, self._config.candidate_limit)

    async def _tiers(
        self,
        spec: MatchSpec,
        filters: SearchFilters,
        page: PageSpec,
        first: list[Candidate] | None,
        df: dict[str, int] | None,
    ) -> Outcome:
        """Every product with all the words (tier 1), then those missing one (tier 2), then those
        with any (tier 3), each tier ranked on all the words (BM25F times the share matched, then
        the arm's order) and kept whole before the next.

        Tier 1 is short of the fill target here, so all of it is among `first` (its candidates,
        when the page already read them). Below tier 1 the words of a phrase or compound count
        one by one (`loosened`). A product's tier is how many words it has, whichever read found
        it; `total` is what the pages reach: tier 1 and the lower tiers' candidates.
        """
        loose = loosened(spec)
        with stage("match"):
            if first is None:
                first = await self._index.candidates(spec, filters, self._config.candidate_limit)
            if df is None:
                df = await self._index.document_frequencies(spec.stems())
            pool = {c.product.sku: c for c in first}
            for candidate in await self._lower_tiers(loose, filters, df):
                pool.setdefault(candidate.product.sku, candidate)
        candidates = list(pool.values())
        whole, matched = await self._scored(spec, candidates, df)
        # Below tier 1, a phrase's words count one by one ('Edge 3' for 'edge9' has one of two).
        parts, parts_matched = (
            (whole, matched) if loose == spec else await self._scored(loose, candidates, df)
        )
        n, m_loose = len(spec.clauses), len(loose.clauses)
        tiers: dict[str, int] = {}
        kept: list[ScoredProduct] = []
        for w, m, p, mp in zip(whole, matched, parts, parts_matched, strict=True):
            tier = 1 if m == n else 2 if mp >= m_loose - 1 else 3
            if tier == 1 or mp > 0:
                tiers[w.product.sku] = tier
                kept.append(w if tier == 1 else p)
        ranked = self._ranked(kept, page, tiers)
        if not ranked:
            return self._empty()
        with stage("facets"):
            facets = facets_of([r.product for r in ranked], self._config.facet_size)
        items = await self._full(page.cut(ranked), pool.values())
        relaxed = any(tiers[r.product.sku] > 1 for r in ranked)
        return Outcome(items, len(ranked), len(ranked), facets, relaxed, tiers)

    async def _lower_tiers(
        self, spec: MatchSpec, filters: SearchFilters, df: dict[str, int]
    ) -> list[Candidate]:
        """Candidates for tiers 2 and 3, each a top-k by the index's text rank.

        Only the `tier_max_words` rarest words the catalog has take part, so a long query costs a
        bounded statement: tier 2 reads the products with all of them but one (in one statement),
        tier 3 those with any of the rarest few whose products together are at most
        `any_word_budget`, ranked by text (a common word adds many products and little rank). A
        read whose matches are a broad share of the catalog anyway (every word common) takes the
        most popular, like tier 1 does.
        """

        def reach(clause: tuple[Phrase, ...]) -> int:  # at most this many products have the clause
            return sum(min((df.get(s, 0) for s in phrase), default=0) for phrase in clause)

        known = sorted(
            (i for i, c in enumerate(spec.clauses) if reach(c) > 0), key=lambda i: reach(spec.clauses[i])
        )
        known = known[: self._config.tier_max_words]
        if not known:
            return []
        least = await self._broad_least()
        # What tier 3 may rank, whatever the catalog's size: its top-k is read from this many at
        # most, and within that it is always ranked by text (a mid-sized catalog's broad share is
        # smaller than this, and would otherwise leave any-word reach to popularity).
        budget = self._config.any_word_budget

        async def read(match: MatchSpec, bound: int, ranked_within: float = least) -> list[Candidate]:
            broad = (
                bound >= ranked_within and await self._index.estimate_count(match, filters) >= ranked_within
            )
            return await self._index.candidates(match, filters, self._config.candidate_limit, broad)

        reads = []
        if len(known) > 1:
            clauses = tuple(spec.clauses[i] for i in sorted(known))
            # Missing one word at most, a product has one of the two rarest at least.
            bound = reach(spec.clauses[known[0]]) + reach(spec.clauses[known[1]])
            reads.append(read(MatchSpec(clauses, spec.excluded, "all_but_one", spec.prefixes), bound))
        if len(spec.clauses) > 2 or len(known) == 1:
            rare: list[int] = []
            for i in known:  # rarest first; the rarest always
                if rare and sum(reach(spec.clauses[j]) for j in [*rare, i]) > budget:
                    break
                rare.append(i)
            any_word = MatchSpec(
                tuple(spec.clauses[i] for i in sorted(rare)), spec.excluded, "any", spec.prefixes
            )
            reads.append(read(any_word, sum(reach(spec.clauses[i]) for i in rare), max(least, budget + 1)))
        found = await _all(reads)
        return [c for candidates in found for c in candidates]

    def _ranked(
        self, texts: list[ScoredProduct], page: PageSpec, tiers: Mapping[str, int] | None = None
    ) -> list[RankedProduct]:
        """The ranker's order, or the stored order the arm or the request asks for; tiers kept in order.

        An arm that serves text matches in a stored order (the control arm, by popularity) breaks
        its ties by text relevance before sku, so a catalog without traffic is served by relevance.
        """
        with stage("rank"):
            return self._ordered(texts, page, tiers)

    def _ordered(
        self, texts: list[ScoredProduct], page: PageSpec, tiers: Mapping[str, int] | None
    ) -> list[RankedProduct]:
        ranked = self._ranker.rank(texts, page.context)
        sort = page.policy.order(page.sort)
        if sort != "relevance":
            relevance = {t.product.sku: t.text_score for t in texts} if page.sort == "relevance" else None
            ordered = sort_products([r.product for r in ranked], sort, relevance)
            order = {p.sku: i for i, p in enumerate(ordered)}
            ranked.sort(key=lambda r: order[r.product.sku])
        if tiers:
            ranked.sort(key=lambda r: tiers[r.product.sku])  # stable: each tier keeps its order
        return ranked

    async def _page(self, spec: MatchSpec, filters: SearchFilters, page: PageSpec) -> _Head:
        """The asked page if every word matched, or tier 1 whole when it is short of the target."""
        if page.sort == "relevance" and not spec.has_text and page.policy.rank_browse:
            return _Head(await self._browse(spec, filters, page))
        if page.sort != "relevance" or not spec.has_text:
            # Stored orders let the database choose: walking a price index for a word whose
            # products are all expensive would read most of the catalog.
            per_page = page.request.per_page
            with stage("match"):
                products = await self._index.page(spec, filters, page.sort, page.offset, per_page)
            return _Head(self._in_order(products, page.context))
        with stage("match"):
            df = await self._index.document_frequencies(spec.stems())
            broad = await self._broad(spec, filters, df)
            candidates = await self._index.candidates(spec, filters, self._config.candidate_limit, broad)
        # Fewer candidates than their limit are every match: the exact count, known already.
        if self._short(spec, len(candidates)):
            return _Head([], first=candidates, df=df)
        ranked = self._ranked(await self._score(spec, candidates, len(spec.clauses), df), page)
        return _Head(await self._full(page.cut(ranked), candidates), len(ranked))

    async def _browse(self, spec: MatchSpec, filters: SearchFilters, page: PageSpec) -> list[RankedProduct]:
        """A category or filters without words, by relevance: the ranker orders the most popular matches.

        'Running shoes' alone is a common shop query, and one where taste decides among many matches,
        so the `candidate_limit` most popular matches are ranked like text candidates; pages past
        them continue in the stored popularity order (and never read the ranked head).
        """
        limit = self._config.candidate_limit
        offset, end = page.offset, page.offset + page.request.per_page
        items: list[RankedProduct] = []
        if offset < limit:
            with stage("match"):
                head = await self._index.browse(spec, filters, limit)
            with stage("rank"):
                ranked = self._ranker.rank([ScoredProduct(product=c.product) for c in head], page.context)
            items = await self._full(page.cut(ranked), head)
        if end > limit:
            start = max(offset, limit)
            with stage("match"):
                tail = await self._index.page(spec, filters, "relevance", start, end - start)
            items += self._in_order(tail, page.context)
        return items

    def _in_order(self, products: list[Product], context: RankingContext) -> list[RankedProduct]:
        """Products in the given order, with the ranker's scores and features for the log."""
        with stage("rank"):
            scored = self._ranker.rank([ScoredProduct(product=p) for p in products], context)
        by_sku = {r.product.sku: r for r in scored}
        return [
            RankedProduct(product=p, score=by_sku[p.sku].score, features=by_sku[p.sku].features)
            for p in products
        ]

    async def _full(self, items: list[RankedProduct], candidates: Iterable[Candidate]) -> list[RankedProduct]:
        """The page's narrow candidates swapped for their full products: one read, for the few shown."""
        ids = {c.product.sku: c.id for c in candidates}
        with stage("match"):
            found = {p.sku: p for p in await self._index.products([ids[r.product.sku] for r in items])}
        # A product deleted since it was matched is left out rather than shown half-read.
        return [
            msgspec.structs.replace(r, product=found[r.product.sku]) for r in items if r.product.sku in found
        ]

    async def _broad(self, spec: MatchSpec, filters: SearchFilters, df: dict[str, int]) -> bool:
        """Whether the matches are so many (`broad_share` of the catalog, and more than
        `broad_min_matches`) that the most popular of them are taken instead of pre-ranking all.

        The words' document frequencies bound the matches from above, so most queries are
        settled without asking the database; the rest by the planner's estimate, not the exact
        count, so a query takes the same candidates whether its counts were cached or not.
        """
        least = await self._broad_least()
        if spec.mode == "all" and spec.clauses and not spec.prefixes:
            bound = min(
                sum(min((df.get(stem, 0) for stem in phrase), default=0) for phrase in clause)
                for clause in spec.clauses
            )
            if bound < least:
                return False
        return await self._index.estimate_count(spec, filters) >= least

    async def _broad_least(self) -> float:
        """The fewest matches that count as broad: `broad_share` of the catalog, and more than
        `broad_min_matches`."""
        stats = await self._stats()
        return max(self._config.broad_min_matches + 1, self._config.broad_share * stats.doc_count)

    async def _score(
        self, spec: MatchSpec, candidates: list[Candidate], need: int, df: dict[str, int]
    ) -> list[ScoredProduct]:
        """BM25F on every word, times the share of words matched; fewer than `need` words: dropped."""
        texts, matched = await self._scored(spec, candidates, df)
        return [text for text, m in zip(texts, matched, strict=True) if m >= need]

    async def _scored(
        self, spec: MatchSpec, candidates: list[Candidate], df: dict[str, int]
    ) -> tuple[list[ScoredProduct], list[int]]:
        """Each candidate's BM25F on every word times the share of words matched, and how many matched."""
        stats = await self._stats()
        with stage("score"):
            scores = Bm25fScorer(stats, df, self._weights).score_all(spec, candidates)
        coverage = scores.matched_clauses / len(spec.clauses)
        texts = [
            ScoredProduct(product=candidate.product, text_score=text)
            for candidate, text in zip(candidates, (scores.score * coverage).tolist(), strict=True)
        ]
        return texts, scores.matched_clauses.tolist()

    def _empty(self) -> Outcome:
        return Outcome([], 0, 0, facets_of([], self._config.facet_size), False)

    async def _counts(self, spec: MatchSpec, filters: SearchFilters) -> MatchCounts:
        """The index's exact counts, cached under the catalog version for `counts_ttl_seconds`.

        Counts depend on the catalog's rows alone (not on popularity, the visitor or the page),
        and every catalog write moves the version, so an edit is counted at the next search; the
        TTL bounds what a write that does not move it (a review's rating) can leave stale.
        """
        with stage("facets"):
            return await self._cached_counts(spec, filters)

    async def _cached_counts(self, spec: MatchSpec, filters: SearchFilters) -> MatchCounts:
        if self._config.counts_ttl_seconds <= 0:
            return await self._index.count(spec, filters)
        key = "search:counts:" + hashlib.sha256(msgspec.msgpack.encode((spec, filters))).hexdigest()[:40]
        return await cached(
            self._cache,
            key,
            self._config.counts_ttl_seconds,
            MatchCounts,
            lambda: self._index.count(spec, filters),
        )

    async def _stats(self) -> IndexStats:
        return await cached(
            self._cache, "search:stats", self._config.stats_ttl_seconds, IndexStats, self._index.stats
        )


async def _all(reads: Sequence[Awaitable[list[Candidate]]]) -> list[list[Candidate]]:
    """The reads' results, run at once; a failure is raised once every read has ended, none left running."""
    results = await asyncio.gather(*reads, return_exceptions=True)
    found: list[list[Candidate]] = []
    for result in results:
        if isinstance(result, BaseException):
            raise result
        found.append(result)
    return found
