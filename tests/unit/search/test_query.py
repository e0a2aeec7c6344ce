"""parse_query: web-search syntax, price phrases and sort words."""

import pytest

from domain.search.errors import InvalidQuery
from domain.search.query import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, Clause, Term, parse_query, validate_text


def terms(query: str, *, interpret: bool = True) -> list[list[tuple[str, ...]]]:
    """The clauses of a parsed query as lists of alternatives' words."""
    return [[t.words for t in c.alternatives] for c in parse_query(query, interpret=interpret).clauses]


def test_plain_words_are_one_clause_each_and_keep_the_text() -> None:
    parsed = parse_query("wireless  Mouse")
    assert parsed.text == "wireless Mouse"
    assert parsed.clauses == (Clause((Term(("wireless",)),)), Clause((Term(("mouse",)),)))
    assert parsed.excluded == ()
    assert (parsed.min_price, parsed.max_price, parsed.sort) == (None, None, None)


def test_quoted_phrase_is_one_term_with_its_stop_words() -> None:
    assert terms('"cup of tea" set') == [[("cup", "of", "tea")], [("set",)]]


def test_unclosed_quote_takes_the_rest_of_the_query() -> None:
    assert terms('"wireless mouse') == [[("wireless", "mouse")]]


def test_empty_quotes_are_ignored() -> None:
    assert terms('"" shoes') == [[("shoes",)]]


def test_minus_word_and_minus_phrase_are_excluded() -> None:
    parsed = parse_query('"wireless mouse" -cable -"usb a"')
    assert parsed.clauses == (Clause((Term(("wireless", "mouse")),)),)
    assert parsed.excluded == (Term(("cable",)), Term(("usb", "a")))


def test_a_lone_minus_is_not_an_exclusion() -> None:
    parsed = parse_query("- shoes")
    assert parsed.excluded == ()
    assert terms("- shoes") == [[("shoes",)]]


def test_or_joins_neighbouring_words_into_alternatives() -> None:
    assert terms("nike or adidas shoes") == [[("nike",), ("adidas",)], [("shoes",)]]
    assert terms("nike OR adidas") == [[("nike",), ("adidas",)]]
    assert terms("red or blue or green") == [[("red",), ("blue",), ("green",)]]


def test_or_at_either_end_is_dropped() -> None:
    assert terms("or shoes") == [[("shoes",)]]
    assert terms("shoes or") == [[("shoes",)]]


def test_or_before_an_exclusion_does_not_join_it() -> None:
    parsed = parse_query("nike or -adidas shoes")
    assert terms("nike or -adidas shoes") == [[("nike",)], [("shoes",)]]
    assert parsed.excluded == (Term(("adidas",)),)


def test_hyphenated_word_is_its_words_as_a_phrase_or_joined() -> None:
    assert terms("usb-c charger") == [[("usb", "c"), ("usbc",)], [("charger",)]]
    assert terms("usb-c or lightning cable") == [[("usb", "c"), ("usbc",), ("lightning",)], [("cable",)]]
    assert parse_query("-usb-c").excluded == (Term(("usb", "c")), Term(("usbc",)))


def test_term_stems_are_the_stemmed_words() -> None:
    assert Term(("running", "shoes")).stems == ("run", "shoe")


def test_lone_stop_words_are_dropped() -> None:
    assert terms("cup of tea") == [[("cup",)], [("tea",)]]
    assert parse_query("a the of").clauses == ()
    assert parse_query("-the shoes").excluded == ()


def test_accents_are_folded_in_clauses_but_not_in_the_text() -> None:
    parsed = parse_query("Crème Brûlée")
    assert parsed.text == "Crème Brûlée"
    assert terms("Crème Brûlée") == [[("creme",)], [("brulee",)]]


@pytest.mark.parametrize(
    ("query", "low", "high", "rest"),
    [
        ("headphones under 50", None, 50.0, [[("headphones",)]]),
        ("shoes below $30", None, 30.0, [[("shoes",)]]),
        ("between 20 and 40 mug", 20.0, 40.0, [[("mug",)]]),
        ("between 40 and 20 mug", 20.0, 40.0, [[("mug",)]]),
        ("from 10 to 20 dollars socks", 10.0, 20.0, [[("socks",)]]),
        ("tv over 100", 100.0, None, [[("tv",)]]),
        ("$200-$400 phone", 200.0, 400.0, [[("phone",)]]),
        ("$20 to $40 lamp", 20.0, 40.0, [[("lamp",)]]),
        ("pen less than 25.50", None, 25.5, [[("pen",)]]),
        ("shirt under 20,5", None, 20.5, [[("shirt",)]]),
        ("mug under 50€", None, 50.0, [[("mug",)]]),
        ("up to 50 bucks", None, 50.0, []),
        ("max 20 pen", None, 20.0, [[("pen",)]]),
        ("at least 15 book", 15.0, None, [[("book",)]]),
        ("<= 30 cable", None, 30.0, [[("cable",)]]),
        (">= 30 cable", 30.0, None, [[("cable",)]]),
        ("desk over 100 under 300", 100.0, 300.0, [[("desk",)]]),
    ],
)
def test_price_phrases_become_bounds_and_leave_the_clauses(
    query: str, low: float | None, high: float | None, rest: list[list[tuple[str, ...]]]
) -> None:
    parsed = parse_query(query)
    assert (parsed.min_price, parsed.max_price) == (low, high)
    assert terms(query) == rest


def test_a_number_without_a_price_word_stays_a_word() -> None:
    parsed = parse_query("iphone 15 case")
    assert (parsed.min_price, parsed.max_price) == (None, None)
    assert terms("iphone 15 case") == [[("iphone",)], [("15",)], [("case",)]]


def test_price_with_thousands_separator() -> None:
    parsed = parse_query("laptop under 1,000")
    assert parsed.max_price == 1000.0
    assert terms("laptop under 1,000") == [[("laptop",)]]


@pytest.mark.parametrize(
    ("query", "sort", "rest"),
    [
        ("cheap headphones", "price_asc", [[("headphones",)]]),
        ("cheapest tv", "price_asc", [[("tv",)]]),
        ("best rated laptop", "rating", [[("laptop",)]]),
        ("top-reviewed blender", "rating", [[("blender",)]]),
        ("most popular toys", "popularity", [[("toys",)]]),
        ("best selling books", "popularity", [[("books",)]]),
        ("newest phones", "newest", [[("phones",)]]),
        ("new arrivals dresses", "newest", [[("dresses",)]]),
        ("most expensive watch", "price_desc", [[("watch",)]]),
    ],
)
def test_sort_words_set_the_sort_and_leave_the_clauses(
    query: str, sort: str, rest: list[list[tuple[str, ...]]]
) -> None:
    parsed = parse_query(query)
    assert parsed.sort == sort
    assert terms(query) == rest


def test_sort_and_price_together() -> None:
    parsed = parse_query("cheap headphones under 50")
    assert (parsed.sort, parsed.min_price, parsed.max_price) == ("price_asc", None, 50.0)
    assert terms("cheap headphones under 50") == [[("headphones",)]]


def test_sort_word_inside_a_longer_word_is_not_a_sort_word() -> None:
    parsed = parse_query("cheapskate guide")
    assert parsed.sort is None
    assert terms("cheapskate guide") == [[("cheapskate",)], [("guide",)]]


def test_interpret_false_leaves_price_and_sort_words_as_words() -> None:
    parsed = parse_query("cheap headphones under 50", interpret=False)
    assert (parsed.sort, parsed.min_price, parsed.max_price) == (None, None, None)
    assert terms("cheap headphones under 50", interpret=False) == [
        [("cheap",)],
        [("headphones",)],
        [("under",)],
        [("50",)],
    ]


def test_query_longer_than_the_limit_is_invalid() -> None:
    assert parse_query("a" * MAX_QUERY_LENGTH).clauses == (Clause((Term(("a" * 500,)),)),)
    with pytest.raises(InvalidQuery) as info:
        parse_query("a" * (MAX_QUERY_LENGTH + 1))
    assert info.value.field == "q"
    assert "500" in info.value.message


def test_nul_byte_is_invalid() -> None:
    with pytest.raises(InvalidQuery) as info:
        parse_query("shoes\x00")
    assert info.value.field == "q"


def test_control_characters_become_spaces() -> None:
    assert validate_text("tea\tcup\x07mug\n") == "tea cup mug"
    parsed = parse_query("tea\tcup\x07mug")
    assert parsed.text == "tea cup mug"
    assert terms("tea\tcup\x07mug") == [[("tea",)], [("cup",)], [("mug",)]]


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_empty_query(query: str) -> None:
    parsed = parse_query(query)
    assert parsed.text == ""
    assert parsed.clauses == ()
    assert parsed.excluded == ()
    assert (parsed.min_price, parsed.max_price, parsed.sort) == (None, None, None)


def test_quoted_phrase_is_taken_literally() -> None:
    parsed = parse_query('"popular mechanics" magazine')
    assert parsed.sort is None
    assert terms('"popular mechanics" magazine') == [[("popular", "mechanics")], [("magazine",)]]


# ------------------------------------------------------------------------------ bounded word count


def _word(i: int) -> str:
    """A distinct plain word per number: 'kb', 'kbc', ..."""
    return "k" + "".join(chr(ord("a") + int(d)) for d in str(i))


def _words_read(query: str) -> list[str]:
    parsed = parse_query(query)
    read = [w for c in parsed.clauses for w in c.alternatives[0].words]
    return read + [w for t in (*parsed.optional, *parsed.excluded) for w in t.words]


def test_a_long_query_is_read_up_to_its_first_max_query_words() -> None:
    typed = [_word(i) for i in range(120)]  # as many as 500 characters hold
    parsed = parse_query(" ".join(typed))
    assert [c.alternatives[0].words[0] for c in parsed.clauses] == typed[:MAX_QUERY_WORDS]
    assert parsed.text == " ".join(typed)  # the echo keeps what was typed


def test_stop_words_exclusions_and_phrases_count_towards_the_cap() -> None:
    half = MAX_QUERY_WORDS // 2
    query = " ".join(["the"] * half + ["-" + _word(i) for i in range(half)] + ["kept", "not"])
    parsed = parse_query(query)
    assert len(parsed.optional) == half
    assert [t.words for t in parsed.excluded] == [(_word(i),) for i in range(half)]
    assert parsed.clauses == ()
    phrase = parse_query('"' + " ".join(_word(i) for i in range(100)) + '" after')
    assert [c.alternatives for c in phrase.clauses] == [
        (Term(tuple(_word(i) for i in range(MAX_QUERY_WORDS))),)
    ]


def test_a_compound_of_many_words_is_cut_to_the_cap() -> None:
    query = "-".join(_word(i) for i in range(100)) + " tail"
    read = _words_read(query)
    assert read == [_word(i) for i in range(MAX_QUERY_WORDS)]


def test_a_query_at_the_cap_is_read_whole() -> None:
    typed = [_word(i) for i in range(MAX_QUERY_WORDS - 2)] + ["usb-c"]
    assert _words_read(" ".join(typed)) == [*typed[:-1], "usb", "c"]
