"""Bm25fScorer.score_all and TermCounts against the one-candidate-at-a-time formula they replaced."""

import math
import random

import pytest

from domain.search.model import Candidate, IndexStats, MatchSpec, Phrase
from domain.search.scoring import Bm25fScorer, FieldWeights, idf
from domain.search.term_counts import TermCounts
from domain.search.text import JOINED_MARK, field_length
from tests.unit.fakes import make_product

STATS = IndexStats(doc_count=50, avg_title=4.0, avg_meta=2.0, avg_body=9.0)
VOCAB = ["red", "shoe", "run", "trail", "wat", "proof", "light", "x1"]


def _contains(tokens: list[str], phrase: Phrase) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


def reference(stats: IndexStats, df: dict[str, int], w: FieldWeights, match: MatchSpec, doc: Candidate):
    """The scalar loop as it was: per clause the best present alternative, per stem BM25F."""

    def norm(length: int, avg: float) -> float:
        return 1.0 - w.b + w.b * (length / avg if avg > 0 else 1.0)

    title, meta, body = doc.title_terms.split(), doc.meta_terms.split(), doc.body_terms.split()
    fields = (
        (title, w.title / norm(field_length(title), stats.avg_title)),
        (meta, w.meta / norm(field_length(meta), stats.avg_meta)),
        (body, w.body / norm(field_length(body), stats.avg_body)),
    )
    total, matched = 0.0, 0
    for clause in match.clauses:
        best = -1.0
        for phrase in clause:
            if not any(_contains(tokens, phrase) for tokens, _ in fields):
                continue
            value = 0.0
            for stem in phrase:
                tf = sum(factor * tokens.count(stem) for tokens, factor in fields)
                value += idf(max(stats.doc_count, 1), df.get(stem, 0)) * tf / (w.k1 + tf)
            best = max(best, value)
        if best >= 0.0:
            matched += 1
            total += best
    return total, matched


def _text(rng: random.Random, most: int) -> str:
    words = [rng.choice(VOCAB) for _ in range(rng.randint(0, most))]
    if words and rng.random() < 0.3:  # joined forms after the mark, outside the field's length
        words += [JOINED_MARK, *(rng.choice(VOCAB) for _ in range(rng.randint(1, 2)))]
    return " ".join(words)


def _candidates(rng: random.Random, n: int) -> list[Candidate]:
    return [
        Candidate(
            id=i,
            product=make_product(f"P{i}", "x"),
            title_terms=_text(rng, 6),
            meta_terms=_text(rng, 3),
            body_terms=_text(rng, 20),
        )
        for i in range(n)
    ]


def _match(rng: random.Random) -> MatchSpec:
    def phrase() -> Phrase:
        return tuple(rng.choice([*VOCAB, "absent"]) for _ in range(rng.choice([1, 1, 1, 2, 3])))

    return MatchSpec(
        clauses=tuple(tuple(phrase() for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 4)))
    )


@pytest.mark.parametrize("seed", range(40))
def test_scores_equal_the_scalar_formula_on_random_candidates(seed: int) -> None:
    rng = random.Random(seed)
    weights = FieldWeights(
        title=rng.uniform(0, 4), meta=rng.uniform(0, 2), k1=rng.uniform(0.5, 2), b=rng.random()
    )
    df = {stem: rng.randint(0, 60) for stem in VOCAB}
    candidates, match = _candidates(rng, rng.randint(1, 60)), _match(rng)
    scores = Bm25fScorer(STATS, df, weights).score_all(match, candidates)
    for i, doc in enumerate(candidates):
        total, matched = reference(STATS, df, weights, match, doc)
        assert scores.score[i] == pytest.approx(total, rel=1e-9, abs=1e-12)
        assert scores.matched_clauses[i] == matched


def test_a_hand_made_example_and_its_edge_cases() -> None:
    docs = [
        Candidate(id=1, product=make_product("A", "a"), title_terms="red red red", meta_terms="", body_terms="red shoe"),
        Candidate(id=2, product=make_product("B", "b"), title_terms="", meta_terms="", body_terms=""),
        Candidate(id=3, product=make_product("C", "c"), title_terms="shoe", meta_terms="red", body_terms="shoe red"),
    ]  # fmt: skip
    match = MatchSpec(clauses=((("red", "shoe"), ("red",)), (("shoe",),)))
    df = {"red": 3, "shoe": 1}
    scores = Bm25fScorer(STATS, df, FieldWeights()).score_all(match, docs)
    for i, doc in enumerate(docs):
        total, matched = reference(STATS, df, FieldWeights(), match, doc)
        assert (scores.score[i], scores.matched_clauses[i]) == (pytest.approx(total, rel=1e-9), matched)
    assert scores.matched_clauses.tolist() == [2, 0, 2]
    assert Bm25fScorer(STATS, df, FieldWeights()).score_all(match, []).score.shape == (0,)
    # The one-candidate call is the same computation.
    assert Bm25fScorer(STATS, df, FieldWeights()).score(match, docs[0]).score == scores.score[0]
    assert math.isfinite(float(scores.score.sum()))


def test_term_counts_count_repeats_and_phrases_within_one_text_only() -> None:
    counts = TermCounts(["a a a", "b a", "", "a b a b", "b"])
    assert counts.lengths.tolist() == [3, 2, 0, 4, 1]
    assert counts.count(("a",)).tolist() == [3, 1, 0, 2, 0]
    assert counts.count(("a", "b")).tolist() == [0, 0, 0, 2, 0]
    assert counts.count(("a", "a")).tolist() == [1, 0, 0, 0, 0]  # non-overlapping, as documented
    assert counts.count(("b", "a")).tolist() == [0, 1, 0, 1, 0]  # never across the end of a text
    assert counts.count(("b", "b")).tolist() == [0, 0, 0, 0, 0]  # texts 4 and 5 do not join
    assert counts.count(("c",)).tolist() == [0, 0, 0, 0, 0]
    assert counts.count(("ab",)).tolist() == [0, 0, 0, 0, 0]  # whole stems only


def test_term_counts_lengths_stop_at_the_joined_forms_mark() -> None:
    counts = TermCounts(["usb c cabl | usbc", "| x", "a b", "rtx 4090 | rtx4090 | y"])
    assert counts.lengths.tolist() == [3, 0, 2, 2]
    assert counts.count(("usbc",)).tolist() == [1, 0, 0, 0]
    assert counts.count(("cabl", "usbc")).tolist() == [0, 0, 0, 0]  # the mark is between them
