"""Text analysis: accent folding, words, stop words and Snowball stems."""

import pytest

from domain.search.model import match_spec
from domain.search.query import parse_query
from domain.search.stemmer import stem
from domain.search.text import STOPWORDS, analyze, analyze_field, analyze_words, fold, words


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Crème Brûlée", "creme brulee"),
        ("Straße", "strasse"),
        ("Æther", "aether"),
        ("Encyclopædia", "encyclopaedia"),
        ("Œuvre", "oeuvre"),
        ("Ørsted", "orsted"),
        ("Łódź", "lodz"),
        ("NAÏVE Café", "naive cafe"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold_lowercases_and_strips_accents(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_fold_of_long_text_takes_the_uncached_path_with_the_same_result() -> None:
    text = "Crème Brûlée Straße " * 20  # longer than the 200 characters that are cached
    assert len(text) > 200
    assert fold(text) == "creme brulee strasse " * 20


def test_words_splits_on_everything_but_letters_and_digits() -> None:
    assert words("USB-C Cable, 2m (Black)!") == ["usb", "c", "cable", "2m", "black"]
    assert words("Crème Brûlée for 2") == ["creme", "brulee", "for", "2"]
    assert words("  --  ") == []


def test_words_keeps_stop_words() -> None:
    assert words("The cup of tea") == ["the", "cup", "of", "tea"]


def test_analyze_keeps_stop_words_by_default_and_drops_them_on_request() -> None:
    assert analyze("The cup of tea") == ["the", "cup", "of", "tea"]
    assert analyze("The best of the headphones for you", drop_stopwords=True) == ["best", "headphon"]


def test_analyze_words_stems_already_folded_words() -> None:
    assert analyze_words(["running", "shoes", "with", "laces"]) == ["run", "shoe", "with", "lace"]
    assert analyze_words(["running", "shoes", "with", "laces"], drop_stopwords=True) == [
        "run",
        "shoe",
        "lace",
    ]


def test_stopword_list_contains_the_usual_function_words_only() -> None:
    assert {"the", "and", "or", "of", "with", "for"} <= STOPWORDS
    assert "shoes" not in STOPWORDS
    assert "usb" not in STOPWORDS


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("caresses", "caress"),
        ("ponies", "poni"),
        ("cats", "cat"),
        ("agreed", "agre"),
        ("hopping", "hop"),
        ("falling", "fall"),
        ("happy", "happi"),
        ("relational", "relat"),
        ("hopeful", "hope"),
        ("goodness", "good"),
        ("running", "run"),
        # where Snowball's English (Porter2) differs from Porter's 1980 rules
        ("ties", "tie"),
        ("dying", "die"),
        ("generalization", "general"),
        ("batteries", "batteri"),
    ],
)
def test_snowball_english_stems(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_plural_and_singular_share_a_stem() -> None:
    assert stem("headphones") == stem("headphone") == "headphon"
    assert stem("shoes") == stem("shoe") == "shoe"


def test_short_words_and_words_with_digits_are_left_alone() -> None:
    assert stem("is") == "is"
    assert stem("4k") == "4k"
    assert stem("usb3") == "usb3"
    assert stem("2024") == "2024"


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("Running Shoes", "run shoe"),
        ("Rechargeable Batteries", "rechargeable battery"),
        ("Generalized Cleaning Wipes", "generalization clean wipe"),
        ("Knives and Forks", "knive fork"),
    ],
)
def test_index_and_query_stem_alike(title: str, query: str) -> None:
    indexed = set(analyze_field(title).stems)
    assert match_spec(parse_query(query)).stems() <= indexed
    assert analyze(title, drop_stopwords=True) == [
        s for s in analyze_field(title).stems if s not in STOPWORDS
    ]
