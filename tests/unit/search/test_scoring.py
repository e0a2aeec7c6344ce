"""BM25F scoring from the index's term statistics."""

import math

import pytest

from domain.search.model import Candidate, IndexStats, MatchSpec
from domain.search.scoring import Bm25fScorer, FieldWeights, idf
from tests.unit.fakes import make_product

STATS = IndexStats(doc_count=10, avg_title=4.0, avg_meta=2.0, avg_body=10.0)


def doc(title: str = "", meta: str = "", body: str = "", sku: str = "D1") -> Candidate:
    return Candidate(
        id=1, product=make_product(sku, title or sku), title_terms=title, meta_terms=meta, body_terms=body
    )


def spec(*clauses: tuple[tuple[str, ...], ...]) -> MatchSpec:
    return MatchSpec(clauses=clauses)


def test_idf_hand_computed() -> None:
    # ln(1 + (10 - 2 + 0.5) / (2 + 0.5)) = ln(1 + 3.4) = ln(4.4)
    assert idf(10, 2) == pytest.approx(1.4816045409242156, abs=1e-12)
    assert idf(10, 2) == pytest.approx(math.log(4.4))


def test_idf_of_an_unknown_term_and_of_a_term_in_every_document() -> None:
    assert idf(10, 0) == pytest.approx(math.log(1 + 10.5 / 0.5))  # ln(22)
    assert idf(10, 10) == pytest.approx(math.log(1 + 0.5 / 10.5))


def test_idf_clamps_document_frequency_to_the_document_count() -> None:
    assert idf(10, 25) == idf(10, 10)
    assert idf(10, 25) > 0


def test_full_score_of_a_tiny_document_hand_computed() -> None:
    # One clause, the stem 'headphon', in the title (3 terms) and the body (8 terms), not the meta.
    candidate = doc(
        title="soni headphon wireless",
        meta="soni electron",
        body="great headphon for travel and nois cancel too",
    )
    scorer = Bm25fScorer(STATS, {"headphon": 2}, FieldWeights())
    result = scorer.score(spec((("headphon",),)), candidate)

    # tf' = 3.0 * 1 / (1 - 0.75 + 0.75 * 3 / 4)  +  1.0 * 1 / (1 - 0.75 + 0.75 * 8 / 10)
    #     = 3.0 / 0.8125 + 1.0 / 0.85 = 3.6923076923... + 1.1764705882... = 4.8687782805...
    tf = 3.0 / 0.8125 + 1.0 / 0.85
    assert tf == pytest.approx(4.868778280542986)
    # idf = ln(1 + (10 - 2 + 0.5) / (2 + 0.5)) = ln(4.4)
    expected = 1.4816045409242156 * tf / (1.2 + tf)
    assert expected == pytest.approx(1.1886419, abs=1e-6)
    assert result.score == pytest.approx(expected, rel=1e-12)
    assert result.matched_clauses == 1


def test_score_sums_clauses_and_takes_the_best_alternative() -> None:
    # Every field of length equal to its average, so the length norm is 1.
    candidate = doc(title="a b c red", meta="x y", body="z z z z z z z z z blue")
    scorer = Bm25fScorer(STATS, {"red": 1, "blue": 4}, FieldWeights())
    # Clause 1: 'red' (title, tf'=3) or 'blue' (body, tf'=1): the best is 'red'.
    # Clause 2: 'blue' alone.
    result = scorer.score(spec((("red",), ("blue",)), (("blue",),)), candidate)
    red = math.log(1 + 9.5 / 1.5) * 3.0 / (1.2 + 3.0)
    blue = math.log(1 + 6.5 / 4.5) * 1.0 / (1.2 + 1.0)
    assert red > blue
    assert result.score == pytest.approx(red + blue, rel=1e-12)
    assert result.matched_clauses == 2


def test_rare_word_scores_above_common_word() -> None:
    candidate = doc(title="rare common", body="")
    scorer = Bm25fScorer(STATS, {"rare": 1, "common": 9}, FieldWeights())
    rare = scorer.score(spec((("rare",),)), candidate)
    common = scorer.score(spec((("common",),)), candidate)
    assert rare.score > common.score > 0


def test_title_match_scores_above_description_only_match() -> None:
    in_title = doc(title="lamp desk", body="light for read at night", sku="T")
    in_body = doc(title="light desk", body="lamp for read at night", sku="B")
    scorer = Bm25fScorer(STATS, {"lamp": 2}, FieldWeights())
    query = spec((("lamp",),))
    assert scorer.score(query, in_title).score > scorer.score(query, in_body).score > 0


def test_field_weights_are_respected() -> None:
    # With the body weighted above the title, the order flips.
    in_title = doc(title="lamp desk", body="light for read at night", sku="T")
    in_body = doc(title="light desk", body="lamp for read at night", sku="B")
    scorer = Bm25fScorer(STATS, {"lamp": 2}, FieldWeights(title=1.0, meta=1.0, body=5.0))
    query = spec((("lamp",),))
    assert scorer.score(query, in_body).score > scorer.score(query, in_title).score


def test_matched_clauses_counts_clauses_with_any_alternative() -> None:
    candidate = doc(title="red wool sock", meta="acm", body="warm")
    scorer = Bm25fScorer(STATS, {}, FieldWeights())
    result = scorer.score(
        spec(
            (("red",),),  # title
            (("blue",), ("warm",)),  # second alternative in the body
            (("acm",),),  # meta
            (("silk",),),  # nowhere
        ),
        candidate,
    )
    assert result.matched_clauses == 3


def test_no_match_scores_zero() -> None:
    result = Bm25fScorer(STATS, {}, FieldWeights()).score(spec((("silk",),)), doc(title="wool"))
    assert (result.score, result.matched_clauses) == (0.0, 0)


def test_phrase_clause_matches_only_adjacent_stems() -> None:
    scorer = Bm25fScorer(STATS, {"usb": 3, "c": 3}, FieldWeights())
    phrase = spec((("usb", "c"),))
    adjacent = scorer.score(phrase, doc(title="usb c cabl"))
    apart = scorer.score(phrase, doc(title="usb a to c cabl"))
    reversed_ = scorer.score(phrase, doc(title="c usb cabl"))
    assert adjacent.matched_clauses == 1
    assert adjacent.score > 0
    assert (apart.matched_clauses, apart.score) == (0, 0.0)
    assert (reversed_.matched_clauses, reversed_.score) == (0, 0.0)


def test_phrase_must_stand_together_within_one_field() -> None:
    scorer = Bm25fScorer(STATS, {}, FieldWeights())
    split = doc(title="cabl usb", meta="c brand")
    assert scorer.score(spec((("usb", "c"),)), split).matched_clauses == 0


def test_repeated_term_saturates() -> None:
    scorer = Bm25fScorer(STATS, {"sock": 1}, FieldWeights())
    query = spec((("sock",),))
    once = scorer.score(query, doc(title="sock a b c")).score
    four = scorer.score(query, doc(title="sock sock sock sock")).score
    assert four > once
    assert four < idf(10, 1)  # tf / (k1 + tf) < 1


def test_empty_index_stats_do_not_divide_by_zero() -> None:
    stats = IndexStats(doc_count=0, avg_title=0.0, avg_meta=0.0, avg_body=0.0)
    result = Bm25fScorer(stats, {}, FieldWeights()).score(spec((("lamp",),)), doc(title="lamp"))
    # N is taken as 1 and the length norm as 1: tf' = 3, idf = ln(1 + 1.5 / 0.5) = ln(4)
    assert result.score == pytest.approx(math.log(4.0) * 3.0 / 4.2)
