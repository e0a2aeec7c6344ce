"""The demo judgment set comes from the generator's truth, and the committed file is that output."""

from pathlib import Path

import pytest

from domain.evaluation.judgments import format_judgments, parse_judgments
from simulation.catalog.generator import generate_with_truth
from simulation.judgments import demo_judgments, judgments_by_kind, judgments_from_truth

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "demo_judgments.tsv"


def test_the_committed_file_is_what_the_generator_writes() -> None:
    assert FIXTURE.read_text(encoding="utf-8") == format_judgments(demo_judgments())


def test_grades_follow_the_true_attributes() -> None:
    truths = {t.sku: t for _, t in generate_with_truth(1500)}
    judgments = judgments_by_kind(list(truths.values()))["attribute"]
    assert len(judgments) >= 40
    for query, graded in judgments.items():
        exact = [truths[s] for s, g in graded.items() if g == 2]
        assert len(exact) >= 3
        categories = {truths[s].category for s in graded}
        assert len(categories) == 1 and next(iter(categories)).lower() in query
        for truth in exact:
            # Every qualifier word of the query describes the product (brand, feature, colour...).
            if f" {truth.brand.lower()} " in f" {query} ":
                assert all(truths[s].brand == truth.brand for s, g in graded.items() if g == 2)
            if "under " in query:
                ceiling = float(query.rsplit("under ", 1)[1])
                assert truth.price < ceiling
        # Products of the category that fit no qualifier are not listed.
        assert all(g in (1, 2) for g in graded.values())


def test_generation_is_deterministic_and_seeded() -> None:
    truths = [t for _, t in generate_with_truth(800)]
    assert judgments_from_truth(truths) == judgments_from_truth(truths)
    assert judgments_from_truth(truths, seed=1) != judgments_from_truth(truths, seed=2)
    text = format_judgments(judgments_from_truth(truths))
    assert parse_judgments(text.splitlines()) == judgments_from_truth(truths)


def test_taste_judgments_grade_by_the_segment_members_fit() -> None:
    from simulation.judgments import judgments_from_tastes
    from simulation.shoppers import SEGMENTS, ProductView, segment_member, taste_fit

    truths = {t.sku: t for _, t in generate_with_truth(2000)}
    segment = SEGMENTS[2]  # home cook
    judgments = judgments_from_tastes(list(truths.values()), segment.name)
    member = segment_member(segment)
    assert {q.split(" under ")[0] for q in judgments} <= {c.lower() for c in segment.categories}
    for query, graded in judgments.items():
        ceiling = float(query.split(" under ")[1]) if " under " in query else None
        fits = {}
        for sku in graded:
            t = truths[sku]
            assert t.category.lower() == query.split(" under ")[0]
            assert ceiling is None or t.price < ceiling
            fits[sku] = taste_fit(member, ProductView(sku, t.category, t.brand, t.price, t.rating))
            assert fits[sku] >= 0.6
        # A higher grade never has a lower fit than a lower grade.
        for a in graded:
            for b in graded:
                if graded[a] > graded[b]:
                    assert fits[a] > fits[b]
    with pytest.raises(ValueError, match="unknown segment"):
        judgments_from_tastes(list(truths.values()), "astronaut")
