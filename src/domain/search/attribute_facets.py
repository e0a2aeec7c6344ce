"""Which attributes are facets, and their entries: value counts, or numeric range buckets.

Discovery reads the catalog's profile of each attribute (how many products have it, how many
distinct values, whether every value is a number, its best share of a category); the thresholds
are the constants below (docs/search.md, "Attribute facets").
"""

import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Final

import msgspec

from domain.search.attributes import format_number, range_label
from domain.search.model import FacetValue

MAX_TEXT_VALUES: Final = 50  # a text attribute with more distinct values is not a facet unless declared
MAX_NUMBER_VALUES: Final = 1000  # numeric ones are bucketed, but their counting reads each value
CATALOG_SHARE: Final = 0.2  # on this share of the catalog's products...
CATEGORY_SHARE: Final = 0.5  # ...or on this share of one category's products...
MIN_CATEGORY: Final = 10  # ...of a category this large at least
RESULT_SHARE: Final = 0.2  # shown for a search when this share of its matches have it
MAX_SHOWN: Final = 12  # attribute facets in one answer
LISTED_NUMBERS: Final = 8  # a numeric attribute with at most this many values in the result lists them
MAX_BUCKETS: Final = 6  # steps the span is cut into at most: one bucket more when its ends fall mid-step
_STEPS: Final = (1.0, 2.0, 2.5, 5.0)


class AttributeProfile(msgspec.Struct, frozen=True, array_like=True):
    name: str
    products: int  # that have it
    distinct: int  # values
    numeric: bool  # every value is a number
    category_share: float  # its largest share of a category of at least MIN_CATEGORY products


class CatalogProfile(msgspec.Struct, frozen=True, array_like=True):
    products: int
    attributes: list[AttributeProfile]


class FacetDeclaration(msgspec.Struct, frozen=True, kw_only=True):
    """The administrator's say: attributes always faceted, and attributes never faceted."""

    declared: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()


class AttributeCount(msgspec.Struct, frozen=True, array_like=True):
    """How many matches have one value of one attribute (`number` when the value is one)."""

    name: str
    value: str
    number: float | None
    count: int


def discovered(profile: CatalogProfile) -> list[str]:
    """The attributes the catalog suggests: few distinct values, on a large share of the catalog
    or of one category."""
    found = []
    for a in profile.attributes:
        few = a.distinct <= (MAX_NUMBER_VALUES if a.numeric else MAX_TEXT_VALUES)
        common = a.products >= CATALOG_SHARE * profile.products or a.category_share >= CATEGORY_SHARE
        if few and common and a.distinct >= 2:
            found.append(a.name)
    return sorted(found)


def candidates(profile: CatalogProfile, declaration: FacetDeclaration) -> list[str]:
    """What a search counts: the declared attributes and the discovered ones, less the excluded."""
    excluded = set(declaration.excluded)
    names = dict.fromkeys([*declaration.declared, *discovered(profile)])
    return [n for n in names if n not in excluded]


def nice_step(span: float, buckets: int = MAX_BUCKETS) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that cuts `span` into at most `buckets`."""
    if span <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(span / buckets))
    for scale in (*_STEPS, 10.0):
        step = scale * power
        if span / step <= buckets:
            return step
    return 10.0 * power


def bucket_edges(numbers: Sequence[float]) -> list[float]:
    """Round inner edges (multiples of `nice_step`) cutting [min, max] into at most MAX_BUCKETS + 1
    buckets: the first holds the minimum, the last the maximum."""
    low, high = min(numbers), max(numbers)
    step = nice_step(high - low)
    edge = math.floor(low / step) * step + step
    edges = []
    while edge <= high:
        edges.append(round(edge, 10))
        edge += step
    return edges


def numeric_entries(histogram: Sequence[tuple[float, int]]) -> list[FacetValue]:
    """A numeric attribute's entries: its values when they are few, else range buckets (`lo..hi`,
    the first open below and the last open above, empty buckets left out), in ascending order."""
    present = sorted((n, c) for n, c in histogram if c > 0)
    if not present:
        return []
    if len(present) <= LISTED_NUMBERS:
        return [FacetValue(value=format_number(n), count=c) for n, c in present]
    edges = bucket_edges([n for n, _ in present])
    bounds: list[tuple[float | None, float | None]] = list(zip([None, *edges], [*edges, None], strict=True))
    counts = [0] * len(bounds)
    i = 0
    for number, count in present:  # both ascending
        while bounds[i][1] is not None and number >= bounds[i][1]:  # type: ignore[operator]
            i += 1
        counts[i] += count
    return [
        FacetValue(value=range_label(lo, hi), count=c)
        for (lo, hi), c in zip(bounds, counts, strict=True)
        if c
    ]


def attribute_facets(
    counts: Sequence[AttributeCount],
    total: int,
    always: Collection[str],
    size: int,
) -> dict[str, list[FacetValue]]:
    """The facets of a result of `total` matches from its attribute value counts.

    An attribute in `always` (declared or filtered on) is shown whenever it has a value; another
    when RESULT_SHARE of the matches have it and it has two entries at least. One whose every value
    in the result is a number gets `numeric_entries` (shoe sizes on a shoe page, though jackets
    are sized S to XL); others their `size` most common values. At most MAX_SHOWN attributes,
    those in `always` first, then the most common.
    """
    by_name: dict[str, list[AttributeCount]] = defaultdict(list)
    for c in counts:
        if c.count > 0:
            by_name[c.name].append(c)
    shown: list[tuple[bool, int, str, list[FacetValue]]] = []
    for name, values in by_name.items():
        having = sum(v.count for v in values)
        if all(v.number is not None for v in values):
            histogram: dict[float, int] = defaultdict(int)
            for v in values:
                histogram[v.number] += v.count  # type: ignore[index]
            entries = numeric_entries(list(histogram.items()))
        else:
            ordered = sorted(values, key=lambda v: (-v.count, v.value))[:size]
            entries = [FacetValue(value=v.value, count=v.count) for v in ordered]
        wanted = name in always
        if wanted or (having >= RESULT_SHARE * total and len(entries) >= 2):
            shown.append((not wanted, -having, name, entries))
    shown.sort(key=lambda s: s[:3])
    return {name: entries for _, _, name, entries in shown[:MAX_SHOWN]}
