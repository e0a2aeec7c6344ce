"""SearchProducts with synonyms, over the in-memory fakes: matching, scoring, correction, caching."""

import pytest

from application.search.current_synonyms import CurrentSynonyms
from application.search.dto import SearchConfig, SearchRequest
from application.search.manage_synonyms import AddSynonyms, DeleteSynonym
from domain.catalog.model import Product
from domain.search.model import Candidate, IndexStats, MatchSpec
from domain.search.scoring import Bm25fScorer, FieldWeights
from domain.search.synonyms import new_synonym
from domain.search.text import analyze
from tests.fixtures.actors import TEST_ACTOR
from tests.unit.audit_fakes import audit_trail
from tests.unit.fakes import FakeCache, make_product
from tests.unit.search_fakes import UNCACHED, skus
from tests.unit.synonym_fakes import InMemorySynonymStore, search_with_synonyms

P = make_product
SHOP = [
    P("T1", "Lumivue Television 55", 600.0, category="Screens", popularity=10),
    P("T2", "Zentro TV 43", 400.0, category="Screens", popularity=20),
    P("S1", "Oakmere Sofa Bed", 900.0, category="Living", popularity=5),
    P("S2", "Nordvik Sofa", 800.0, category="Living", popularity=30),
    P("C1", "Braided Cable", 10.0, category="Cables", popularity=50),
    P("C2", "Lightning Charger", 20.0, category="Cables", popularity=40),
]


async def test_a_word_finds_products_that_have_only_its_synonym() -> None:
    search, store, cache = search_with_synonyms(SHOP, UNCACHED)
    assert skus(await search(SearchRequest(q="couch"))) == []
    await AddSynonyms(store, cache, audit_trail())([new_synonym(["couch", "sofa"])], actor=TEST_ACTOR)
    assert set(skus(await search(SearchRequest(q="couch")))) == {"S1", "S2"}


async def test_a_one_way_synonym_works_one_way() -> None:
    search, store, cache = search_with_synonyms(SHOP, UNCACHED)
    await AddSynonyms(store, cache, audit_trail())([new_synonym(["television"], "tv")], actor=TEST_ACTOR)
    assert set(skus(await search(SearchRequest(q="tv")))) == {"T1", "T2"}
    assert skus(await search(SearchRequest(q="television"))) == ["T1"]


async def test_a_multi_word_synonym_finds_the_phrase_only() -> None:
    search, store, cache = search_with_synonyms(SHOP, UNCACHED)
    await AddSynonyms(store, cache, audit_trail())([new_synonym(["divan", "sofa bed"])], actor=TEST_ACTOR)
    assert skus(await search(SearchRequest(q="divan"))) == ["S1"]
    assert skus(await search(SearchRequest(q="sofa bed"))) == ["S1"]


async def test_a_word_with_a_synonym_is_not_corrected() -> None:
    search, store, cache = search_with_synonyms(SHOP, UNCACHED)
    corrected = await search(SearchRequest(q="cabel"))
    assert corrected.query.corrected == "cable" and "C1" in skus(corrected)
    await AddSynonyms(store, cache, audit_trail())([new_synonym(["charger"], "cabel")], actor=TEST_ACTOR)
    kept = await search(SearchRequest(q="cabel"))
    assert kept.query.corrected is None and skus(kept) == ["C2"]


async def test_a_change_is_searched_with_at_the_next_search_though_results_are_cached() -> None:
    search, store, cache = search_with_synonyms(SHOP, SearchConfig(result_ttl_seconds=300))
    add, delete = AddSynonyms(store, cache, audit_trail()), DeleteSynonym(store, cache, audit_trail())
    assert skus(await search(SearchRequest(q="couch"))) == []
    added = await add.one(new_synonym(["couch", "sofa"]), actor=TEST_ACTOR)
    assert set(skus(await search(SearchRequest(q="couch")))) == {"S1", "S2"}
    await delete(added.id, actor=TEST_ACTOR)
    assert skus(await search(SearchRequest(q="couch"))) == []


async def test_the_synonyms_are_read_once_per_catalog_version() -> None:
    store, cache = InMemorySynonymStore(), FakeCache()
    current = CurrentSynonyms(store, cache, ttl=60.0)
    for _ in range(3):
        await current()
    assert store.reads == 1
    await AddSynonyms(store, cache, audit_trail())([new_synonym(["a1", "b1"])], actor=TEST_ACTOR)
    assert len(await current()) == 2 and store.reads == 3  # once to check duplicates, once to load


async def test_the_same_synonym_is_not_stored_twice() -> None:
    store, cache = InMemorySynonymStore(), FakeCache()
    add = AddSynonyms(store, cache, audit_trail())
    first = await add.one(new_synonym(["sofa", "couch"]), actor=TEST_ACTOR)
    again = await add.one(new_synonym(["couches", "sofas"]), actor=TEST_ACTOR)
    assert again == first and len(store.synonyms) == 1
    assert await add([new_synonym(["couch", "sofa"]), new_synonym(["tv", "telly"])], actor=TEST_ACTOR) == [
        new_synonym(["tv", "telly"], id=2)
    ]


def test_a_synonym_scores_as_the_word_typed() -> None:
    tv, television = P("A", "Zentro TV", 1.0), P("B", "Zentro Television", 1.0)
    stats = IndexStats(doc_count=1000, avg_title=2.0, avg_meta=2.0, avg_body=1.0)
    # 'television' is much rarer than 'tv': alone, it would outweigh the word typed.
    scorer = Bm25fScorer(stats, {"tv": 300, "televis": 3, "zentro": 50}, FieldWeights())
    clause = (("tv",), ("televis",))
    spec = MatchSpec(clauses=(clause,), synonyms=(clause,))
    docs = [candidate(tv), candidate(television)]
    scores = scorer.score_all(spec, docs).score
    assert scores[0] == pytest.approx(scores[1]) and scores[0] > 0
    plain = scorer.score_all(MatchSpec(clauses=(clause,)), docs).score
    assert plain[1] > plain[0]


def candidate(product: Product) -> Candidate:
    return Candidate(
        id=1,
        product=product,
        title_terms=" ".join(analyze(product.title)),
        meta_terms="",
        body_terms="",
    )
