"""Spelling correction from the catalog's vocabulary."""

import pytest

from domain.search.model import WordCount
from domain.search.spelling import best_correction, edit_distance, max_typos, trigrams


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("headphones", "headphones", 0),
        ("headphones", "haedphones", 1),  # adjacent swap
        ("laptop", "laptpo", 1),  # adjacent swap at the end
        ("abc", "abdc", 1),  # insert
        ("abcd", "abd", 1),  # delete
        ("shoes", "shoez", 1),  # substitute
        ("kitten", "sitting", 3),
        ("", "abc", 3),
        ("abc", "", 3),
        ("ca", "abc", 3),  # optimal string alignment: no edit of a swapped pair
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, limit=5) == distance


def test_edit_distance_is_symmetric() -> None:
    assert edit_distance("headphnes", "headphones", 3) == edit_distance("headphones", "headphnes", 3) == 1


def test_edit_distance_stops_early_past_the_limit() -> None:
    assert edit_distance("kitten", "sitting", limit=1) == 2
    assert edit_distance("kitten", "sitting", limit=2) == 3
    assert edit_distance("kitten", "sitting", limit=3) == 3


def test_edit_distance_length_gap_alone_exceeds_the_limit() -> None:
    assert edit_distance("abc", "abcdef", limit=1) == 2
    assert edit_distance("abc", "abcdef", limit=2) == 3


@pytest.mark.parametrize(
    ("word", "budget"),
    [
        ("", 0),
        ("cat", 0),
        ("shoe", 1),
        ("shoes", 1),
        ("phones", 1),
        ("speakers", 2),
        ("headphones", 2),
        ("12345", 0),  # numbers are never corrected
        ("abc1", 0),  # nor is a word with a digit: a size or a model number
        ("12x16", 0),
        ("wh1000xm4", 0),
    ],
)
def test_max_typos_by_length(word: str, budget: int) -> None:
    assert max_typos(word) == budget


def test_best_correction_picks_the_smallest_distance() -> None:
    candidates = [WordCount("headphone", 100), WordCount("headphones", 5)]
    # 'headphnes' -> 'headphones' is 1 edit, -> 'headphone' is 2 edits.
    assert best_correction("headphnes", candidates) == "headphones"


def test_best_correction_breaks_ties_by_frequency_then_alphabet() -> None:
    assert best_correction("shoez", [WordCount("shoes", 5), WordCount("shoed", 50)]) == "shoed"
    assert best_correction("shoez", [WordCount("shoes", 7), WordCount("shoed", 7)]) == "shoed"
    assert best_correction("shoez", [WordCount("shoes", 8), WordCount("shoed", 7)]) == "shoes"


def test_best_correction_none_beyond_the_budget() -> None:
    assert best_correction("shoez", [WordCount("shore", 100)]) is None  # 2 edits, budget 1
    assert best_correction("cat", [WordCount("hat", 100)]) is None  # budget 0
    assert best_correction("laptop", []) is None


def test_best_correction_skips_the_word_itself_and_numbers() -> None:
    assert best_correction("shoes", [WordCount("shoes", 100)]) is None
    assert best_correction("12a4", [WordCount("1234", 100)]) is None


def test_trigrams_are_padded_like_pg_trgm() -> None:
    assert trigrams("cat") == ["  c", " ca", "at ", "cat"]
    assert trigrams("ab") == ["  a", " ab", "ab "]
    assert trigrams("aaaa") == ["  a", " aa", "aa ", "aaa"]  # deduplicated, sorted


def test_short_words_are_not_corrected_across_the_first_letter() -> None:
    from domain.search.model import WordCount

    assert best_correction("good", [WordCount("food", 500)]) is None
    assert best_correction("sofs", [WordCount("sofa", 5)]) == "sofa"
    # A longer word may have its first letter mistyped.
    assert best_correction("xeadphones", [WordCount("headphones", 9)]) == "headphones"


def test_a_real_word_two_edits_from_a_catalog_word_stays() -> None:
    from domain.search.model import WordCount

    assert best_correction("people", [WordCount("purple", 300)]) is None
