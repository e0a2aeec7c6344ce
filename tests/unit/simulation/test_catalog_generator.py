"""The synthetic demo catalog: deterministic, extendable, valid and realistic enough to search."""

import re
import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

import pytest

from adapters.files.catalog_reader import RowError, read_rows
from domain.catalog.rules import KNOWN_FIELDS, product_from_row
from simulation.catalog.generator import (
    DEMO_CATALOG_SIZE,
    REFERENCE_DATE,
    categories,
    generate_catalog,
    generate_with_truth,
    write_catalog,
)

NOW = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo() -> list[dict[str, object]]:
    return list(generate_catalog(DEMO_CATALOG_SIZE))


def test_the_demo_shop_has_five_thousand_products() -> None:
    assert DEMO_CATALOG_SIZE == 5000


def test_same_seed_same_rows_and_another_seed_other_rows() -> None:
    first = list(generate_catalog(300, seed=7))
    assert first == list(generate_catalog(300, seed=7))
    other = list(generate_catalog(300, seed=8))
    assert [r["title"] for r in other] != [r["title"] for r in first]


def test_a_larger_catalog_starts_with_the_smaller_one(demo: list[dict[str, object]]) -> None:
    assert list(generate_catalog(20_000))[:DEMO_CATALOG_SIZE] == demo
    assert list(generate_catalog(17, seed=3)) == list(islice(generate_catalog(1000, seed=3), 17))


def test_zero_rows_and_a_negative_count() -> None:
    assert list(generate_catalog(0)) == []
    with pytest.raises(ValueError):
        list(generate_catalog(-1))


def test_the_demo_shop_covers_at_least_24_real_categories(demo: list[dict[str, object]]) -> None:
    names = categories()
    assert len(names) >= 24 and len(set(names)) == len(names)
    assert {"Headphones", "Laptops", "Yoga Mats", "Sofas", "Dog Food"} <= set(names)
    seen = {row["category"] for row in demo}
    assert seen == set(names)
    assert len(seen) >= 24


def test_every_row_is_a_valid_product(demo: list[dict[str, object]]) -> None:
    for row in demo:
        product = product_from_row(row, NOW)  # raises InvalidProduct on any problem
        assert product.sku == row["sku"] and product.price == row["price"]
        assert 2 <= len(product.attributes) <= 4, row
        assert set(product.attributes) == set(row) - KNOWN_FIELDS


def test_skus_are_unique_and_follow_the_category_code(demo: list[dict[str, object]]) -> None:
    skus = [str(row["sku"]) for row in demo]
    assert len(set(skus)) == len(skus)
    assert all(re.fullmatch(r"[A-Z]{2}-\d{7}", sku) for sku in skus)
    assert skus[0].endswith("-0000001") and skus[-1].endswith(f"-{DEMO_CATALOG_SIZE:07d}")
    prefix = defaultdict(set)
    for row in demo:
        prefix[row["category"]].add(str(row["sku"])[:2])
    assert all(len(codes) == 1 for codes in prefix.values())
    assert len({next(iter(codes)) for codes in prefix.values()}) == len(prefix)


def test_prices_follow_the_category(demo: list[dict[str, object]]) -> None:
    prices: dict[object, list[float]] = defaultdict(list)
    for row in demo:
        price = row["price"]
        assert isinstance(price, float) and price > 0
        prices[row["category"]].append(price)
    median = {name: statistics.median(values) for name, values in prices.items()}
    assert 600 <= median["Laptops"] <= 1400
    assert 15 <= median["Yoga Mats"] <= 60
    assert median["Sofas"] > 10 * median["Skin Care"]
    assert median["Laptops"] > 10 * median["Yoga Mats"]
    # The spread within a category is wide (log-normal), yet categories stay apart.
    laptops = sorted(prices["Laptops"])
    assert laptops[-1] > 3 * laptops[len(laptops) // 2] > 9 * laptops[0]


def test_ratings_are_skewed_high(demo: list[dict[str, object]]) -> None:
    ratings = [float(str(row["rating"])) for row in demo]
    assert all(1.0 <= r <= 5.0 and round(r, 1) == r for r in ratings)
    assert 3.8 <= statistics.mean(ratings) <= 4.4
    assert statistics.median(ratings) > 4.0
    assert sum(r < 3.0 for r in ratings) < 0.1 * len(ratings)


def test_reviews_and_popularity_are_heavy_tailed_and_related(demo: list[dict[str, object]]) -> None:
    reviews = [int(str(row["review_count"])) for row in demo]
    assert min(reviews) >= 1
    assert max(reviews) > 20 * statistics.median(reviews)
    popularity = [float(str(row["popularity"])) for row in demo]
    assert max(popularity) > 20 * statistics.median(popularity)
    ranked = sorted(zip(reviews, popularity, strict=True))
    tenth = len(ranked) // 10
    assert statistics.mean(p for _, p in ranked[-tenth:]) > 10 * statistics.mean(p for _, p in ranked[:tenth])


def test_creation_dates_span_two_years_before_the_fixed_reference(demo: list[dict[str, object]]) -> None:
    assert datetime(2026, 11, 1, tzinfo=UTC) == REFERENCE_DATE
    dates = [datetime.fromisoformat(str(row["created_at"])) for row in demo]
    assert all(d.utcoffset() == timedelta(0) for d in dates)
    assert all(REFERENCE_DATE - timedelta(days=731) < d <= REFERENCE_DATE for d in dates)
    assert max(dates) - min(dates) > timedelta(days=700)
    assert len({d.date() for d in dates}) > 600


def test_text_is_varied_and_searchable(demo: list[dict[str, object]]) -> None:
    titles = [str(row["title"]) for row in demo]
    descriptions = [str(row["description"]) for row in demo]
    assert len(set(titles)) > 0.8 * len(titles)
    assert len(set(descriptions)) > 0.99 * len(descriptions)
    for row, title, description in zip(demo, titles, descriptions, strict=True):
        assert title.startswith(str(row["brand"]))
        assert 2 <= description.count(". ") + 1 <= 4 and description.endswith(".")
        assert str(row["brand"]) in description
    headphones = [r for r in demo if r["category"] == "Headphones"]
    assert sum("Headphones" in str(r["title"]) for r in headphones) > len(headphones) / 3
    # Words are shared across products, as in a real shop: "wireless" shows up in several categories.
    wireless = {r["category"] for r in demo if "wireless" in f"{r['title']} {r['description']}".lower()}
    assert len(wireless) >= 3
    brands_by_category: dict[object, set[object]] = defaultdict(set)
    for row in demo:
        brands_by_category[row["category"]].add(row["brand"])
    assert all(6 <= len(brands) <= 12 for brands in brands_by_category.values())
    assert brands_by_category["Headphones"] & brands_by_category["Speakers"]


def test_the_truth_says_what_the_text_writes() -> None:
    from simulation.catalog.vocabulary import CATEGORIES, SERIES
    from simulation.judgment_kinds import measurements, written_measurements

    vocabulary = {c.name: c for c in CATEGORIES}
    numbered = re.compile(rf"\b(?:{'|'.join(SERIES)}) \d(?![\w-])")  # not "Sport 2-in-1 Laptop"
    kinds_said: set[str] = set()
    for row, truth in generate_with_truth(3000):
        text = f"{row['title']} {row['description']}"
        category = vocabulary[truth.category]
        assert truth.written and set(truth.written) <= {truth.feature, *category.highlights}
        assert all(phrase.lower() in text.lower() for phrase in truth.written)
        kinds_said.update("feature" if p == truth.feature else "highlight" for p in truth.written)
        # The series is named exactly when the text names it; numbered ones are the only "Name N" in it.
        assert truth.series == "" or re.search(rf"\b{truth.series}\b", text)
        found = set(numbered.findall(text))
        assert found == ({truth.series} if " " in truth.series else set())
        # The measurements the truth lists are all those the text writes (no more, no fewer).
        assert written_measurements(truth) == set(measurements(text))
    assert kinds_said == {"feature", "highlight"}


def test_attributes_match_the_title(demo: list[dict[str, object]]) -> None:
    coloured = [r for r in demo if "color" in r and ", " in str(r["title"])]
    assert coloured
    assert all(str(r["title"]).endswith(f", {r['color']}") for r in coloured)


def test_generation_is_fast_enough_for_a_big_benchmark() -> None:
    # A sanity run, deliberately not a timed assertion: CI machines vary.
    started = time.perf_counter()
    count = sum(1 for _ in generate_catalog(20_000, seed=1))
    elapsed = time.perf_counter() - started
    assert count == 20_000
    print(f"generated {count / elapsed:,.0f} rows/s")


@pytest.mark.parametrize("name", ["catalog.jsonl", "catalog.csv"])
def test_written_catalog_reads_back_as_the_same_products(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    rows = list(generate_catalog(400, seed=5))
    assert write_catalog(path, 400, seed=5) == 400
    read = list(read_rows(path))
    assert not [item for item in read if isinstance(item, RowError)]
    expected_lines = list(range(1, 401)) if name.endswith(".jsonl") else list(range(2, 402))
    assert [item[0] for item in read if not isinstance(item, RowError)] == expected_lines
    for row, item in zip(rows, read, strict=True):
        assert not isinstance(item, RowError)
        assert set(item[1]) == set(row)  # the CSV leaves absent attributes empty, read back as absent
        assert product_from_row(item[1], NOW).title == product_from_row(row, NOW).title
        if name.endswith(".jsonl"):
            assert item[1] == row
        else:
            original, reread = product_from_row(row, NOW), product_from_row(item[1], NOW)
            assert (reread.price, reread.rating, reread.created_at) == (
                original.price,
                original.rating,
                original.created_at,
            )
            assert {k: str(v) for k, v in original.attributes.items()} == reread.attributes


def test_write_catalog_rejects_an_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="suffix"):
        write_catalog(tmp_path / "catalog.xml", 10)
    assert not (tmp_path / "catalog.xml").exists()
