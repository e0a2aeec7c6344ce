"""What a product contributes to the search statistics, and the change between two versions."""

from collections import Counter
from dataclasses import dataclass, field

from domain.catalog.model import Product
from domain.search.text import analyze_words, words


@dataclass(frozen=True)
class Analysed:
    title: list[str]
    meta: list[str]
    body: list[str]
    all_words: frozenset[str]
    title_words: frozenset[str]

    @property
    def stems(self) -> set[str]:
        return set(self.title) | set(self.meta) | set(self.body)


def analyse(title: str, brand: str, category: str, description: str) -> Analysed:
    title_w = words(title)
    meta_w = words(brand) + words(category)
    body_w = words(description)
    return Analysed(
        title=analyze_words(title_w),
        meta=analyze_words(meta_w),
        body=analyze_words(body_w),
        all_words=frozenset(w for w in title_w + meta_w + body_w if len(w) <= 64),
        title_words=frozenset(w for w in title_w + meta_w if len(w) <= 64),
    )


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
        for stem in doc.stems:
            if len(stem) <= 64:
                self.df[stem] += sign
        for w in doc.all_words:
            self.doc_words[w] += sign
        for w in doc.title_words:
            self.title_words[w] += sign
        self.doc_count += sign
        self.title_len += sign * len(doc.title)
        self.meta_len += sign * len(doc.meta)
        self.body_len += sign * len(doc.body)
