"""In-memory synonym and suggestion stores, and a search over the shared small catalog with synonyms."""

from collections.abc import Sequence

import msgspec

from application.catalog.manage_products import ListCategories
from application.search.current_synonyms import CurrentSynonyms
from application.search.dto import SearchConfig
from application.search.search_products import SearchProducts
from domain.catalog.model import Product
from domain.ranking.formula import FormulaRanker, FormulaWeights
from domain.search.reformulations import Suggestion, SuggestionStatus
from domain.search.scoring import FieldWeights
from domain.search.synonyms import Synonym
from tests.unit.fakes import FakeCache, InMemoryProductRepository, InMemorySearchIndex, InMemoryVocabulary


class InMemorySynonymStore:
    def __init__(self) -> None:
        self.synonyms: dict[int, Synonym] = {}
        self.reads = 0

    async def all(self) -> list[Synonym]:
        self.reads += 1
        return [self.synonyms[k] for k in sorted(self.synonyms)]

    async def get(self, synonym_id: int) -> Synonym | None:
        return self.synonyms.get(synonym_id)

    async def add_many(self, synonyms: Sequence[Synonym]) -> list[Synonym]:
        added = []
        for synonym in synonyms:
            stored = msgspec.structs.replace(synonym, id=max(self.synonyms, default=0) + 1)
            self.synonyms[stored.id] = stored
            added.append(stored)
        return added

    async def replace(self, synonym: Synonym) -> bool:
        if synonym.id not in self.synonyms:
            return False
        self.synonyms[synonym.id] = synonym
        return True

    async def delete(self, synonym_id: int) -> bool:
        return self.synonyms.pop(synonym_id, None) is not None


class InMemorySuggestionStore:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Suggestion] = {}

    async def merge(self, found: Sequence[Suggestion]) -> None:
        for s in found:
            known = self.rows.get((s.source, s.target))
            if known is None:
                self.rows[(s.source, s.target)] = msgspec.structs.replace(s, id=len(self.rows) + 1)
            elif known.status == "pending":
                self.rows[(s.source, s.target)] = msgspec.structs.replace(s, id=known.id)

    async def listed(self, status: SuggestionStatus, limit: int) -> list[Suggestion]:
        rows = [s for s in self.rows.values() if s.status == status]
        return sorted(rows, key=lambda s: (-s.support, -s.lift, s.id))[:limit]

    async def get(self, suggestion_id: int) -> Suggestion | None:
        return next((s for s in self.rows.values() if s.id == suggestion_id), None)

    async def decide(self, suggestion_id: int, status: SuggestionStatus) -> None:
        for key, s in self.rows.items():
            if s.id == suggestion_id:
                self.rows[key] = msgspec.structs.replace(s, status=status)


def search_with_synonyms(
    catalog: Sequence[Product], config: SearchConfig | None = None
) -> tuple[SearchProducts, InMemorySynonymStore, FakeCache]:
    repo = InMemoryProductRepository(catalog)
    cache = FakeCache()
    store = InMemorySynonymStore()
    search = SearchProducts(
        index=InMemorySearchIndex(repo),
        vocabulary=InMemoryVocabulary(repo),
        categories=ListCategories(repo, cache),
        ranker=FormulaRanker(FormulaWeights()),
        cache=cache,
        config=config or SearchConfig(),
        field_weights=FieldWeights(),
        synonyms=CurrentSynonyms(store, cache, ttl=60.0),
    )
    return search, store, cache
