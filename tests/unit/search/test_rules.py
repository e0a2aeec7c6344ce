"""Validating curation rules: one trigger, positions, sizes, weights and windows."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidValue
from domain.search.rules import MAX_PINS, AttributeIs, Boost, BoostFilter, Pin, Rule, validated

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def field_of(rule: Rule) -> str | None:
    with pytest.raises(InvalidValue) as caught:
        validated(rule)
    return caught.value.field


def test_a_rule_is_cleaned_and_kept() -> None:
    rule = validated(Rule(query="  Winter   JACKETS ", pins=(Pin(" J-1 ", 3),), hides=("X", "X")))
    assert (rule.query, rule.pins, rule.hides) == ("winter jackets", (Pin("J-1", 3),), ("X",))
    assert (
        rule.label == "rule 0"
        and validated(Rule(name="Sale", category="Shoes", hides=("a",))).label == "Sale"
    )


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (Rule(hides=("a",)), "query"),
        (Rule(query="a", contains="b", hides=("a",)), "query"),
        (Rule(query="tent"), "pin"),
        (Rule(query="tent", pins=(Pin("a", 0),)), "pin"),
        (Rule(query="tent", pins=(Pin("a", 101),)), "pin"),
        (Rule(query="tent", pins=(Pin("a", 1), Pin("b", 1))), "pin"),
        (Rule(query="tent", pins=(Pin("a", 1), Pin("a", 2))), "pin"),
        (Rule(query="tent", pins=tuple(Pin(f"s{i}", i + 1) for i in range(MAX_PINS + 1))), "pin"),
        (Rule(query="tent", pins=(Pin("a", 1),), hides=("a",)), "hide"),
        (Rule(query="tent", hides=("",)), "hide"),
        (Rule(query="tent", boosts=(Boost(BoostFilter(), 1.0),)), "boost"),
        (Rule(query="tent", boosts=(Boost(BoostFilter(brand="x"), 11.0),)), "boost"),
        (Rule(query="tent", boosts=(Boost(BoostFilter(brand="x"), 0.0),)), "boost"),
        (Rule(query="tent", boosts=(Boost(BoostFilter(min_price=5, max_price=1), 1.0),)), "boost"),
        (Rule(query="tent", boosts=(Boost(BoostFilter(attribute=AttributeIs(" ", "x")), 1.0),)), "boost"),
        (Rule(query="   ", hides=("a",)), "query"),
        (Rule(category="", hides=("a",)), "category"),
        (Rule(query="tent", hides=("a",), starts_at=T0, ends_at=T0), "ends_at"),
        (Rule(query="tent", hides=("a",), starts_at=datetime(2026, 1, 1)), "starts_at"),
        (Rule(query="tent", hides=("a",), name="n" * 101), "name"),
    ],
)
def test_invalid_rules_name_the_field_at_fault(rule: Rule, field: str) -> None:
    assert field_of(rule) == field


def test_a_window_and_a_burying_boost_are_valid() -> None:
    rule = Rule(
        contains="tent",
        boosts=(Boost(BoostFilter(brand="Acme", attribute=AttributeIs("colour", "red")), -10.0),),
        starts_at=T0,
        ends_at=T0 + timedelta(days=1),
    )
    assert validated(rule).boosts == rule.boosts
