"""Synonyms learned from shoppers' reformulations: the counting, and offering them for review."""

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from application.search.learn_synonyms import LearnSynonyms, ReviewSuggestions
from domain.search.errors import SuggestionNotFound
from domain.search.reformulations import LoggedSearch, MiningRules, ReformulationCounter
from domain.search.synonyms import Synonym, new_synonym
from tests.fixtures.actors import TEST_ACTOR
from tests.unit.audit_fakes import audit_trail
from tests.unit.fakes import FakeCache
from tests.unit.synonym_fakes import InMemorySuggestionStore, InMemorySynonymStore

T0 = datetime(2026, 11, 1, tzinfo=UTC)
RULES = MiningRules(gap_seconds=300, min_support=3, min_lift=3.0)


def visit(visitor: str, *steps: tuple[str, bool, float]) -> list[LoggedSearch]:
    """(query, clicked, seconds after the start) per search."""
    return [LoggedSearch(visitor, q, T0 + timedelta(seconds=s), clicked) for q, clicked, s in steps]


def background(counter: ReformulationCounter, visitors: int) -> None:
    """Shoppers who search two things at random and click some: no query follows another more
    often than it is searched anyway."""
    rng = random.Random(7)
    queries = ["sofa", "lamp", "desk", "chair", "rug", "mirror", "tent", "kettle", "jacket", "boots",
               "watch", "phone", "blender", "mug", "pillow", "towel", "vase", "clock", "shelf", "stool"]  # fmt: skip
    for v in range(visitors):
        a, b = rng.choice(queries), rng.choice(queries)
        counter.add_visitor(visit(f"bg{v}", (a, rng.random() < 0.5, 0), (b, rng.random() < 0.7, 60)))


def test_a_reformulation_made_by_enough_visitors_is_suggested() -> None:
    counter = ReformulationCounter(RULES)
    background(counter, 120)
    for v in range(5):
        counter.add_visitor(visit(f"v{v}", ("Settee", False, 0), ("sofa", True, 40)))
    [found] = counter.suggestions()
    assert (found.source, found.target, found.support) == ("settee", "sofa", 5)
    assert found.lift >= RULES.min_lift


def test_too_few_visitors_too_late_a_click_first_or_a_narrowed_query_are_not() -> None:
    counter = ReformulationCounter(RULES)
    background(counter, 60)
    for v in range(2):  # support 2
        counter.add_visitor(visit(f"a{v}", ("settee", False, 0), ("sofa", True, 40)))
    for v in range(5):
        counter.add_visitor(visit(f"b{v}", ("divan", False, 0), ("sofa", True, 400)))  # past the gap
        counter.add_visitor(visit(f"c{v}", ("telly", True, 0), ("tv", True, 30)))  # the first found something
        counter.add_visitor(visit(f"d{v}", ("jeans", False, 0), ("blue jeans", True, 30)))  # narrowing
        counter.add_visitor(visit(f"e{v}", ("lamp", False, 0), ("lamp", True, 30)))  # the same again
        counter.add_visitor(visit(f"f{v}", ("jacket", False, 0), ("Jackets", True, 30)))  # the same stems
    assert counter.suggestions() == []


def test_one_visitor_repeating_a_pair_counts_once() -> None:
    counter = ReformulationCounter(RULES)
    background(counter, 60)
    steps = [("settee", False, 0), ("sofa", True, 30), ("settee", False, 1000), ("sofa", True, 1030)]
    for v in range(2):
        counter.add_visitor(visit(f"twice{v}", *steps, *[(q, c, t + 5000) for q, c, t in steps]))
    assert counter.suggestions() == []
    counter.add_visitor(visit("third", *steps))
    assert [s.support for s in counter.suggestions()] == [3]


def test_unrelated_consecutive_queries_have_a_lift_near_one() -> None:
    counter = ReformulationCounter(MiningRules(min_support=1, min_lift=0.0))
    background(counter, 600)
    lifts = [s.lift for s in counter.suggestions()]
    assert lifts and max(lifts) < RULES.min_lift


class History:
    def __init__(self, searches: list[LoggedSearch]) -> None:
        self._searches = sorted(searches, key=lambda s: (s.visitor_id, s.at))
        self.since: list[datetime] = []

    async def searches(self, since: datetime) -> AsyncIterator[list[LoggedSearch]]:
        self.since.append(since)
        kept = [s for s in self._searches if s.at >= since]
        half = len({s.visitor_id for s in kept}) // 2
        first = sorted({s.visitor_id for s in kept})[:half]
        yield [s for s in kept if s.visitor_id in first]
        yield [s for s in kept if s.visitor_id not in first]


class Clock:
    def now(self) -> datetime:
        return T0 + timedelta(days=1)


def logged() -> list[LoggedSearch]:
    counter_input: list[LoggedSearch] = []
    for v in range(6):
        counter_input += visit(f"v{v}", ("settee", False, 0), ("sofa", True, 30))
        counter_input += visit(f"w{v}", ("telly", False, 0), ("tv", True, 30))
    for v in range(40):
        counter_input += visit(
            f"bg{v}", (["lamp", "rug"][v % 2], v % 3 == 0, 0), (["desk", "chair"][v % 2], True, 50)
        )
    return counter_input


async def test_learning_stores_the_pairs_and_review_turns_one_into_a_one_way_synonym() -> None:
    history, suggestions, synonyms, cache = (
        History(logged()),
        InMemorySuggestionStore(),
        InMemorySynonymStore(),
        FakeCache(),
    )
    await synonyms.add_many([new_synonym(["tv"], "telly")])  # already a synonym: not suggested
    found = await LearnSynonyms(history, suggestions, synonyms, Clock(), MiningRules(days=7))()
    assert [(s.source, s.target) for s in found] == [("settee", "sofa")]
    assert history.since == [T0 + timedelta(days=1) - timedelta(days=7)]
    review = ReviewSuggestions(suggestions, synonyms, cache, audit_trail())
    [pending] = await review.pending()
    synonym = await review.accept(pending.id, actor=TEST_ACTOR)
    assert synonym == Synonym(id=2, terms=("sofa",), source="settee")
    assert await review.pending() == [] and await cache.get("catalog:version") == b"1"
    with pytest.raises(SuggestionNotFound):
        await review.accept(pending.id, actor=TEST_ACTOR)


async def test_a_rejected_pair_is_not_offered_again() -> None:
    history, suggestions, synonyms = History(logged()), InMemorySuggestionStore(), InMemorySynonymStore()
    learn = LearnSynonyms(history, suggestions, synonyms, Clock(), MiningRules(days=7))
    await learn()
    review = ReviewSuggestions(suggestions, synonyms, FakeCache(), audit_trail())
    for pending in await review.pending():
        await review.reject(pending.id, actor=TEST_ACTOR)
    await learn()
    assert await review.pending() == []
    with pytest.raises(SuggestionNotFound):
        await review.reject(999, actor=TEST_ACTOR)
