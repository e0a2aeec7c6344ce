"""Optional phrases (stop words on their own in the query) count a little, and only in titles."""

import numpy as np
import pytest

from domain.search.model import Candidate, IndexStats, MatchSpec
from domain.search.scoring import OPTIONAL_SHARE, Bm25fScorer, FieldWeights, idf
from tests.unit.fakes import make_product

STATS = IndexStats(doc_count=10, avg_title=4.0, avg_meta=2.0, avg_body=10.0)
DF = {"case": 4, "stand": 3, "with": 5}


def doc(sku: str, title: str, body: str = "") -> Candidate:
    return Candidate(
        id=1, product=make_product(sku, title), title_terms=title, meta_terms="", body_terms=body
    )


DOCS = [
    doc("A", "case with stand"),
    doc("B", "case stand", body="comes with a stand"),
    doc("C", "stand"),
]
CLAUSES = ((("case",),), (("stand",),))


def scores(spec: MatchSpec) -> tuple[list[float], list[int]]:
    result = Bm25fScorer(STATS, DF, FieldWeights()).score_all(spec, DOCS)
    return result.score.tolist(), result.matched_clauses.tolist()


def test_an_optional_phrase_in_no_title_leaves_the_scores_exactly_as_they_were() -> None:
    plain = scores(MatchSpec(clauses=CLAUSES))
    assert scores(MatchSpec(clauses=CLAUSES, optional=(("the",),))) == plain


def test_an_optional_phrase_in_the_title_adds_a_small_title_only_term() -> None:
    plain, matched = scores(MatchSpec(clauses=CLAUSES))
    with_optional, matched_optional = scores(MatchSpec(clauses=CLAUSES, optional=(("with",),)))
    assert matched_optional == matched  # never counted as a matched clause
    # A has 'with' in its title (3 words): share * idf * tf' / (k1 + tf'), tf' = 3 / (0.25 + 0.75 * 3 / 4)
    tf = 3.0 / (0.25 + 0.75 * 3 / 4)
    added = OPTIONAL_SHARE * idf(10, 5) * tf / (1.2 + tf)
    assert with_optional[0] == pytest.approx(plain[0] + added, rel=1e-12)
    # B has it only in the description, C not at all: unchanged
    assert with_optional[1:] == plain[1:]
    assert added < idf(10, 3) * tf / (1.2 + tf)  # less than a word that is asked for


def test_the_optional_phrase_breaks_a_tie_between_otherwise_equal_titles() -> None:
    docs = [doc("X", "case for stand"), doc("Y", "case and stand")]
    scorer = Bm25fScorer(STATS, {**DF, "for": 6}, FieldWeights())
    plain = scorer.score_all(MatchSpec(clauses=CLAUSES), docs).score
    assert plain[0] == plain[1]
    ranked = scorer.score_all(MatchSpec(clauses=CLAUSES, optional=(("for",),)), docs).score
    assert ranked[0] > ranked[1] == plain[1]
    assert np.isfinite(ranked).all()
