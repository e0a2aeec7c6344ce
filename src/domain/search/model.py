"""What the search index is asked and what it answers."""

from typing import Literal

import msgspec

from domain.catalog.model import Product
from domain.search.attributes import AttributeFilter
from domain.search.query import ParsedQuery
from domain.search.sorting import SortKey as SortKey  # re-exported: other modules may import a model
from domain.search.text import STOPWORDS, analyze_words

Phrase = tuple[str, ...]  # stems that must stand together
_STOP_STEMS = frozenset(analyze_words(sorted(STOPWORDS)))


class SearchFilters(msgspec.Struct, frozen=True):
    category: str | None = None
    brand: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    min_rating: float | None = None
    attributes: tuple[AttributeFilter, ...] = ()  # every one must hold


class MatchSpec(msgspec.Struct, frozen=True):
    """Stemmed clauses (each a tuple of alternative phrases) and excluded phrases.

    mode 'all' needs every clause, 'any' at least one, 'all_but_one' every clause but at most one
    (the products of the first two tiers of a partial match); a word starting with any of
    `prefixes` is needed as well (as-you-type suggestions).
    """

    clauses: tuple[tuple[Phrase, ...], ...] = ()
    excluded: tuple[Phrase, ...] = ()
    mode: Literal["all", "any", "all_but_one"] = "all"
    prefixes: tuple[str, ...] = ()
    optional: tuple[Phrase, ...] = ()  # scored a little in titles, never required (stop words)
    # Clauses whose first phrase was typed and the others are its synonyms: kept whole by
    # `loosened`, and each synonym scored with the typed phrase's weight.
    synonyms: tuple[tuple[Phrase, ...], ...] = ()

    @property
    def has_text(self) -> bool:
        return bool(self.clauses) or bool(self.prefixes)

    def stems(self) -> set[str]:
        return {s for clause in self.clauses for phrase in clause for s in phrase}


def match_spec(query: ParsedQuery, mode: Literal["all", "any"] = "all") -> MatchSpec:
    clauses = []
    synonyms = []
    for clause in query.clauses:
        alternatives = tuple(t.stems for t in clause.alternatives if t.stems)
        if alternatives:
            clauses.append(alternatives)
            if clause.synonyms and clause.alternatives[0].stems:
                synonyms.append(alternatives)
    excluded = tuple(t.stems for t in query.excluded if t.stems)
    optional = tuple(dict.fromkeys(t.stems for t in query.optional if t.stems))
    return MatchSpec(
        clauses=tuple(clauses), excluded=excluded, mode=mode, optional=optional, synonyms=tuple(synonyms)
    )


def loosened(spec: MatchSpec) -> MatchSpec:
    """The spec with each compound clause ('edge9' as `edg 9` or `edge9`, 'usb-c' as `usb c` or
    `usbc`) split into one clause per word of its phrase, stop words left out.

    The lower tiers match and rank on these: a product of the 'Edge 3' line is a partial match of
    'edge9', which the phrase alone would not give any credit. A clause with synonyms stays
    whole: 'couch' OR "sofa bed" is not two words to find.
    """
    clauses: list[tuple[Phrase, ...]] = []
    for clause in spec.clauses:
        phrase = next((p for p in clause if len(p) > 1), None)
        if clause in spec.synonyms:
            clauses.append(clause)
            continue
        # A compound has its joined form beside its words; a quoted phrase stands alone and
        # stays the shopper's demand that the words stand together.
        if phrase is not None and any(len(p) == 1 for p in clause):
            words = [s for s in phrase if s not in _STOP_STEMS] or list(phrase)
            clauses.extend(((s,),) for s in words)
        else:
            clauses.append(clause)
    return msgspec.structs.replace(spec, clauses=tuple(dict.fromkeys(clauses)))


class Candidate(msgspec.Struct, frozen=True):
    """A matching product as scoring and ranking see it, with its analysed fields (stems joined by spaces).

    `product` is narrow: it holds what ranking and sorting read (sku, category, brand, price,
    rating, review_count, popularity, created_at) and leaves title, description, image and
    attributes empty, which would cost more to read than to score. `id` fetches the full product
    (`SearchIndex.products`) for the page that is answered.
    """

    id: int
    product: Product
    title_terms: str
    meta_terms: str
    body_terms: str


class GroupCount(msgspec.Struct, frozen=True, array_like=True):
    """How many matches share one category and brand, and their price range."""

    category: str
    brand: str
    count: int
    min_price: float
    max_price: float


class MatchCounts(msgspec.Struct, frozen=True, array_like=True):
    """Every match counted, by category and brand: the total and the facets come from it exactly."""

    groups: list[GroupCount]

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


class FacetValue(msgspec.Struct, frozen=True):
    value: str
    count: int


class PriceRange(msgspec.Struct, frozen=True):
    min: float | None = None
    max: float | None = None


class Facets(msgspec.Struct, frozen=True):
    category: list[FacetValue]
    brand: list[FacetValue]
    price: PriceRange
    attributes: dict[str, list[FacetValue]] = msgspec.field(default_factory=dict)
    exact: bool = True  # every match counted (the contract's `total_exact`)


class IndexStats(msgspec.Struct, frozen=True):
    doc_count: int
    avg_title: float
    avg_meta: float
    avg_body: float


class WordCount(msgspec.Struct, frozen=True):
    word: str
    count: int
