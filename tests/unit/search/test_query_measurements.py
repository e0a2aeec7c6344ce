"""parse_query on measurements, sizes, model numbers and compounds, and stop words kept as optional."""

import pytest

from domain.search.model import match_spec
from domain.search.query import Clause, Term, parse_query, typed_phrase
from domain.search.text import analyze_field


def terms(query: str) -> list[list[tuple[str, ...]]]:
    return [[t.words for t in c.alternatives] for c in parse_query(query).clauses]


@pytest.mark.parametrize(
    ("query", "clause"),
    [
        ("27in", [("27", "in"), ("27in",)]),
        ("27-inch", [("27", "in"), ("27in",)]),
        ("27 inch", [("27", "in"), ("27in",)]),
        ("27 in.", [("27", "in"), ("27in",)]),
        ('27"', [("27", "in"), ("27in",)]),
        ("65w", [("65", "w"), ("65w",)]),
        ("65 watts", [("65", "w"), ("65w",)]),
        ("rtx4090", [("rtx", "4090"), ("rtx4090",)]),
        ("usb-c", [("usb", "c"), ("usbc",)]),
        ("wi-fi", [("wi", "fi"), ("wifi",)]),
        ("12x16", [("12", "x", "16"), ("12x16",)]),
        ("12 x 16", [("12", "x", "16"), ("12x16",)]),
        ("3/4hp", [("3", "4", "hp")]),
        ("3/4 hp", [("3", "4", "hp")]),
    ],
)
def test_a_measurement_or_compound_is_its_words_as_a_phrase_or_joined(
    query: str, clause: list[tuple[str, ...]]
) -> None:
    assert terms(query) == [clause]


def test_sizes_with_units_offer_the_size_with_and_without_the_unit() -> None:
    assert terms('12" x 16" frame') == [
        [("12", "in", "x", "16", "in"), ("12inx16in",), ("12x16",), ("12x16in",)],
        [("frame",)],
    ]


def test_an_inch_mark_does_not_open_a_quoted_phrase() -> None:
    parsed = parse_query('27" monitor under 300')
    assert terms('27" monitor under 300') == [[("27", "in"), ("27in",)], [("monitor",)]]
    assert parsed.max_price == 300.0
    assert terms('"model 3" charger') == [[("model", "3")], [("charger",)]]


def test_a_count_after_a_number_stays_a_word_of_its_own() -> None:
    assert terms("2 pack batteries") == [[("2",)], [("pack",)], [("batteries",)]]
    assert terms("2-pack") == [[("2", "pack"), ("2pack",)]]


def test_unit_words_without_a_number_are_plain_words() -> None:
    assert terms("watt meter") == [[("watt",)], [("meter",)]]
    assert terms("usb c") == [[("usb",)], [("c",)]]


def test_quoted_text_is_one_phrase_of_the_split_words() -> None:
    assert terms('"27 inch monitor"') == [[("27", "in", "monitor")]]


def test_an_excluded_compound_excludes_every_form() -> None:
    assert parse_query("cable -usb-c").excluded == (Term(("usb", "c")), Term(("usbc",)))


def test_or_joins_the_forms_of_both_sides() -> None:
    assert terms("usb-c or lightning") == [[("usb", "c"), ("usbc",), ("lightning",)]]


def test_each_query_form_is_found_in_the_indexed_title_however_it_was_written() -> None:
    titles = ["27 in. Monitor", "27-Inch Monitor", '27" Monitor', "27in Monitor"]
    for query in ("27in", "27 inch", '27"', "27-in"):
        spec = match_spec(parse_query(query))
        for title in titles:
            indexed = " " + " ".join(analyze_field(title).stems) + " "
            assert any(f" {' '.join(p)} " in indexed for p in spec.clauses[0]), (query, title)


def test_typed_phrase_of_a_compound_but_not_of_an_or() -> None:
    usb_c, lightning = parse_query("usb-c").clauses[0], parse_query("lightning").clauses[0]
    assert typed_phrase(usb_c) == Term(("usb", "c"))
    assert typed_phrase(lightning) == Term(("lightning",))
    assert typed_phrase(Clause((*usb_c.alternatives, *lightning.alternatives))) is None
    assert typed_phrase(parse_query("shoes or boots").clauses[0]) is None


def test_stop_words_standing_alone_are_optional_not_required() -> None:
    parsed = parse_query("case with stand for the phone")
    assert terms("case with stand for the phone") == [[("case",)], [("stand",)], [("phone",)]]
    assert [t.words for t in parsed.optional] == [("with",), ("for",), ("the",)]
    assert match_spec(parsed).optional == (("with",), ("for",), ("the",))


def test_excluded_stop_words_and_stop_words_in_phrases_are_not_optional() -> None:
    assert parse_query("-with case").optional == ()
    assert parse_query('"case with stand"').optional == ()
    assert parse_query("3-in-1 charger").optional == ()


def test_a_query_without_stop_words_has_no_optional_terms() -> None:
    assert parse_query("wireless mouse").optional == ()
    assert match_spec(parse_query("wireless mouse")).optional == ()
