"""Recognising a category named in the query."""

from domain.search.categories import recognize_category
from domain.search.query import parse_query

CATEGORIES = ["Shoes", "Running Shoes", "Headphones", "Home & Kitchen", "Phone Cases", "TV"]


def rest(query: str, categories: list[str] = CATEGORIES) -> tuple[str | None, list[list[tuple[str, ...]]]]:
    name, narrowed = recognize_category(parse_query(query), categories)
    return name, [[t.words for t in c.alternatives] for c in narrowed.clauses]


def test_multi_word_category_is_found_and_removed() -> None:
    assert rest("red running shoes") == ("Running Shoes", [[("red",)]])


def test_the_longest_category_wins() -> None:
    # 'Shoes' is listed first and also matches, but 'Running Shoes' covers more words.
    assert rest("running shoes") == ("Running Shoes", [])
    assert rest("running shoes", ["Running Shoes", "Shoes"]) == ("Running Shoes", [])


def test_plural_and_singular_match_through_stems() -> None:
    assert rest("running shoe") == ("Running Shoes", [])
    assert rest("headphone") == ("Headphones", [])
    assert rest("blue phone case") == ("Phone Cases", [[("blue",)]])


def test_category_stop_words_and_punctuation_are_ignored() -> None:
    assert rest("home kitchen knife") == ("Home & Kitchen", [[("knife",)]])
    assert rest("home and kitchen knife") == ("Home & Kitchen", [[("knife",)]])


def test_words_must_stand_together_in_order() -> None:
    # 'shoes running' is not 'Running Shoes'; only 'Shoes' is found.
    assert rest("shoes running") == ("Shoes", [[("running",)]])
    assert rest("running red shoes") == ("Shoes", [[("running",)], [("red",)]])


def test_or_clauses_are_never_taken() -> None:
    assert rest("shoes or boots") == (None, [[("shoes",), ("boots",)]])
    # 'running' is an alternative of 'nike', so only 'shoes' is free to be a category.
    assert rest("nike or running shoes") == ("Shoes", [[("nike",), ("running",)]])


def test_no_category_leaves_the_query_unchanged() -> None:
    query = parse_query("wireless mouse")
    name, narrowed = recognize_category(query, CATEGORIES)
    assert name is None
    assert narrowed is query


def test_no_categories_at_all() -> None:
    assert rest("running shoes", []) == (None, [[("running",)], [("shoes",)]])


def test_rest_keeps_text_exclusions_prices_and_sort() -> None:
    query = parse_query("cheap headphones -wireless under 50")
    name, narrowed = recognize_category(query, CATEGORIES)
    assert name == "Headphones"
    assert narrowed.clauses == ()
    assert narrowed.text == "cheap headphones -wireless under 50"
    assert [t.words for t in narrowed.excluded] == [("wireless",)]
    assert (narrowed.min_price, narrowed.max_price, narrowed.sort) == (None, 50.0, "price_asc")


def test_excluded_words_are_not_a_category() -> None:
    assert rest("-headphones cable") == (None, [[("cable",)]])


def test_hyphenated_term_counts_as_its_words() -> None:
    assert rest("phone-cases blue") == ("Phone Cases", [[("blue",)]])


def test_a_compound_joined_by_or_is_not_a_category() -> None:
    assert rest("covers or phone-cases") == (None, [[("covers",), ("phone", "cases"), ("phonecases",)]])
