"""A deterministic synthetic shop catalog, for the demo shop and the benchmarks.

Rows are drawn one after another from a single `random.Random(seed)` stream, and each row consumes
the stream independently of how many rows were asked for, so the first N rows of a larger catalog
are exactly the rows of the N-row catalog: the 1,000,000-product benchmark catalog starts with the
5,000-product demo shop. Dates are relative to a fixed reference date, never to the clock.
"""

import csv
import math
import random
from bisect import bisect_right
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import accumulate, combinations
from pathlib import Path
from typing import Final, NamedTuple

import msgspec

from simulation.catalog.vocabulary import (
    CATEGORIES,
    PRAISE,
    SERIES,
    WARRANTY_YEARS,
    AttributeChoice,
    Category,
)

DEMO_CATALOG_SIZE: Final = 5000
REFERENCE_DATE: Final = datetime(2026, 11, 1, tzinfo=UTC)
AGE_SPAN_DAYS: Final = 730.0
BASE_FIELDS: Final = (
    "sku", "title", "description", "category", "brand", "price", "rating", "review_count",
    "popularity", "image_url", "created_at",
)  # fmt: skip
# Series names that move the price up or down.
SERIES_PRICE: Final = {"Pro": 1.3, "Max": 1.25, "Ultra": 1.4, "Studio": 1.15, "Prime": 1.1,
                       "Lite": 0.8, "Mini": 0.8, "Go": 0.85, "Core": 0.9}  # fmt: skip
_AGE_SPAN_SECONDS: Final = int(AGE_SPAN_DAYS * 86400)
_SECONDS_OF_DAY_AT_REFERENCE: Final = (
    REFERENCE_DATE.hour * 3600 + REFERENCE_DATE.minute * 60 + REFERENCE_DATE.second
)
# _DAYS_BACK[d] is the date d days before the reference date, as text.
_DAYS_BACK: Final = tuple(
    (REFERENCE_DATE - timedelta(days=d)).date().isoformat() for d in range(int(AGE_SPAN_DAYS) + 2)
)
# Which of the six optional description sentences follow the opening: one, two or three of them.
_EXTRA_COMBOS: Final = tuple(tuple(combinations(range(6), k)) for k in (1, 2, 3))


class _Spec(NamedTuple):
    """A category with everything a row needs precomputed."""

    category: Category
    log_median: float
    slug: str
    brand_factors: tuple[float, ...]
    has_colors: bool
    attributes: tuple[tuple[str, tuple[AttributeChoice, ...]], ...]


def _spec(category: Category) -> _Spec:
    n = len(category.brands)
    # Brands differ in price level: the first of a category is the cheapest, the last the dearest.
    factors = tuple(0.7 + 0.7 * i / max(1, n - 1) for i in range(n))
    return _Spec(
        category=category,
        log_median=math.log(category.median_price),
        slug=category.name.lower().replace(" ", "-"),
        brand_factors=factors,
        has_colors=len(category.colors) > 1,
        attributes=tuple(category.attributes.items()),
    )


_SPECS: Final = tuple(_spec(c) for c in CATEGORIES)
_CUMULATIVE: Final = tuple(accumulate(c.weight for c in CATEGORIES))
_TOTAL_WEIGHT: Final = _CUMULATIVE[-1]


def categories() -> list[str]:
    """The names of the generated categories."""
    return [c.name for c in CATEGORIES]


def attribute_names() -> list[str]:
    """Every attribute key a generated row may carry, in first-appearance order."""
    return list(dict.fromkeys(name for c in CATEGORIES for name in c.attributes))


def _shop_price(raw: float) -> float:
    """Round a drawn price the way shops do: 4.99, 45.99, 349.99, 1249.99."""
    if raw < 10:
        price = max(1.0, round(raw)) - 0.01
    elif raw < 100:
        price = int(raw) + 0.99
    elif raw < 1000:
        price = int(raw / 5) * 5 + 4.99
    else:
        price = round(raw / 10) * 10 - 0.01
    return round(price, 2)


def _three(rnd: Callable[[], float], items: tuple[str, ...]) -> tuple[str, str, str]:
    """Three distinct items (the vocabularies hold at least four)."""
    n = len(items)
    a = int(rnd() * n)
    b = (a + 1 + int(rnd() * (n - 1))) % n
    c = a
    while c in (a, b):
        c = int(rnd() * n)
    return items[a], items[b], items[c]


def _title(
    variant: int, brand: str, adj: str, feature: str, noun: str, series: str, color: str, use: str
) -> str:
    shade = f", {color}" if color else ""
    if variant == 0:
        return f"{brand} {adj} {feature} {noun}"
    if variant == 1:
        return f"{brand} {series} {feature} {noun}{shade}"
    if variant == 2:
        return f"{brand} {feature} {adj} {noun}"
    if variant == 3:
        return f"{brand} {adj} {noun} {series}{shade}"
    return f"{brand} {adj} {feature} {noun} for {use}"


def _extra(
    i: int, rnd: Callable[[], float], words: tuple[str, str, str, str, str, str], first_h1: bool
) -> str:
    """The i-th optional description sentence; `first_h1` says whether the opening left h1 unsaid."""
    h1, h3, use1, use2, color, material = words
    if i == 0:
        return f"It offers {h3} and {h1}." if first_h1 else f"It also offers {h3}."
    if i == 1:
        return f"Ideal for {use1} and {use2}."
    if i == 2:
        return f"A great pick for {use2}, with {h3}."
    if i == 3:
        return f"Available in {color.lower()}." if color else f"Made with {material}."
    if i == 4:
        return f"Reviewers praise its {PRAISE[int(rnd() * len(PRAISE))]}."
    return f"Backed by a {WARRANTY_YEARS[int(rnd() * len(WARRANTY_YEARS))]}-year warranty."


class ProductTruth(NamedTuple):
    """What the generator knows about a row beyond its text: the yardstick for relevance judgments."""

    sku: str
    category: str
    brand: str
    noun: str
    adjective: str
    feature: str
    color: str  # "" in categories without a colour choice
    uses: tuple[str, str]
    price: float
    rating: float
    series: str  # the series the title or description names ("Pro", "Max 5"); "" when neither does
    written: tuple[str, ...]  # the feature and highlights the title or description writes


def _written(
    variant: int, opening: int, extras: tuple[int, ...], feature: str, highlights: tuple[str, str, str]
) -> tuple[str, ...]:
    """Which of the feature and the three drawn highlights the text writes (see `_title`, `_extra`)."""
    h1, h2, h3 = highlights
    said = [feature] if variant != 3 or opening == 0 else []
    if opening != 0:
        said += [h1, h2]
    if 0 in extras or 2 in extras:
        said.append(h3)
    if 0 in extras and opening == 0:
        said.append(h1)
    return tuple(dict.fromkeys(said))


def _row(rng: random.Random, number: int) -> tuple[dict[str, object], ProductTruth]:
    rnd = rng.random
    spec = _SPECS[bisect_right(_CUMULATIVE, rnd() * _TOTAL_WEIGHT)]
    cat = spec.category
    brands, nouns, adjectives, features = cat.brands, cat.nouns, cat.adjectives, cat.features
    brand_index = int(rnd() * len(brands))
    brand = brands[brand_index]
    noun = nouns[int(rnd() * len(nouns))]
    adj = adjectives[int(rnd() * len(adjectives))]
    feature = features[int(rnd() * len(features))]
    # Redraw words that repeat one another ('Espresso Espresso Machine', 'Ergonomic ... Ergonomic Chair').
    for _ in range(6):
        if not set(adj.lower().split()) & set(noun.lower().split()):
            break
        adj = adjectives[int(rnd() * len(adjectives))]
    for _ in range(6):
        if not set(feature.lower().split()) & set(f"{adj} {noun}".lower().split()):
            break
        feature = features[int(rnd() * len(features))]
    series = SERIES[int(rnd() * len(SERIES))]
    series_name = series
    if rnd() < 0.4:
        series = f"{series} {2 + int(rnd() * 8)}"
    color = cat.colors[int(rnd() * len(cat.colors))]
    material = cat.materials[int(rnd() * len(cat.materials))]
    h1, h2, h3 = _three(rnd, cat.highlights)
    use1, use2, _ = _three(rnd, cat.uses)
    shown_color = color if spec.has_colors else ""

    variant = int(rnd() * 5)
    title = _title(variant, brand, adj, feature, noun, series, shown_color, use1)
    adj_l = adj.lower()
    opening = int(rnd() * 3)
    if opening == 0:
        first = f"Meet the {brand} {series} {noun}: {adj_l} and {feature}, made from {material}."
    elif opening == 1:
        first = f"{brand} designed the {series} {noun} for {use1}, pairing {h1} with {h2}."
    else:
        first = f"Crafted from {material}: the {adj_l} {brand} {noun}, with {h1} and {h2}."
    combos = _EXTRA_COMBOS[int(rnd() * 3)]
    words = (h1, h3, use1, use2, shown_color, material)
    chosen = combos[int(rnd() * len(combos))]
    description = " ".join([first, *(_extra(i, rnd, words, opening == 0) for i in chosen)])
    written = _written(variant, opening, chosen, feature, (h1, h2, h3))
    series_named = series if variant in (1, 3) or opening in (0, 1) else ""

    log_price = spec.log_median + math.log(
        spec.brand_factors[brand_index] * SERIES_PRICE.get(series_name, 1.0)
    )
    gauss = rng.gauss
    price = _shop_price(math.exp(gauss(log_price, cat.price_sigma)))
    rating = round(min(5.0, max(1.0, 5.0 - rng.gammavariate(1.5, 0.6))), 1)
    age_seconds = int(rnd() * _AGE_SPAN_SECONDS)
    age_days = age_seconds / 86400
    # Older and better-rated products gather more reviews; the counts are heavy-tailed.
    mu = 1.2 + 0.55 * math.log1p(age_days / 14) + 0.6 * (rating - 4.1)
    review_count = 1 + int(math.exp(gauss(mu, 1.4)))
    recency = 1.0 + 2.0 * math.exp(-age_days / 45)
    popularity = round(
        3.0 * review_count**0.85 * (rating / 4.1) ** 4 * recency * math.exp(gauss(0.0, 0.5)), 2
    )
    seconds = _SECONDS_OF_DAY_AT_REFERENCE - age_seconds  # negative: days before the reference date
    day, second = divmod(seconds, 86400)
    minute, second = divmod(second, 60)
    created_at = f"{_DAYS_BACK[-day]}T{minute // 60:02d}:{minute % 60:02d}:{second:02d}+00:00"
    sku = f"{cat.code}-{number:07d}"

    row: dict[str, object] = {
        "sku": sku,
        "title": title,
        "description": description,
        "category": cat.name,
        "brand": brand,
        "price": price,
        "rating": rating,
        "review_count": review_count,
        "popularity": popularity,
        "image_url": f"/img/{spec.slug}/{sku}.jpg",
        "created_at": created_at,
    }
    for position, (name, values) in enumerate(spec.attributes):
        if position >= 2 and rnd() < 0.5:
            continue
        if name == "color":
            row[name] = color
        elif name == "material":
            row[name] = material
        else:
            row[name] = values[int(rnd() * len(values))]
    truth = ProductTruth(
        sku,
        cat.name,
        brand,
        noun,
        adj,
        feature,
        shown_color,
        (use1, use2),
        price,
        rating,
        series_named,
        written,
    )
    return row, truth


def generate_catalog(count: int, seed: int = 42) -> Iterator[dict[str, object]]:
    """Yield `count` import rows; the same seed gives the same rows, and a larger count extends a smaller one."""
    if count < 0:
        raise ValueError("count must not be negative")
    for row, _ in generate_with_truth(count, seed):
        yield row


def generate_with_truth(count: int, seed: int = 42) -> Iterator[tuple[dict[str, object], ProductTruth]]:
    """The rows of `generate_catalog` with what each was made of."""
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    for number in range(1, count + 1):
        yield _row(rng, number)


def write_catalog(path: Path, count: int, seed: int = 42) -> int:
    """Write a generated catalog as `.jsonl` (or `.ndjson`) or `.csv`, chosen by the suffix; return the rows written.

    The CSV header holds the product fields and then every attribute the generator can produce;
    a row leaves the attributes it lacks empty.
    """
    suffix = path.suffix.lower()
    if suffix not in {".jsonl", ".ndjson", ".csv"}:
        raise ValueError(f"unsupported catalog file suffix {path.suffix!r}: use .jsonl or .csv")
    written = 0
    if suffix == ".csv":
        header = [*BASE_FIELDS, *attribute_names()]
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            for row in generate_catalog(count, seed):
                writer.writerow([row.get(name, "") for name in header])
                written += 1
        return written
    encoder = msgspec.json.Encoder()
    with path.open("wb") as out:
        for row in generate_catalog(count, seed):
            out.write(encoder.encode(row) + b"\n")
            written += 1
    return written
