"""The analyser shared by index and query: measurements, sizes, model numbers and compounds."""

import pytest

from domain.search.text import analyze_field, field_length
from domain.search.tokens import UNITS, normalise_marks, split_text


def atoms(text: str) -> list[str]:
    return list(split_text(text).atoms)


def forms(text: str) -> list[str]:
    return [f.text for f in split_text(text).forms]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rtx4090", ["rtx", "4090"]),
        ("27in", ["27", "in"]),
        ("ps5 console", ["ps", "5", "console"]),
        ("wh-1000xm4", ["wh", "1000", "xm", "4"]),
        ("12x16", ["12", "x", "16"]),
        ("2x4x8", ["2", "x", "4", "x", "8"]),
    ],
)
def test_letters_and_digits_split_where_they_meet(text: str, expected: list[str]) -> None:
    assert atoms(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27 inches", ["27", "in"]),
        ("27-inch", ["27", "in"]),
        ("27 in.", ["27", "in"]),
        ("6 feet", ["6", "ft"]),
        ("12 volts", ["12", "v"]),
        ("65 watts", ["65", "w"]),
        ("5 gallon", ["5", "gal"]),
        ("10 pounds", ["10", "lb"]),
        ("10 lbs", ["10", "lb"]),
        ("16 ounces", ["16", "oz"]),
        ("256 gigabytes", ["256", "gb"]),
        ("2 amps", ["2", "a"]),
        ("144 hertz", ["144", "hz"]),
        ("3 ghz", ["3", "ghz"]),
        ("5000 mah", ["5000", "mah"]),
        ("4 pk", ["4", "pack"]),
    ],
)
def test_a_unit_after_a_number_takes_one_spelling(text: str, expected: list[str]) -> None:
    assert atoms(text) == expected


def test_unit_words_without_a_number_stay_words() -> None:
    assert atoms("inch by inch, feet first, watts up, pounds sterling") == [
        "inch", "by", "inch", "feet", "first", "watts", "up", "pounds", "sterling",
    ]  # fmt: skip


def test_every_unit_spelling_maps_to_a_unit_that_maps_to_itself() -> None:
    assert all(UNITS[unit] == unit for unit in UNITS.values())


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ('27" monitor', "27in  monitor"),
        ("6' ladder", "6ft  ladder"),
        ("6'2\" tall", "6ft 2in  tall"),
        ("27″ tv", "27in  tv"),
        ("27'' tv", "27in  tv"),
        ("5'x7' rug", "5ft x 7ft  rug"),
        ('12"x16" frame', "12in x 16in  frame"),
    ],
)
def test_inch_and_foot_marks_after_a_number_become_units(text: str, marked: str) -> None:
    assert normalise_marks(text) == marked


def test_quotes_and_apostrophes_that_are_not_marks_are_kept() -> None:
    assert normalise_marks('"model 3" fan') == '"model 3" fan'  # a quote closed after a digit
    assert normalise_marks("90's hits") == "90's hits"
    assert normalise_marks("men's shoes") == "men's shoes"


def test_compounds_keep_their_words_and_add_the_joined_form() -> None:
    assert (atoms("usb-c cable"), forms("usb-c cable")) == (["usb", "c", "cable"], ["usbc"])
    assert (atoms("wi-fi"), forms("wi-fi")) == (["wi", "fi"], ["wifi"])
    assert forms("4k/uhd") == ["4kuhd"]
    assert forms("3-in-1 charger") == ["3in1"]
    assert forms("rtx4090") == ["rtx4090"]
    assert forms("27-inch") == ["27in"]


def test_a_number_and_its_unit_written_apart_are_also_joined() -> None:
    assert forms("charger 65 w") == ["65w"]
    assert forms("27 in. monitor") == ["27in"]
    assert forms("4 pack") == ["4pack"]


def test_sizes_are_joined_with_and_without_their_unit() -> None:
    assert forms("12 in. x 16 in. frame") == ["12in", "16in", "12x16", "12x16in"]
    assert forms("12 x 16") == ["12x16"]
    assert forms("12x16") == ["12x16"]  # the compound and the size are the same form, once
    assert forms("16inx20in") == ["16inx20in", "16x20", "16x20in"]
    assert forms("2x4x8") == ["2x4x8"]


def test_fractions_and_decimals_are_never_joined_into_another_number() -> None:
    assert (atoms("3/4 hp"), forms("3/4 hp")) == (["3", "4", "hp"], [])
    assert (atoms("3/4hp"), forms("3/4hp")) == (["3", "4", "hp"], [])
    assert (atoms("2.5mm jack"), forms("2.5mm jack")) == (["2", "5", "mm", "jack"], [])
    assert forms("2.5 x 4") == []


def test_thousands_separators_are_dropped() -> None:
    assert atoms("1,000 lumens") == ["1000", "lumens"]
    assert atoms("2,000,000 btu") == ["2000000", "btu"]
    assert atoms("sizes 8,10,12") == ["sizes", "8", "10", "12"]


def test_a_word_and_a_lone_letter_are_joined_for_the_index_only() -> None:
    found = split_text("usb c hub").forms
    assert [(f.text, f.vocabulary) for f in found] == [("usbc", False)]
    assert forms("vitamin a") == []  # 'a' is a stop word
    assert forms("12 x 16") == ["12x16"]  # 'x' between numbers is a size


def test_the_indexed_field_holds_the_words_in_order_then_a_mark_and_the_joined_forms() -> None:
    field = analyze_field("USB-C Charging Cable, 65 W")
    assert field.stems == ["usb", "c", "charg", "cabl", "65", "w", "|", "usbc", "65w"]
    assert field_length(field.stems) == 6
    assert set(field.words) == {"usb", "c", "charging", "cable", "65", "w", "usbc", "65w"}


def test_slash_joined_words_and_lone_letter_joins_stay_out_of_the_vocabulary() -> None:
    field = analyze_field("Black/White Type C Adapter")
    assert "blackwhit" in field.stems and "typec" in field.stems
    assert "blackwhite" not in field.words and "typec" not in field.words


def test_a_field_of_several_texts_keeps_their_words_before_all_joined_forms() -> None:
    assert analyze_field("Wi-Fi Co", "Smart-Home").stems == [
        "wi",
        "fi",
        "co",
        "smart",
        "home",
        "|",
        "wifi",
        "smarthom",
    ]


def test_a_field_without_joined_forms_has_no_mark() -> None:
    field = analyze_field("Plain Cotton Shirt")
    assert field.stems == ["plain", "cotton", "shirt"]
    assert field_length(field.stems) == 3
