"""Graded judgments for the demo catalog, from what the generator made each product of.

A query names a category and one or two qualifiers (a feature, a brand, a colour, a use, a price
ceiling). A product's grade comes from its true make-up (`ProductTruth`), never from the engine:

    2  the right category and every qualifier holds
    1  the right category and some, not all, of two qualifiers hold
    0  anything else (not listed)

Queries whose exact set is under 3 products are not asked (too few to rank); the choice of
queries is seeded, so the same catalog and seed always give the same file. After these come the
harder kinds of `simulation.judgment_kinds` (measurements, model numbers, typos, compounds, long
descriptive queries), drawn from their own seeded streams so that the queries above stay as they were.
"""

import random
from collections.abc import Callable, Sequence
from typing import Final

from domain.evaluation.judgments import Judgments
from simulation.catalog.generator import ProductTruth, generate_with_truth
from simulation.clicks import relevance
from simulation.judgment_kinds import hard_judgments
from simulation.queries import Intent
from simulation.shoppers import ProductView, Shopper, taste_fit

PRICE_STEPS: Final = (10, 15, 20, 25, 30, 40, 50, 60, 75, 100, 150, 200, 250, 300, 400, 500, 600,
                      750, 1000, 1500, 2000)  # fmt: skip
MIN_EXACT: Final = 3
KINDS: Final = ("feature", "brand", "price", "color", "use", "brand+feature", "feature+price", "color+brand")

Qualifier = tuple[str, Callable[[ProductTruth], bool]]  # the words it adds, and whether it holds


def _price_ceiling(prices: Sequence[float]) -> int:
    """A round ceiling a little under the category's median price."""
    median = sorted(prices)[len(prices) // 2]
    return min(PRICE_STEPS, key=lambda step: abs(step - 0.8 * median))


def _qualifiers(kind: str, pick: ProductTruth, items: Sequence[ProductTruth]) -> list[Qualifier]:
    ceiling = _price_ceiling([t.price for t in items])
    one: dict[str, Qualifier] = {
        "feature": (pick.feature.lower(), lambda t: t.feature == pick.feature),
        "brand": (pick.brand.lower(), lambda t: t.brand == pick.brand),
        "color": (pick.color.lower(), lambda t: t.color == pick.color),
        "use": (f"for {pick.uses[0]}", lambda t: pick.uses[0] in t.uses),
        "price": (f"under {ceiling}", lambda t: t.price < ceiling),
    }
    return [one[part] for part in kind.split("+")]


def _query(kind: str, category: str, qualifiers: list[Qualifier]) -> str:
    words = {k: q[0] for k, q in zip(kind.split("+"), qualifiers, strict=True)}
    before = " ".join(words[k] for k in ("color", "brand", "feature") if k in words)
    after = " ".join(words[k] for k in ("use", "price") if k in words)
    return " ".join(part for part in (before, category.lower(), after) if part)


def judgments_by_kind(
    truths: Sequence[ProductTruth], *, queries_per_category: int = 4, per_kind: int = 10, seed: int = 7
) -> dict[str, Judgments]:
    """Kind -> its judgments: "attribute" (the category-and-qualifier queries above), then the harder kinds."""
    kinds = {"attribute": _attribute_judgments(truths, queries_per_category, seed)}
    kinds.update(hard_judgments(truths, per_kind=per_kind, seed=seed))
    return kinds


def judgments_from_truth(
    truths: Sequence[ProductTruth], *, queries_per_category: int = 4, per_kind: int = 10, seed: int = 7
) -> Judgments:
    """Every kind's judgments in one set, the attribute queries first (a query asked twice is kept once)."""
    judgments: Judgments = {}
    kinds = judgments_by_kind(truths, queries_per_category=queries_per_category, per_kind=per_kind, seed=seed)
    for kind in kinds.values():
        for query, graded in kind.items():
            judgments.setdefault(query, graded)
    return judgments


def _attribute_judgments(truths: Sequence[ProductTruth], queries_per_category: int, seed: int) -> Judgments:
    rng = random.Random(seed)
    by_category: dict[str, list[ProductTruth]] = {}
    for truth in truths:
        by_category.setdefault(truth.category, []).append(truth)
    judgments: Judgments = {}
    for category in sorted(by_category):
        items = by_category[category]
        kinds = [k for k in KINDS if "color" not in k or any(t.color for t in items)]
        asked = 0
        for _ in range(queries_per_category * 6):  # bounded tries: some picks give too few products
            if asked == queries_per_category:
                break
            kind = rng.choice(kinds)
            qualifiers = _qualifiers(kind, rng.choice(items), items)
            query = _query(kind, category, qualifiers)
            if query in judgments:
                continue
            graded: dict[str, int] = {}
            for t in items:
                held = sum(1 for _, holds in qualifiers if holds(t))
                if held == len(qualifiers):
                    graded[t.sku] = 2
                elif held and len(qualifiers) > 1:
                    graded[t.sku] = 1
            if sum(1 for g in graded.values() if g == 2) >= MIN_EXACT:
                judgments[query] = graded
                asked += 1
    return judgments


def demo_judgments(products: int = 5000, catalog_seed: int = 42, seed: int = 7) -> Judgments:
    """The judgment set of the demo catalog (`generate_catalog(products, catalog_seed)`)."""
    truths = [truth for _, truth in generate_with_truth(products, catalog_seed)]
    return judgments_from_truth(truths, seed=seed)


TASTE_GRADES: Final = ((0.85, 3), (0.75, 2), (0.6, 1))  # taste fit at least this -> grade


def judgments_from_tastes(truths: Sequence[ProductTruth], segment: str) -> Judgments:
    """What a segment's typical shopper would find relevant, from their hidden tastes.

    For each of the segment's categories, two queries: the category's name, and the name with a
    price ceiling a little above the segment's preferred price. Within the category (and under the
    ceiling), a product's grade is its taste fit for the segment's typical member, cut at
    TASTE_GRADES; products below the lowest cut are not listed.
    """
    from simulation.queries import ROUND_PRICES
    from simulation.shoppers import SEGMENTS, segment_member

    chosen = next((s for s in SEGMENTS if s.name == segment), None)
    if chosen is None:
        raise ValueError(f"unknown segment {segment!r}: one of {', '.join(s.name for s in SEGMENTS)}")
    member = segment_member(chosen)
    judgments: Judgments = {}
    for category in chosen.categories:
        ceiling = min(ROUND_PRICES, key=lambda p: abs(p - 1.2 * member.preferred_price(category)))
        for query, limit in ((category.lower(), None), (f"{category.lower()} under {ceiling}", ceiling)):
            graded: dict[str, int] = {}
            for t in truths:
                if t.category != category or (limit is not None and t.price >= limit):
                    continue
                fit = taste_fit(member, ProductView(t.sku, t.category, t.brand, t.price, t.rating))
                grade = next((g for cut, g in TASTE_GRADES if fit >= cut), 0)
                if grade:
                    graded[t.sku] = grade
            if graded:
                judgments[query] = graded
    return judgments


def taste_grade(shopper: Shopper, product: ProductView, intent: Intent) -> int:
    """One shopper's grade of one result of their query, from their hidden tastes alone.

    The click model's relevance to what they asked for (the category sought, the price ceiling
    named, the brand named) times their taste fit, cut at TASTE_GRADES: the products this
    shopper would most likely click and buy grade highest.
    """
    value = relevance(product, intent) * taste_fit(shopper, product)
    return next((g for cut, g in TASTE_GRADES if value >= cut), 0)
