"""Attribute filters (`attr.<name>=<value>`) and how a product's attributes are stored for them.

A value is matched as the text stored, or, when it is a number, as that number; `lo..hi` is a
numeric range, `lo` inclusive and `hi` exclusive, either end open (`..10`, `40..`).
"""

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import msgspec

from domain.catalog.model import AttributeValue
from domain.search.errors import InvalidQuery

PREFIX: Final = "attr."
MAX_NAME: Final = 64  # what the catalog keeps of an attribute's name
MAX_VALUE: Final = 200  # a longer filter value is refused, not cut
MAX_FILTERED: Final = 10  # attributes filtered at once
MAX_VALUES: Final = 20  # values of one attribute
RANGE: Final = ".."
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")


class NumberRange(msgspec.Struct, frozen=True, array_like=True):
    lo: float | None
    hi: float | None

    def holds(self, number: float) -> bool:
        return (self.lo is None or number >= self.lo) and (self.hi is None or number < self.hi)


class AttributeFilter(msgspec.Struct, frozen=True, array_like=True):
    """The values asked for one attribute: a product matches with any of them."""

    name: str
    values: tuple[str, ...] = ()  # as stored, or a number equal to the stored one
    ranges: tuple[NumberRange, ...] = ()

    def holds(self, attributes: Mapping[str, AttributeValue]) -> bool:
        """Whether a product with these attributes passes (what the SQL condition computes)."""
        stored = stored_value(attributes.get(self.name))
        if stored is None:
            return False
        text, number = stored
        if text in self.values:
            return True
        if number is None:
            return False
        return any(as_number(v) == number for v in self.values) or any(r.holds(number) for r in self.ranges)


def as_number(text: str) -> float | None:
    """A plain decimal number ('55', '6.1'), not '1e3', 'nan' or '128 GB'."""
    text = text.strip()
    return float(text) if _NUMBER.match(text) else None


def format_number(number: float) -> str:
    """55.0 -> '55', 6.10 -> '6.1': how numbers are stored as text and written in range labels."""
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.6f}".rstrip("0").rstrip(".")


def range_label(lo: float | None, hi: float | None) -> str:
    return (
        (format_number(lo) if lo is not None else "") + RANGE + (format_number(hi) if hi is not None else "")
    )


def stored_value(value: AttributeValue) -> tuple[str, float | None] | None:
    """An attribute value as stored for filtering: its text, and its number when it is one
    (a CSV import gives '55' as text: it is a number all the same). None: not stored."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("true" if value else "false"), None
    if isinstance(value, int | float):
        number = float(value)
        return (format_number(number), number) if math.isfinite(number) else None
    text = value.strip()
    if not text:
        return None
    number_or_none = as_number(text)
    return (format_number(number_or_none) if number_or_none is not None else text), number_or_none


def stored_rows(attributes: Mapping[str, AttributeValue]) -> list[tuple[str, str, float | None]]:
    """(name, text, number) for each attribute of a product that can be filtered on."""
    rows = []
    for name, value in attributes.items():
        stored = stored_value(value)
        if stored is not None and name:
            rows.append((name[:MAX_NAME], stored[0][:500], stored[1]))
    return rows


def _range(field: str, text: str) -> NumberRange:
    lo_text, hi_text = text.split(RANGE, 1)
    lo = as_number(lo_text) if lo_text else None
    hi = as_number(hi_text) if hi_text else None
    if (lo_text and lo is None) or (hi_text and hi is None) or (lo is None and hi is None):
        raise InvalidQuery(field, f"{field}: a range is lo..hi with numbers, either end may be left open")
    if lo is not None and hi is not None and lo >= hi:
        raise InvalidQuery(field, f"{field}: a range's lower end must be below its upper end")
    return NumberRange(lo, hi)


def parse_attribute_filters(params: Iterable[tuple[str, str]]) -> tuple[AttributeFilter, ...]:
    """The `attr.<name>=<value>` query parameters (others ignored), by attribute in first-seen order.

    Raises InvalidQuery naming the parameter: an empty or over-long name or value, a malformed
    range, too many attributes or values.
    """
    asked: dict[str, list[str]] = {}
    for key, value in params:
        if not key.startswith(PREFIX):
            continue
        name = key[len(PREFIX) :]
        if not name.strip() or len(name) > MAX_NAME:
            raise InvalidQuery(key[:80], f"an attribute name is 1 to {MAX_NAME} characters")
        if not value.strip() or len(value) > MAX_VALUE:
            raise InvalidQuery(key, f"{key}: a value is 1 to {MAX_VALUE} characters")
        values = asked.setdefault(name, [])
        if len(asked) > MAX_FILTERED:
            raise InvalidQuery(key, f"at most {MAX_FILTERED} attributes can be filtered at once")
        if len(values) >= MAX_VALUES:
            raise InvalidQuery(key, f"{key}: at most {MAX_VALUES} values")
        values.append(value.strip())
    filters = []
    for name, values in asked.items():
        field = PREFIX + name
        plain = tuple(dict.fromkeys(v for v in values if RANGE not in v))
        ranges = tuple(dict.fromkeys(_range(field, v) for v in values if RANGE in v))
        filters.append(AttributeFilter(name=name, values=plain, ranges=ranges))
    return tuple(filters)


def without(filters: Sequence[AttributeFilter], name: str) -> tuple[AttributeFilter, ...]:
    return tuple(f for f in filters if f.name != name)
