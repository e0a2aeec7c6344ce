"""Curation rules: what a shop pins, hides, boosts or buries for a query or a category page.

A rule has exactly one trigger: `query` (the whole query, compared by its analysed words, so
case, spacing, plurals and stop words do not matter), `contains` (those words, in order, within
the query) or `category` (the category page: that category filter and no words). It may be
limited to a time window, `starts_at` included, `ends_at` excluded.
"""

from datetime import datetime
from typing import Final

import msgspec

from domain.errors import InvalidValue
from domain.search.synonyms import clean_term, term_key

MAX_POSITION: Final = 100  # pins place items within the first pages only
MAX_PINS: Final = 20
MAX_HIDES: Final = 100
MAX_BOOSTS: Final = 10
MAX_WEIGHT: Final = 10.0
MAX_NAME: Final = 100
MAX_SKU: Final = 64
MAX_CATEGORY: Final = 100


class Pin(msgspec.Struct, frozen=True):
    sku: str
    position: int  # 1-based and absolute: 13 with 12 per page is page 2's first item


class AttributeIs(msgspec.Struct, frozen=True):
    name: str
    value: str | float | bool


class BoostFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Products with every given property; at least one is given."""

    brand: str | None = None
    category: str | None = None
    attribute: AttributeIs | None = None
    min_price: float | None = None
    max_price: float | None = None


class Boost(msgspec.Struct, frozen=True):
    filter: BoostFilter
    weight: float  # positive lifts matching items, negative buries them


class Rule(msgspec.Struct, frozen=True, kw_only=True):
    id: int = 0
    name: str = ""  # empty: shown as 'rule <id>'
    query: str | None = None
    contains: str | None = None
    category: str | None = None
    pins: tuple[Pin, ...] = ()
    hides: tuple[str, ...] = ()
    boosts: tuple[Boost, ...] = ()
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    @property
    def label(self) -> str:
        return self.name or f"rule {self.id}"


def _sku(raw: str, field: str) -> str:
    sku = raw.strip()
    if not sku or len(sku) > MAX_SKU:
        raise InvalidValue(f"a sku is 1 to {MAX_SKU} characters", field=field)
    return sku


def _aware(moment: datetime | None, field: str) -> None:
    if moment is not None and moment.tzinfo is None:
        raise InvalidValue("a time needs its offset from UTC (e.g. 2026-12-01T00:00:00Z)", field=field)


def _checked_filter(f: BoostFilter) -> BoostFilter:
    if all(v is None for v in (f.brand, f.category, f.attribute, f.min_price, f.max_price)):
        raise InvalidValue("a boost filter needs brand, category, attribute or a price", field="boost")
    for price in (f.min_price, f.max_price):
        if price is not None and not 0 <= price < float("inf"):
            raise InvalidValue("prices are non-negative numbers", field="boost")
    if f.min_price is not None and f.max_price is not None and f.min_price > f.max_price:
        raise InvalidValue("min_price is above max_price", field="boost")
    if f.attribute is not None and not f.attribute.name.strip():
        raise InvalidValue("an attribute needs a name", field="boost")
    return f


def validated(rule: Rule) -> Rule:
    """The rule with its trigger cleaned; InvalidValue naming the field at fault otherwise."""
    triggers = {"query": rule.query, "contains": rule.contains, "category": rule.category}
    given = [k for k, v in triggers.items() if v is not None]
    if len(given) != 1:
        raise InvalidValue("give exactly one of query, contains or category", field="query")
    name = " ".join(rule.name.split())
    if len(name) > MAX_NAME:
        raise InvalidValue(f"a name is at most {MAX_NAME} characters", field="name")
    query = clean_term(rule.query, "query") if rule.query is not None else None
    contains = clean_term(rule.contains, "contains") if rule.contains is not None else None
    category = rule.category.strip() if rule.category is not None else None
    if category is not None and not 1 <= len(category) <= MAX_CATEGORY:
        raise InvalidValue(f"a category is 1 to {MAX_CATEGORY} characters", field="category")
    if not (rule.pins or rule.hides or rule.boosts):
        raise InvalidValue("a rule pins, hides or boosts something", field="pin")
    if len(rule.pins) > MAX_PINS:
        raise InvalidValue(f"at most {MAX_PINS} pins", field="pin")
    if len(rule.hides) > MAX_HIDES:
        raise InvalidValue(f"at most {MAX_HIDES} hidden skus", field="hide")
    if len(rule.boosts) > MAX_BOOSTS:
        raise InvalidValue(f"at most {MAX_BOOSTS} boosts", field="boost")
    pins = tuple(Pin(_sku(p.sku, "pin"), p.position) for p in rule.pins)
    if any(not 1 <= p.position <= MAX_POSITION for p in pins):
        raise InvalidValue(f"a position is between 1 and {MAX_POSITION}", field="pin")
    if len({p.position for p in pins}) < len(pins) or len({p.sku for p in pins}) < len(pins):
        raise InvalidValue("each pin has its own sku and position", field="pin")
    hides = tuple(dict.fromkeys(_sku(s, "hide") for s in rule.hides))
    if {p.sku for p in pins} & set(hides):
        raise InvalidValue("a sku is either pinned or hidden", field="hide")
    for boost in rule.boosts:
        _checked_filter(boost.filter)
        if not -MAX_WEIGHT <= boost.weight <= MAX_WEIGHT or boost.weight == 0:
            raise InvalidValue(
                f"a weight is non-zero, between -{MAX_WEIGHT:g} and {MAX_WEIGHT:g}", field="boost"
            )
    _aware(rule.starts_at, "starts_at")
    _aware(rule.ends_at, "ends_at")
    if rule.starts_at is not None and rule.ends_at is not None and rule.starts_at >= rule.ends_at:
        raise InvalidValue("starts_at must come before ends_at", field="ends_at")
    return msgspec.structs.replace(
        rule, name=name, query=query, contains=contains, category=category, pins=pins, hides=hides
    )


def words(text: str) -> tuple[str, ...]:
    """What a query or phrase is compared by: its analysed words (see `term_key`)."""
    return term_key(text) if text.strip() else ()
