"""What a product contributes to the search statistics, and the change between two versions."""

from collections import Counter
from dataclasses import dataclass, field

from domain.catalog.model import Product
from domain.search.text import JOINED_MARK, analyze_field, field_length


@dataclass(frozen=True)
class Analysed:
    title: list[str]
    meta: list[str]
    body: list[str]
    all_words: frozenset[str]
    title_words: frozenset[str]

    @property
    def stems(self) -> set[str]:
        return (set(self.title) | set(self.meta) | set(self.body)) - {JOINED_MARK}


def analyse(title: str, brand: str, category: str, description: str) -> Analysed:
    title_f = analyze_field(title)
    meta_f = analyze_field(brand, category)
    body_f = analyze_field(description)
    return Analysed(
        title=title_f.stems,
        meta=meta_f.stems,
        body=body_f.stems,
        all_words=_short(frozenset(title_f.words + meta_f.words + body_f.words)),
        title_words=_short(frozenset(title_f.words + meta_f.words)),
    )


def _short(found: frozenset[str]) -> frozenset[str]:
    """Words longer than the vocabulary column (64) are noise, not words to correct or complete."""
    if found and max(map(len, found)) > 64:
        return frozenset(w for w in found if len(w) <= 64)
    return found


def analyse_product(product: Product) -> Analysed:
    return analyse(product.title, product.brand, product.category, product.description)


@dataclass
class StatsDelta:
    """Changes to term and word counts and to the corpus totals, summed over a batch."""

    df: Counter[str] = field(default_factory=Counter)
    doc_words: Counter[str] = field(default_factory=Counter)
    title_words: Counter[str] = field(default_factory=Counter)
    doc_count: int = 0
    title_len: int = 0
    meta_len: int = 0
    body_len: int = 0

    def add(self, doc: Analysed, sign: int) -> None:
        # Counter.update/subtract count in C; this runs for every imported row.
        change = self.df.update if sign > 0 else self.df.subtract
        change(_short(frozenset(doc.stems)))
        (self.doc_words.update if sign > 0 else self.doc_words.subtract)(doc.all_words)
        (self.title_words.update if sign > 0 else self.title_words.subtract)(doc.title_words)
        self.doc_count += sign
        self.title_len += sign * field_length(doc.title)
        self.meta_len += sign * field_length(doc.meta)
        self.body_len += sign * field_length(doc.body)
