"""The harder query kinds of the demo judgments: each graded from what the generator made and wrote."""

import random
import re

import pytest

from simulation.catalog.generator import ProductTruth, generate_with_truth
from simulation.judgment_kinds import KNOWN_WORDS, measurements, typo, written_measurements
from simulation.judgments import judgments_by_kind, judgments_from_truth

Kinds = dict[str, dict[str, dict[str, int]]]


@pytest.fixture(scope="module")
def truths() -> dict[str, ProductTruth]:
    return {t.sku: t for _, t in generate_with_truth(2000)}


@pytest.fixture(scope="module")
def kinds(truths: dict[str, ProductTruth]) -> Kinds:
    return judgments_by_kind(list(truths.values()))


def _category(query: str, graded: dict[str, int], truths: dict[str, ProductTruth]) -> str:
    categories = {truths[sku].category for sku in graded}
    assert len(categories) == 1, query
    return next(iter(categories))


def _in_category(category: str, truths: dict[str, ProductTruth]) -> list[ProductTruth]:
    return [t for t in truths.values() if t.category == category]


def _one_slip(word: str, slip: str) -> bool:
    """Two neighbours swapped, or one letter dropped or doubled."""
    if len(slip) == len(word):
        diff = [i for i, (a, b) in enumerate(zip(word, slip, strict=True)) if a != b]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and sorted(word) == sorted(slip)
    shorter, longer = sorted((word, slip), key=len)
    return len(longer) - len(shorter) == 1 and any(
        longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer))
    )


def test_measurements_read_number_and_unit_as_the_vocabulary_writes_them() -> None:
    assert measurements("a 5000 mAh battery") == {("5000", "mah"): True}
    assert measurements("65W fast charging") == {("65", "w"): False}
    assert measurements("USB-C with 90W power delivery") == {("90", "w"): False}
    assert measurements("broad-spectrum SPF 50 protection") == {("50", "spf"): True}
    assert measurements("a 500 Wh removable battery, 4K 60fps video") == {
        ("500", "wh"): True,
        ("60", "fps"): False,
    }
    assert measurements("4K gaming at 120 frames per second, Thunderbolt 4 ports, 2-in-1") == {}


def test_a_typo_is_one_slip_inside_the_word_and_no_other_word() -> None:
    rng = random.Random(3)
    for word in ("northpeak", "headphones", "stretch", "kairo", "carbon"):
        for _ in range(30):
            slip = typo(word, rng)
            assert slip != word and slip not in KNOWN_WORDS
            assert slip[0] == word[0] and slip[-1] == word[-1]
            assert _one_slip(word, slip) and (len(slip) != len(word) or len(word) >= 6)
    assert typo("headphones", random.Random(5)) == typo("headphones", random.Random(5))


def test_every_kind_is_asked(kinds: Kinds) -> None:
    assert list(kinds) == ["attribute", "measurement", "model", "typo", "compound", "long"]
    assert len(kinds["measurement"]) >= 8
    assert all(len(kinds[k]) == 10 for k in ("model", "typo", "compound", "long"))


def test_a_measurement_query_grades_the_products_whose_text_writes_it(
    kinds: Kinds, truths: dict[str, ProductTruth]
) -> None:
    joined = split = 0
    for query, graded in kinds["measurement"].items():
        category = _category(query, graded, truths)
        asked = query.removesuffix(f" {category.lower()}")
        spf = re.fullmatch(r"spf ?(\d+)", asked)
        if spf:
            key = (spf[1], "spf")
        else:
            number, unit = re.fullmatch(r"(\d+) ?([a-z]+)", asked).groups()  # type: ignore[union-attr]
            key = (number, {"watt": "w"}.get(unit, unit))
        writing = {t.sku for t in _in_category(category, truths) if key in written_measurements(t)}
        # Asked with the spacing the text does not use ("5000 mAh" -> "5000mah", "65W" -> "65 w").
        apart = {
            m[key] for sku in writing for phrase in truths[sku].written if key in (m := measurements(phrase))
        }
        assert apart == {" " not in asked}
        assert set(graded) == writing and set(graded.values()) == {2} and len(writing) >= 3
        joined += " " not in asked
        split += " " in asked
    assert joined and split


def test_a_model_query_names_a_numbered_series(kinds: Kinds, truths: dict[str, ProductTruth]) -> None:
    forms = set()
    for query, graded in kinds["model"].items():
        category = _category(query, graded, truths)
        asked = query.removesuffix(f" {category.lower()}")
        name, number = re.fullmatch(r"([a-z]+) ?(\d)", asked).groups()  # type: ignore[union-attr]
        forms.add(" " in asked)
        series = next(t.series for t in truths.values() if t.series.lower() == f"{name} {number}")
        for t in _in_category(category, truths):
            expected = 2 if t.series == series else 1 if t.series.split(" ")[0] == series.split(" ")[0] else 0
            assert graded.get(t.sku, 0) == expected
        assert 2 in graded.values() and len(graded) >= 3
    assert forms == {True, False}


def test_a_typo_query_keeps_the_grades_of_the_query_spelt_right(
    kinds: Kinds, truths: dict[str, ProductTruth]
) -> None:
    correct = judgments_by_kind(list(truths.values()), per_kind=0)["attribute"]
    assert not set(kinds["typo"]) & set(correct)
    for query, graded in kinds["typo"].items():
        category = _category(query, graded, truths)
        pick = truths[next(iter(graded))]
        parts = {"brand": pick.brand, "feature": pick.feature}
        matched = []
        for part, words in parts.items():
            right = f"{words.lower()} {category.lower()}".split()
            if len(right) == len(query.split()):
                slipped = [(a, b) for a, b in zip(right, query.split(), strict=True) if a != b]
                if len(slipped) == 1 and _one_slip(*slipped[0]) and slipped[0][1] not in KNOWN_WORDS:
                    matched.append(part)
        assert len(matched) == 1, query
        same = {t.sku for t in _in_category(category, truths) if getattr(t, matched[0]) == parts[matched[0]]}
        assert set(graded) == same and set(graded.values()) == {2} and len(graded) >= 3


def test_a_compound_query_joins_or_splits_a_hyphenated_feature(
    kinds: Kinds, truths: dict[str, ProductTruth]
) -> None:
    forms = set()
    for query, graded in kinds["compound"].items():
        category = _category(query, graded, truths)
        asked = query.removesuffix(f" {category.lower()}")
        (feature,) = {truths[sku].feature for sku in graded}
        assert "-" in feature and asked in {
            feature.lower().replace("-", ""),
            feature.lower().replace("-", " "),
        }
        forms.add(" " in asked)
        assert set(graded) == {t.sku for t in _in_category(category, truths) if t.feature == feature}
        assert set(graded.values()) == {2} and len(graded) >= 3
    assert forms == {True, False}


def test_a_long_query_describes_one_product_and_grades_near_misses_one(
    kinds: Kinds, truths: dict[str, ProductTruth]
) -> None:
    for query, graded in kinds["long"].items():
        assert len(query.split()) >= 5
        category = _category(query, graded, truths)
        exact = [truths[sku] for sku, g in graded.items() if g == 2]
        assert exact
        pick = exact[0]
        described = f"{pick.color} {pick.adjective} {pick.feature} {pick.noun} for {pick.uses[0]}"
        assert query == described.strip().lower()
        for t in _in_category(category, truths):
            parts = (t.color == pick.color, t.adjective == pick.adjective, t.feature == pick.feature)
            missed = sum(not held for held in (*parts, t.noun == pick.noun, pick.uses[0] in t.uses))
            assert graded.get(t.sku, 0) == (2 if missed == 0 else 1 if missed == 1 else 0)


def test_kinds_are_seeded_apart_and_leave_the_attribute_queries_alone(
    truths: dict[str, ProductTruth],
) -> None:
    items = list(truths.values())
    alone = judgments_by_kind(items, per_kind=0)
    assert all(not alone[k] for k in ("model", "typo", "compound", "long"))
    full = judgments_by_kind(items)
    assert full["attribute"] == alone["attribute"]
    other = judgments_by_kind(items, seed=8)
    assert all(other[k] != full[k] for k in ("model", "typo", "long"))
    merged = judgments_from_truth(items)
    assert list(merged)[: len(full["attribute"])] == list(full["attribute"])
    assert len(merged) == sum(len(k) for k in full.values())
