"""Which attributes are facets (discovery and the declaration), range buckets, and the facet entries."""

from domain.search.attribute_facets import (
    AttributeCount,
    AttributeProfile,
    CatalogProfile,
    FacetDeclaration,
    attribute_facets,
    bucket_edges,
    candidates,
    discovered,
    nice_step,
    numeric_entries,
)
from domain.search.model import FacetValue


def _profile(*attributes: AttributeProfile, products: int = 1000) -> CatalogProfile:
    return CatalogProfile(products=products, attributes=list(attributes))


def test_discovery_wants_few_values_on_many_products_of_the_catalog_or_of_a_category() -> None:
    profile = _profile(
        AttributeProfile("color", 600, 12, False, 0.9),  # common, few values
        AttributeProfile("seats", 50, 4, True, 1.0),  # rare overall, every sofa has it
        AttributeProfile("model", 900, 850, False, 1.0),  # a value per product
        AttributeProfile("weight_g", 800, 700, True, 1.0),  # many numbers: bucketed, so kept
        AttributeProfile("gift_note", 30, 3, False, 0.2),  # rare everywhere
        AttributeProfile("origin", 500, 1, False, 1.0),  # one value narrows nothing
        AttributeProfile("serial", 900, 5000, True, 1.0),  # more numbers than counting should read
    )
    assert discovered(profile) == ["color", "seats", "weight_g"]
    declaration = FacetDeclaration(declared=("gift_note",), excluded=("weight_g",))
    assert candidates(profile, declaration) == ["gift_note", "color", "seats"]


def test_nice_steps_and_edges_are_round_numbers() -> None:
    assert [nice_step(s) for s in (53, 10, 0.7, 1400, 0)] == [10.0, 2.0, 0.2, 250.0, 1.0]
    assert bucket_edges([32, 43, 55, 85]) == [40, 50, 60, 70, 80]
    assert bucket_edges([6.1, 6.4, 6.7, 6.8]) == [6.2, 6.4, 6.6]  # span 0.7: step 0.2
    assert all(len(bucket_edges([lo, lo + span])) <= 6 for lo in (0, 3.3, 97) for span in (1, 7, 55, 999))


def test_few_numbers_are_listed_and_many_are_bucketed_without_empty_buckets() -> None:
    assert numeric_entries([(3.0, 5), (2.0, 1), (5.0, 0)]) == [FacetValue("2", 1), FacetValue("3", 5)]
    sizes = [(32.0, 2), (40.0, 1), (43.0, 1), (48.0, 1), (50.0, 3), (55.0, 3), (58.0, 1),
             (65.0, 1), (70.0, 1), (85.0, 4)]  # fmt: skip
    assert numeric_entries(sizes) == [
        FacetValue("..40", 2), FacetValue("40..50", 3), FacetValue("50..60", 7),
        FacetValue("60..70", 1), FacetValue("70..80", 1), FacetValue("80..", 4),
    ]  # fmt: skip
    assert numeric_entries([]) == []


def _counts(name: str, *pairs: tuple[str, int]) -> list[AttributeCount]:
    return [AttributeCount(name, v, None, c) for v, c in pairs]


def test_shown_when_a_share_of_the_result_has_it_or_when_declared_or_chosen() -> None:
    counts = [
        *_counts("color", ("Red", 30), ("Blue", 50), ("Green", 0)),
        *_counts("fit", ("Slim", 5), ("Loose", 5)),  # 10 of 100: too few
        *_counts("origin", ("EU", 90)),  # one value
        *_counts("panel", ("OLED", 3), ("LED", 2)),
        AttributeCount("seats", "3", 3.0, 40), AttributeCount("seats", "2", 2.0, 20),
    ]  # fmt: skip
    shown = attribute_facets(counts, 100, always={"panel"}, size=20)
    assert list(shown) == ["panel", "color", "seats"]  # the wanted first, then by share
    assert shown["color"] == [FacetValue("Blue", 50), FacetValue("Red", 30)]
    assert shown["seats"] == [FacetValue("2", 20), FacetValue("3", 40)]
    top = attribute_facets(_counts("color", ("a", 3), ("b", 2), ("c", 1)), 6, set(), size=2)
    assert top == {"color": [FacetValue("a", 3), FacetValue("b", 2)]}
