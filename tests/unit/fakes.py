"""In-memory fakes of the ports, for unit tests of the use cases without a database.

The search index mirrors what the SQL adapters do, only naively: each product is analysed the way
`adapters.sql.indexing` analyses it (title / brand+category / description stems), a phrase matches
when its stems stand together in one field, and the statistics are computed from the stored products.
"""

from collections import Counter
from collections.abc import AsyncIterator, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from domain.catalog.model import CategoryCount, Product, UpsertReport
from domain.search.facets import counts_of
from domain.search.model import (
    Candidate,
    IndexStats,
    MatchCounts,
    MatchSpec,
    Phrase,
    SearchFilters,
    WordCount,
)
from domain.search.sorting import SortKey, sort_products
from domain.search.text import analyze, words

FIXED_NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def make_product(sku: str, title: str, price: float = 10.0, **fields: Any) -> Product:
    """A valid product with a fixed creation time unless one is given."""
    fields.setdefault("created_at", FIXED_NOW)
    return Product(sku=sku, title=title, price=price, **fields)


# --------------------------------------------------------------------------------------------- catalog


class InMemoryProductRepository:
    """ProductRepository over a dict; records the size of every upsert batch."""

    def __init__(self, products: Iterable[Product] = ()) -> None:
        self.products: dict[str, Product] = {p.sku: p for p in products}
        self.upsert_batches: list[list[str]] = []
        self.settled = 0  # after_bulk_load calls

    async def get(self, sku: str) -> Product | None:
        return self.products.get(sku)

    async def get_many(self, skus: Sequence[str]) -> dict[str, Product]:
        return {s: self.products[s] for s in skus if s in self.products}

    async def upsert_many(
        self, products: Sequence[Product], keep_created_at: Collection[str] = ()
    ) -> UpsertReport:
        self.upsert_batches.append([p.sku for p in products])
        latest = {p.sku: p for p in products}  # the last row wins, like the SQL repository
        for sku in set(keep_created_at) & set(latest) & set(self.products):
            latest[sku] = msgspec.structs.replace(latest[sku], created_at=self.products[sku].created_at)
        unchanged = {sku for sku, p in latest.items() if self.products.get(sku) == p}
        updated = sum(1 for sku in latest if sku in self.products and sku not in unchanged)
        self.products.update(latest)
        return UpsertReport(
            inserted=len(latest) - updated - len(unchanged), updated=updated, unchanged=len(unchanged)
        )

    async def skus(self, batch_size: int = 5000) -> AsyncIterator[list[str]]:
        ordered = sorted(self.products)
        for start in range(0, len(ordered), batch_size):
            yield ordered[start : start + batch_size]

    async def delete(self, sku: str) -> bool:
        return self.products.pop(sku, None) is not None

    async def after_bulk_load(self) -> None:
        self.settled += 1

    async def count(self) -> int:
        return len(self.products)

    async def categories(self) -> list[CategoryCount]:
        counts = Counter(p.category for p in self.products.values() if p.category)
        return [
            CategoryCount(name=n, count=c) for n, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]


# ---------------------------------------------------------------------------------------------- search


@dataclass(frozen=True)
class _Doc:
    product: Product
    title: list[str]
    meta: list[str]
    body: list[str]

    @property
    def fields(self) -> tuple[list[str], list[str], list[str]]:
        return self.title, self.meta, self.body


def _analyse(product: Product) -> _Doc:
    return _Doc(
        product=product,
        title=analyze(product.title),
        meta=analyze(product.brand) + analyze(product.category),
        body=analyze(product.description),
    )


def _has_phrase(tokens: list[str], phrase: Phrase) -> bool:
    n = len(phrase)
    return n > 0 and any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


def _doc_has(doc: _Doc, phrase: Phrase) -> bool:
    return any(_has_phrase(tokens, phrase) for tokens in doc.fields)


def _matched_clauses(doc: _Doc, match: MatchSpec) -> int:
    return sum(1 for clause in match.clauses if any(_doc_has(doc, phrase) for phrase in clause))


def _matches(doc: _Doc, match: MatchSpec) -> bool:
    if any(_doc_has(doc, phrase) for phrase in match.excluded):
        return False
    if match.prefixes and not any(
        token.startswith(prefix) for tokens in doc.fields for token in tokens for prefix in match.prefixes
    ):
        return False
    if not match.clauses:
        return True
    hits = _matched_clauses(doc, match)
    if match.mode == "all_but_one":
        return hits >= len(match.clauses) - 1
    return hits == len(match.clauses) if match.mode == "all" else hits > 0


def _passes(product: Product, filters: SearchFilters) -> bool:
    return (
        (filters.category is None or product.category == filters.category)
        and (filters.brand is None or product.brand == filters.brand)
        and (filters.min_price is None or product.price >= filters.min_price)
        and (filters.max_price is None or product.price <= filters.max_price)
        and (filters.min_rating is None or product.rating >= filters.min_rating)
    )


def _narrow(product: Product) -> Product:
    """What the SQL index's candidates carry: the fields ranking and sorting read, no text to show."""
    return msgspec.structs.replace(product, title="", description="", image_url=None, attributes={})


class InMemorySearchIndex:
    """SearchIndex over the products of an InMemoryProductRepository; records every call."""

    def __init__(self, repository: InMemoryProductRepository) -> None:
        self._repository = repository
        self.calls: list[tuple[str, MatchSpec]] = []
        self.broad_requests = 0
        self._ids: dict[str, int] = {}  # stable ids, as a table's would be

    def _id(self, sku: str) -> int:
        return self._ids.setdefault(sku, len(self._ids) + 1)

    def _docs(self) -> list[_Doc]:
        return [_analyse(p) for p in sorted(self._repository.products.values(), key=lambda p: p.sku)]

    def _hits(self, match: MatchSpec, filters: SearchFilters) -> list[_Doc]:
        return [d for d in self._docs() if _passes(d.product, filters) and _matches(d, match)]

    async def count(self, match: MatchSpec, filters: SearchFilters) -> MatchCounts:
        self.calls.append(("count", match))
        return counts_of([d.product for d in self._hits(match, filters)])

    async def exists(self, match: MatchSpec, filters: SearchFilters) -> bool:
        self.calls.append(("exists", match))
        return bool(self._hits(match, filters))

    async def estimate_count(self, match: MatchSpec, filters: SearchFilters) -> int:
        self.calls.append(("estimate_count", match))
        return len(self._hits(match, filters))

    async def popular(self, match: MatchSpec, limit: int, within: int) -> list[Product]:
        self.calls.append(("popular", match))
        pool = sorted(self._docs(), key=lambda d: (-d.product.popularity, d.product.sku))[:within]
        return [d.product for d in pool if _matches(d, match)][:limit]

    async def candidates(
        self, match: MatchSpec, filters: SearchFilters, limit: int, broad: bool = False
    ) -> list[Candidate]:
        self.calls.append(("candidates", match))
        self.broad_requests += int(broad)
        hits = self._hits(match, filters)
        # The cheap pre-rank: more matched clauses first, then popularity.
        hits.sort(key=lambda d: (-_matched_clauses(d, match), -d.product.popularity, d.product.sku))
        return [
            Candidate(
                id=self._id(d.product.sku),
                product=_narrow(d.product),
                title_terms=" ".join(d.title),
                meta_terms=" ".join(d.meta),
                body_terms=" ".join(d.body),
            )
            for d in hits[:limit]
        ]

    async def browse(self, match: MatchSpec, filters: SearchFilters, limit: int) -> list[Candidate]:
        self.calls.append(("browse", match))
        hits = {d.product.sku: d for d in self._hits(match, filters)}
        ordered = sort_products([d.product for d in hits.values()], "relevance")
        return [
            Candidate(
                id=self._id(p.sku),
                product=_narrow(p),
                title_terms=" ".join(hits[p.sku].title),
                meta_terms=" ".join(hits[p.sku].meta),
                body_terms=" ".join(hits[p.sku].body),
            )
            for p in ordered[:limit]
        ]

    async def products(self, ids: Sequence[int]) -> list[Product]:
        self.calls.append(("products", MatchSpec()))
        skus = {i: sku for sku, i in self._ids.items()}
        found = [self._repository.products.get(skus.get(i, "")) for i in ids]
        return [p for p in found if p is not None]

    async def page(
        self,
        match: MatchSpec,
        filters: SearchFilters,
        sort: SortKey,
        offset: int,
        limit: int,
        broad: bool = False,
    ) -> list[Product]:
        self.calls.append(("page", match))
        products = sort_products([d.product for d in self._hits(match, filters)], sort)
        return products[offset : offset + limit]

    async def stats(self) -> IndexStats:
        docs = self._docs()
        n = len(docs)
        if n == 0:
            return IndexStats(doc_count=0, avg_title=1.0, avg_meta=1.0, avg_body=1.0)
        return IndexStats(
            doc_count=n,
            avg_title=max(sum(len(d.title) for d in docs) / n, 1.0),
            avg_meta=max(sum(len(d.meta) for d in docs) / n, 1.0),
            avg_body=max(sum(len(d.body) for d in docs) / n, 1.0),
        )

    async def document_frequencies(self, stems: Iterable[str]) -> dict[str, int]:
        wanted = set(stems)
        df: Counter[str] = Counter()
        for doc in self._docs():
            present = set(doc.title) | set(doc.meta) | set(doc.body)
            df.update(present & wanted)
        return dict(df)


class InMemoryVocabulary:
    """Vocabulary over the folded words of the stored products (like the search_words table)."""

    def __init__(self, repository: InMemoryProductRepository) -> None:
        self._repository = repository

    def _counts(self) -> tuple[Counter[str], Counter[str]]:
        doc_words: Counter[str] = Counter()
        title_words: Counter[str] = Counter()
        for p in self._repository.products.values():
            title_w = set(words(p.title) + words(p.brand) + words(p.category))
            doc_words.update(title_w | set(words(p.description)))
            title_words.update(title_w)
        return doc_words, title_words

    async def known(self, candidates: Iterable[str]) -> set[str]:
        doc_words, _ = self._counts()
        return {w for w in candidates if doc_words[w] > 0}

    async def similar(self, word: str, limit: int) -> list[WordCount]:
        grams = {word[i : i + 3] for i in range(len(word) - 2)}
        if not grams:
            return []
        doc_words, _ = self._counts()
        scored = []
        for w, n in doc_words.items():
            shared = len(grams & {w[i : i + 3] for i in range(len(w) - 2)})
            if shared and len(word) - 2 <= len(w) <= len(word) + 2:
                scored.append((-shared, -n, w))
        return [WordCount(word=w, count=-n) for _, n, w in sorted(scored)[:limit]]

    async def complete(self, prefix: str, limit: int) -> list[WordCount]:
        if not prefix:
            return []
        _, title_words = self._counts()
        hits = sorted((-n, w) for w, n in title_words.items() if w.startswith(prefix))
        return [WordCount(word=w, count=-n) for n, w in hits[:limit]]


# ----------------------------------------------------------------------------------- cache and clock


class FakeCache:
    """Cache port over a dict; ttl is recorded, never enforced."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.ttls: dict[str, float] = {}

    async def get(self, key: str) -> bytes | None:
        return self.data.get(key)

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        self.data[key] = value
        self.ttls[key] = ttl_seconds

    async def delete(self, key: str) -> None:
        self.data.pop(key, None)
        self.ttls.pop(key, None)

    async def incr(self, key: str, amount: int = 1, ttl_seconds: float | None = None) -> int:
        if key not in self.data and ttl_seconds is not None:
            self.ttls[key] = ttl_seconds
        value = int(self.data.get(key, b"0")) + amount
        self.data[key] = str(value).encode()
        return value

    async def ttl(self, key: str) -> float | None:
        return self.ttls.get(key) if key in self.data else None

    def counters(self) -> dict[str, int]:
        return {"hits": 0, "misses": 0}

    async def ping(self) -> bool:
        return True


class FakeClock:
    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)
