"""What search needs from a full-text index."""

from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import datetime
from typing import Protocol

from domain.catalog.model import Product
from domain.search.attribute_facets import AttributeCount, CatalogProfile, FacetDeclaration
from domain.search.model import (
    Candidate,
    IndexStats,
    MatchCounts,
    MatchSpec,
    SearchFilters,
    WordCount,
)
from domain.search.reformulations import LoggedSearch, Suggestion, SuggestionStatus
from domain.search.rules import Rule
from domain.search.sorting import SortKey
from domain.search.synonyms import Synonym


class SearchIndex(Protocol):
    async def count(self, match: MatchSpec, filters: SearchFilters) -> MatchCounts:
        """Every match counted exactly, grouped by category and brand, with each group's price range."""
        ...

    async def count_attributes(
        self, match: MatchSpec, filters: SearchFilters, names: Sequence[str]
    ) -> list[AttributeCount]:
        """Every match counted exactly by the value it has of each named attribute."""
        ...

    async def exists(self, match: MatchSpec, filters: SearchFilters) -> bool:
        """Whether anything matches, without counting."""
        ...

    async def estimate_count(self, match: MatchSpec, filters: SearchFilters) -> int:
        """How many products match, estimated where counting them all would be slow."""
        ...

    async def candidates(
        self, match: MatchSpec, filters: SearchFilters, limit: int, broad: bool = False
    ) -> list[Candidate]:
        """Up to `limit` matches, best first by the index's own cheap pre-rank, as narrow candidates.

        A candidate's product carries only the fields ranking and sorting read (see `Candidate`);
        `products` gives the full products of the few that are shown.

        `broad` says the match set is a large share of the catalog: the index may then take the
        most popular matches instead of ranking every one of them.
        """
        ...

    async def products(self, ids: Sequence[int]) -> list[Product]:
        """The full products of these candidate ids, in the order given; ids since deleted are left out."""
        ...

    async def page(
        self,
        match: MatchSpec,
        filters: SearchFilters,
        sort: SortKey,
        offset: int,
        limit: int,
        broad: bool = False,
    ) -> list[Product]:
        """One page of all matches in a stored order (every sort but text relevance)."""
        ...

    async def browse(self, match: MatchSpec, filters: SearchFilters, limit: int) -> list[Candidate]:
        """The first `limit` matches in the stored relevance order (most popular first), as narrow
        candidates like `candidates` gives: a search without words ranks these."""
        ...

    async def popular(self, match: MatchSpec, limit: int, within: int) -> list[Product]:
        """Up to `limit` matches among the `within` most popular products, most popular first.

        Bounded work whatever the catalog size: for as-you-type suggestions.
        """
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


class SynonymSource(Protocol):
    async def all(self) -> list[Synonym]: ...


class SynonymStore(SynonymSource, Protocol):
    """The shop's synonyms; ids are given by the store."""

    async def get(self, synonym_id: int) -> Synonym | None: ...

    async def add_many(self, synonyms: Sequence[Synonym]) -> list[Synonym]:
        """Store new synonyms in one transaction; they come back with their ids."""
        ...

    async def replace(self, synonym: Synonym) -> bool:
        """Overwrite the synonym with this id; False when there is none."""
        ...

    async def delete(self, synonym_id: int) -> bool: ...


class SuggestionStore(Protocol):
    """Synonyms learned from shoppers, each pair stored once with what the administrator decided."""

    async def merge(self, found: Sequence[Suggestion]) -> None:
        """Store newly found pairs as pending and refresh the figures of pending ones; a pair
        already accepted or rejected keeps its status (a rejected pair is not offered again)."""
        ...

    async def listed(self, status: SuggestionStatus, limit: int) -> list[Suggestion]:
        """By support, then lift, highest first."""
        ...

    async def get(self, suggestion_id: int) -> Suggestion | None: ...

    async def decide(self, suggestion_id: int, status: SuggestionStatus) -> None: ...


class SearchHistory(Protocol):
    """The search log, read for learning: first-page searches with whether they got a click."""

    def searches(self, since: datetime) -> AsyncIterator[list[LoggedSearch]]:
        """Chunks of searches since then, ordered by visitor and time; a visitor never straddles
        two chunks."""
        ...


class RuleSource(Protocol):
    async def all(self) -> list[Rule]: ...


class RuleStore(RuleSource, Protocol):
    """The shop's rules; ids are given by the store."""

    async def get(self, rule_id: int) -> Rule | None: ...

    async def add(self, rule: Rule) -> Rule:
        """Store a new rule; it comes back with its id."""
        ...

    async def replace(self, rule: Rule) -> bool:
        """Overwrite the rule with this id; False when there is none."""
        ...

    async def delete(self, rule_id: int) -> bool: ...


class AttributeCatalog(Protocol):
    async def profile(self) -> CatalogProfile:
        """Each attribute's spread over the catalog, for discovering facets."""
        ...


class FacetDeclarationStore(Protocol):
    async def get(self) -> FacetDeclaration: ...

    async def put(self, declaration: FacetDeclaration) -> None:
        """Replace the whole declaration."""
        ...
