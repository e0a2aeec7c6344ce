"""What search needs from a full-text index."""

from collections.abc import Iterable
from typing import Protocol

from domain.catalog.model import Product
from domain.search.model import (
    Candidate,
    Facets,
    IndexStats,
    MatchSpec,
    SearchFilters,
    SortKey,
    WordCount,
)


class SearchIndex(Protocol):
    async def candidates(self, match: MatchSpec, filters: SearchFilters, limit: int) -> list[Candidate]:
        """Up to `limit` matches, best first by the index's own cheap pre-rank."""
        ...

    async def count(self, match: MatchSpec, filters: SearchFilters) -> int: ...

    async def facets(self, match: MatchSpec, filters: SearchFilters, size: int) -> Facets: ...

    async def page(
        self, match: MatchSpec, filters: SearchFilters, sort: SortKey, offset: int, limit: int
    ) -> list[Product]:
        """One page of all matches in a stored order (every sort but text relevance)."""
        ...

    async def stats(self) -> IndexStats: ...

    async def document_frequencies(self, stems: Iterable[str]) -> dict[str, int]: ...


class Vocabulary(Protocol):
    """The catalog's own words (folded, unstemmed) with how many products use them."""

    async def known(self, words: Iterable[str]) -> set[str]: ...

    async def similar(self, word: str, limit: int) -> list[WordCount]:
        """Words that look like `word` (shared trigrams), for spelling correction."""
        ...

    async def complete(self, prefix: str, limit: int) -> list[WordCount]:
        """Title, brand and category words starting with `prefix`, most used first."""
        ...
