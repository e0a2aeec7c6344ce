"""Administrators' synonym writes and suggestion decisions are recorded once they succeed."""

import pytest

from application.search.learn_synonyms import ReviewSuggestions
from application.search.manage_synonyms import AddSynonyms, DeleteSynonym, UpdateSynonym
from domain.audit.model import Actor
from domain.search.errors import SuggestionNotFound, SynonymNotFound
from domain.search.reformulations import Suggestion
from domain.search.synonyms import new_synonym
from tests.unit.audit_fakes import InMemoryAuditLog, audit_trail
from tests.unit.fakes import FakeCache
from tests.unit.synonym_fakes import InMemorySuggestionStore, InMemorySynonymStore

BOSS = Actor(name="boss", address="203.0.113.7")


class Thesaurus:
    def __init__(self) -> None:
        self.store, self.suggestions = InMemorySynonymStore(), InMemorySuggestionStore()
        self.log = InMemoryAuditLog()
        cache, trail = FakeCache(), audit_trail(self.log)
        self.add = AddSynonyms(self.store, cache, trail)
        self.update = UpdateSynonym(self.store, cache, trail)
        self.delete = DeleteSynonym(self.store, cache, trail)
        self.review = ReviewSuggestions(self.suggestions, self.store, cache, trail)

    def seen(self) -> list[tuple[str, str, str, object]]:
        return [(e.actor, e.action, e.target, e.details) for e in self.log.entries]


async def test_create_update_and_delete_are_recorded_with_the_rules_terms() -> None:
    shop = Thesaurus()
    added = await shop.add.one(new_synonym(["couch", "sofa"]), actor=BOSS)
    await shop.update(added.id, new_synonym(["television"], "tv"), actor=BOSS)
    await shop.delete(added.id, actor=BOSS)
    assert shop.seen() == [
        ("boss", "synonym.create", "1", {"terms": ["couch", "sofa"]}),
        ("boss", "synonym.update", "1", {"terms": ["television"], "from": "tv"}),
        ("boss", "synonym.delete", "1", {"terms": ["television"], "from": "tv"}),
    ]
    assert {e.address for e in shop.log.entries} == {"203.0.113.7"}


async def test_an_import_is_one_entry_and_adding_nothing_records_nothing() -> None:
    shop = Thesaurus()
    many = [new_synonym([f"word{i}", f"term{i}"]) for i in range(120)]
    await shop.add(many, actor=BOSS)
    [entry] = shop.log.entries
    assert (entry.action, entry.target) == ("synonym.create", "120 synonyms")
    assert entry.details == {"ids": list(range(1, 101))}  # the first hundred only
    assert await shop.add(many[:3], actor=BOSS) == []
    assert await shop.add([], actor=BOSS) == []
    existing = await shop.add.one(new_synonym(["term0", "word0"]), actor=BOSS)
    assert existing.id == 1 and len(shop.log.entries) == 1


async def test_failed_updates_and_deletes_are_not_recorded() -> None:
    shop = Thesaurus()
    with pytest.raises(SynonymNotFound):
        await shop.update(7, new_synonym(["a", "b"]), actor=BOSS)
    with pytest.raises(SynonymNotFound):
        await shop.delete(7, actor=BOSS)
    assert shop.log.entries == []


async def test_accepting_and_rejecting_suggestions_are_recorded() -> None:
    shop = Thesaurus()
    await shop.suggestions.merge(
        [
            Suggestion(source="settee", target="sofa", support=5, lift=9.0),
            Suggestion(source="jaens", target="jeans", support=4, lift=8.0),
        ]
    )
    synonym = await shop.review.accept(1, actor=BOSS)
    await shop.review.reject(2, actor=BOSS)
    with pytest.raises(SuggestionNotFound):
        await shop.review.reject(2, actor=BOSS)
    assert shop.seen() == [
        ("boss", "suggestion.accept", "settee → sofa", {"suggestion_id": 1, "synonym_id": synonym.id}),
        ("boss", "suggestion.reject", "jaens → jeans", {"suggestion_id": 2}),
    ]
