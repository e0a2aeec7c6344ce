"""Parsing `attr.<name>=<value>` parameters, and how a filter reads a product's attributes."""

import pytest

from domain.search.attributes import (
    AttributeFilter,
    NumberRange,
    format_number,
    parse_attribute_filters,
    range_label,
    stored_rows,
    stored_value,
)
from domain.search.errors import InvalidQuery


def test_values_group_by_attribute_ranges_apart_and_other_parameters_ignored() -> None:
    parsed = parse_attribute_filters(
        [("q", "tv"), ("attr.color", "Black"), ("attr.size", "40..55"), ("attr.color", "Navy"),
         ("attr.color", "Black"), ("attr.size", "..10"), ("attr.size", "80.."), ("attr.size", "42")]
    )  # fmt: skip
    assert parsed == (
        AttributeFilter("color", ("Black", "Navy")),
        AttributeFilter(
            "size", ("42",), (NumberRange(40.0, 55.0), NumberRange(None, 10.0), NumberRange(80.0, None))
        ),
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ([("attr.size", "4o..55")], "attr.size"),
        ([("attr.size", "..")], "attr.size"),
        ([("attr.size", "55..40")], "attr.size"),
        ([("attr.size", "40..40")], "attr.size"),
        ([("attr.size", "1e3..")], "attr.size"),
        ([("attr.color", "")], "attr.color"),
        ([("attr.color", "x" * 201)], "attr.color"),
        ([("attr.", "x")], "attr."),
        ([("attr." + "n" * 65, "x")], ("attr." + "n" * 65)[:80]),
        ([("attr.color", str(i)) for i in range(21)], "attr.color"),
        ([(f"attr.a{i}", "x") for i in range(11)], "attr.a10"),
    ],
)
def test_bad_parameters_are_refused_naming_the_parameter(params: list[tuple[str, str]], field: str) -> None:
    with pytest.raises(InvalidQuery) as refused:
        parse_attribute_filters(params)
    assert refused.value.field == field


def test_the_limits_themselves_are_accepted() -> None:
    assert len(parse_attribute_filters([(f"attr.a{i}", "x") for i in range(10)])) == 10
    assert len(parse_attribute_filters([("attr.c", str(i)) for i in range(20)])[0].values) == 20


def test_numbers_are_stored_as_numbers_whatever_their_source() -> None:
    assert stored_value(55) == ("55", 55.0)
    assert stored_value(6.10) == ("6.1", 6.1)
    assert stored_value("55") == ("55", 55.0)  # a CSV import's text
    assert stored_value(" 55.0 ") == ("55", 55.0)
    assert stored_value("128 GB") == ("128 GB", None)
    assert stored_value("1e3") == ("1e3", None)
    assert stored_value(True) == ("true", None)
    assert stored_value(None) is None and stored_value("  ") is None and stored_value(float("nan")) is None
    assert stored_rows({"color": "Red", "seats": 3, "note": None}) == [
        ("color", "Red", None),
        ("seats", "3", 3.0),
    ]
    assert (format_number(1200.0), format_number(0.25), range_label(None, 10), range_label(40, None)) == (
        "1200", "0.25", "..10", "40.."
    )  # fmt: skip


def test_a_filter_holds_by_text_by_number_or_by_range() -> None:
    colors = AttributeFilter("color", ("Black", "Navy"))
    assert colors.holds({"color": "Navy"}) and not colors.holds({"color": "navy"})
    assert not colors.holds({}) and not colors.holds({"colour": "Navy"})
    size = parse_attribute_filters([("attr.size", "40..55"), ("attr.size", "70")])[0]
    assert size.holds({"size": 40}) and size.holds({"size": "54.9"}) and size.holds({"size": 70.0})
    assert not size.holds({"size": 55}) and not size.holds({"size": 39}) and not size.holds({"size": "XL"})
    open_ended = parse_attribute_filters([("attr.size", "80..")])[0]
    assert open_ended.holds({"size": 10_000}) and not open_ended.holds({"size": 79.99})
