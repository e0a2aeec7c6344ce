"""Matching, counting, scoring and ranking one interpreted query: the engine behind SearchProducts.

`total` and the facets are exact at any match count: the index counts every match in one grouped
pass, and the counts are cached under the catalog version (they change only when the catalog
does), so a query's repeats, other pages, sorts and arms reuse them. When the matches are a large
share of the catalog (`broad_share`), the index takes the most popular of them as candidates
instead of pre-ranking them all.
"""

import asyncio
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass

import msgspec

from application.cached import cached
from application.ports import Cache
from application.search.dto import SearchConfig, SearchRequest
from domain.catalog.model import Product
from domain.experiments.ranking_policy import RankingPolicy
from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct
from domain.ranking.ports import Ranker
from domain.search.facets import facets_of, facets_of_counts
from domain.search.model import (
    Candidate,
    Facets,
    IndexStats,
    MatchCounts,
    MatchSpec,
    Phrase,
    SearchFilters,
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
        self, index: SearchIndex, ranker: Ranker, cache: Cache, config: SearchConfig, weights: FieldWeights
    ) -> None:
        self._index = index
        self._ranker = ranker
        self._cache = cache
        self._config = config
        self._weights = weights

    async def run(self, spec: MatchSpec, filters: SearchFilters, page: PageSpec) -> Outcome:
        """The asked page of the matches, in the order the visitor's arm gives them.

        Counting every match and finding the page are independent reads: they run at once, on
        two connections, so an uncounted query waits for the longer of the two, not their sum.
        """
        counting = asyncio.ensure_future(self._counts(spec, filters))
        try:
            items, reachable = await self._page(spec, filters, page)
        except BaseException:
            counting.cancel()
            # Its own failure (the same outage, most likely) is not reported a second time.
            counting.add_done_callback(lambda task: task.cancelled() or task.exception())
            raise
        counts = await counting
        if counts.total:
            facets = facets_of_counts(counts, self._config.facet_size)
            reach = counts.total if reachable is None else reachable
            return Outcome(items, counts.total, reach, facets, relaxed=False)
        if len(spec.clauses) > 1:
            return await self._relaxed(spec, filters, page)
        return self._empty()

    async def _relaxed(self, spec: MatchSpec, filters: SearchFilters, page: PageSpec) -> Outcome:
        """No product has every word: drop the least telling words, never more than half.

        Words the catalog does not have go first, then the most common ones (then, failing that,
        the rarest); the products that have the rest are scored on all the words, so those that
        have more of them rank higher.
        """
        df = await self._index.document_frequencies(spec.stems())

        def reach(clause: tuple[Phrase, ...]) -> int:
            return max(min((df.get(s, 0) for s in phrase), default=0) for phrase in clause)

        keep = math.ceil(len(spec.clauses) / 2)
        unknown = [i for i in range(len(spec.clauses)) if reach(spec.clauses[i]) == 0]
        known = [i for i in range(len(spec.clauses)) if reach(spec.clauses[i]) > 0]
        # Common words first (they tell least); if that finds nothing, rare ones first.
        orders = (
            unknown + sorted(known, key=lambda i: -reach(spec.clauses[i])),
            unknown + sorted(known, key=lambda i: reach(spec.clauses[i])),
        )
        # Each order stops at its first subset that matches; products of every such subset are
        # pooled, so two products that each have a different half of the words both show.
        found: list[MatchSpec] = []
        for order in orders:
            dropped: set[int] = set()
            for index in order[: len(spec.clauses) - keep]:
                dropped.add(index)
                narrowed = MatchSpec(
                    clauses=tuple(c for i, c in enumerate(spec.clauses) if i not in dropped),
                    excluded=spec.excluded,
                )
                if narrowed in found:
                    break
                if await self._index.exists(narrowed, filters):
                    found.append(narrowed)
                    break
        pool: dict[str, Candidate] = {}
        for narrowed in found:
            for candidate in await self._index.candidates(narrowed, filters, self._config.candidate_limit):
                pool.setdefault(candidate.product.sku, candidate)
        for candidate in await self._any_word_candidates(spec, filters):
            pool.setdefault(candidate.product.sku, candidate)
        ranked = self._ranked(await self._score(spec, list(pool.values()), keep), page)
        if not ranked:
            return self._empty()
        facets = facets_of([r.product for r in ranked], self._config.facet_size)
        items = await self._full(page.cut(ranked), pool.values())
        return Outcome(items, len(ranked), len(ranked), facets, True)

    async def _any_word_candidates(self, spec: MatchSpec, filters: SearchFilters) -> list[Candidate]:
        """Products with any of the words, pre-ranked by the index (more words rank higher).

        A union too large to pre-rank cheaply is walked most-popular-first, for fewer candidates.
        """
        loose = msgspec.structs.replace(spec, mode="any")
        estimate = await self._index.estimate_count(loose, filters)
        if estimate > self._config.broad_min_matches * 10:
            return await self._index.candidates(loose, filters, self._config.candidate_limit // 3, True)
        return await self._index.candidates(loose, filters, self._config.candidate_limit)

    def _ranked(self, texts: list[ScoredProduct], page: PageSpec) -> list[RankedProduct]:
        ranked = self._ranker.rank(texts, page.context)
        sort = page.policy.order(page.sort)
        if sort != "relevance":
            order = {p.sku: i for i, p in enumerate(sort_products([r.product for r in ranked], sort))}
            ranked.sort(key=lambda r: order[r.product.sku])
        return ranked

    async def _page(
        self, spec: MatchSpec, filters: SearchFilters, page: PageSpec
    ) -> tuple[list[RankedProduct], int | None]:
        """The asked page if every word matched, and how many matches pages reach (None: all)."""
        if page.sort == "relevance" and not spec.has_text and page.policy.rank_browse:
            return await self._browse(spec, filters, page), None
        if page.sort != "relevance" or not spec.has_text:
            # Stored orders let the database choose: walking a price index for a word whose
            # products are all expensive would read most of the catalog.
            per_page = page.request.per_page
            products = await self._index.page(spec, filters, page.sort, page.offset, per_page)
            return self._in_order(products, page.context), None
        df = await self._index.document_frequencies(spec.stems())
        broad = await self._broad(spec, filters, df)
        candidates = await self._index.candidates(spec, filters, self._config.candidate_limit, broad)
        ranked = self._ranked(await self._score(spec, candidates, len(spec.clauses), df), page)
        return await self._full(page.cut(ranked), candidates), len(ranked)

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
            head = await self._index.browse(spec, filters, limit)
            ranked = self._ranker.rank([ScoredProduct(product=c.product) for c in head], page.context)
            items = await self._full(page.cut(ranked), head)
        if end > limit:
            start = max(offset, limit)
            tail = await self._index.page(spec, filters, "relevance", start, end - start)
            items += self._in_order(tail, page.context)
        return items

    def _in_order(self, products: list[Product], context: RankingContext) -> list[RankedProduct]:
        """Products in the given order, with the ranker's scores and features for the log."""
        scored = self._ranker.rank([ScoredProduct(product=p) for p in products], context)
        by_sku = {r.product.sku: r for r in scored}
        return [
            RankedProduct(product=p, score=by_sku[p.sku].score, features=by_sku[p.sku].features)
            for p in products
        ]

    async def _full(self, items: list[RankedProduct], candidates: Iterable[Candidate]) -> list[RankedProduct]:
        """The page's narrow candidates swapped for their full products: one read, for the few shown."""
        ids = {c.product.sku: c.id for c in candidates}
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
        stats = await self._stats()
        least = max(self._config.broad_min_matches + 1, self._config.broad_share * stats.doc_count)
        if spec.mode == "all" and spec.clauses and not spec.prefixes:
            bound = min(
                sum(min((df.get(stem, 0) for stem in phrase), default=0) for phrase in clause)
                for clause in spec.clauses
            )
            if bound < least:
                return False
        return await self._index.estimate_count(spec, filters) >= least

    async def _score(
        self, spec: MatchSpec, candidates: list[Candidate], need: int, df: dict[str, int] | None = None
    ) -> list[ScoredProduct]:
        """BM25F on every word, times the share of words matched; fewer than `need` words: dropped."""
        if df is None:
            df = await self._index.document_frequencies(spec.stems())
        scorer = Bm25fScorer(await self._stats(), df, self._weights)
        scores = scorer.score_all(spec, candidates)
        coverage = scores.matched_clauses / len(spec.clauses)
        kept = (scores.matched_clauses >= need).tolist()
        return [
            ScoredProduct(product=candidate.product, text_score=text)
            for candidate, text, keep in zip(
                candidates, (scores.score * coverage).tolist(), kept, strict=True
            )
            if keep
        ]

    def _empty(self) -> Outcome:
        return Outcome([], 0, 0, facets_of([], self._config.facet_size), False)

    async def _counts(self, spec: MatchSpec, filters: SearchFilters) -> MatchCounts:
        """The index's exact counts, cached under the catalog version for `counts_ttl_seconds`.

        Counts depend on the catalog's rows alone (not on popularity, the visitor or the page),
        and every catalog write moves the version, so an edit is counted at the next search; the
        TTL bounds what a write that does not move it (a review's rating) can leave stale.
        """
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
