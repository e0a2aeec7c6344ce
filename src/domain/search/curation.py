"""Which rules apply to a search, and what they do to its ranked list.

Applied after ranking, whatever ranked it (both experiment arms get the same rules), in this order
over the ranked list:
1. hidden skus are removed, and pinned skus leave the place the ranker gave them;
2. boosts: within the first `WINDOW` items, each item's weights (the sum over the boosts
   whose filter it passes; negative buries) reorder them, highest first, ties kept in rank order;
   items beyond the window keep their order, so every page of a query agrees;
3. pins are placed at their absolute positions, lowest first (a position past the end of the list
   places the item last).
When several rules apply, their hides and boosts add up and the first rule (by id) pinning a sku or
a position wins.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Final, TypeVar

from domain.catalog.model import Product
from domain.search.model import SearchFilters
from domain.search.rules import BoostFilter, Pin, Rule, words
from domain.search.text import fold

WINDOW: Final = 100  # boosts reorder the first this many items; every curated search reads them

T = TypeVar("T")


def live(rule: Rule, now: datetime) -> bool:
    return (rule.starts_at is None or rule.starts_at <= now) and (rule.ends_at is None or now < rule.ends_at)


def _contains(query: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return n > 0 and any(query[i : i + n] == phrase for i in range(len(query) - n + 1))


def matching(rules: Sequence[Rule], text: str, category: str | None, now: datetime) -> list[Rule]:
    """The live rules triggered by this query text, or this category page (a category, no words)."""
    said = words(text)
    found = []
    for rule in sorted(rules, key=lambda r: r.id):
        if not live(rule, now):
            continue
        if rule.query is not None:
            hit = bool(said) and words(rule.query) == said
        elif rule.contains is not None:
            hit = _contains(said, words(rule.contains))
        else:
            hit = (
                not said
                and category is not None
                and rule.category is not None
                and fold(rule.category) == fold(category)
            )
        if hit:
            found.append(rule)
    return found


class Curation:
    """What the matching rules do together: hidden skus, pins by position, boosts."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.names = tuple(r.label for r in rules)
        self.hidden: set[str] = set()
        self.pins: list[Pin] = []
        self.boosts = [b for r in rules for b in r.boosts]
        taken: set[int] = set()
        for rule in rules:
            self.hidden.update(rule.hides)
        for rule in rules:
            for pin in rule.pins:
                pinned = {p.sku for p in self.pins}
                if pin.position not in taken and pin.sku not in pinned and pin.sku not in self.hidden:
                    taken.add(pin.position)
                    self.pins.append(pin)
        self.pins.sort(key=lambda p: p.position)

    @property
    def pinned(self) -> set[str]:
        return {p.sku for p in self.pins}

    @property
    def reach(self) -> int:
        """How many more ranked items than a page's end the rules may need to fill it."""
        return len(self.hidden) + len(self.pins)

    def weight(self, product: Product) -> float:
        return sum(b.weight for b in self.boosts if passes(product, b.filter))

    def apply(self, ranked: Sequence[T], product: Callable[[T], Product], placed: dict[str, T]) -> list[T]:
        """The ranked items curated; `placed` holds the pinned items to insert, by sku (a pin whose
        item is missing from it is skipped)."""
        pinned = self.pinned
        kept = [r for r in ranked if product(r).sku not in self.hidden and product(r).sku not in pinned]
        if self.boosts:
            head = kept[:WINDOW]
            order = sorted(range(len(head)), key=lambda i: (-self.weight(product(head[i])), i))
            kept = [head[i] for i in order] + kept[WINDOW:]
        for pin in self.pins:
            if pin.sku in placed:
                kept.insert(min(pin.position, len(kept) + 1) - 1, placed[pin.sku])
        return kept


def passes(product: Product, f: BoostFilter) -> bool:
    if f.brand is not None and fold(product.brand) != fold(f.brand):
        return False
    if f.category is not None and fold(product.category) != fold(f.category):
        return False
    if f.min_price is not None and product.price < f.min_price:
        return False
    if f.max_price is not None and product.price > f.max_price:
        return False
    if f.attribute is not None:
        value = product.attributes.get(f.attribute.name)
        if isinstance(value, str) and isinstance(f.attribute.value, str):
            return fold(value) == fold(f.attribute.value)
        return value == f.attribute.value and value is not None
    return True


def within(product: Product, filters: SearchFilters) -> bool:
    """Whether a product passes the shopper's own filters (a pin never breaks them)."""
    return (
        (filters.category is None or fold(product.category) == fold(filters.category))
        and (filters.brand is None or fold(product.brand) == fold(filters.brand))
        and (filters.min_price is None or product.price >= filters.min_price)
        and (filters.max_price is None or product.price <= filters.max_price)
        and (filters.min_rating is None or product.rating >= filters.min_rating)
        and all(f.holds(product.attributes) for f in filters.attributes)
    )
