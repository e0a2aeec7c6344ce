"""Inputs and outputs of the search use cases."""

import msgspec

from domain.catalog.model import Product
from domain.search.attributes import AttributeFilter
from domain.search.model import Facets
from domain.search.sorting import SortKey


class SearchRequest(msgspec.Struct, frozen=True, kw_only=True):
    q: str = ""
    category: str | None = None
    brand: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    min_rating: float | None = None
    attributes: tuple[AttributeFilter, ...] = ()  # `attr.<name>=<value>`: each must hold
    sort: SortKey | None = None  # None: relevance, unless the query asks for an order
    page: int = 1
    per_page: int = 12
    visitor_id: str | None = None
    arm: str | None = None


class Interpretation(msgspec.Struct, frozen=True):
    category: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    sort: str | None = None


class QueryEcho(msgspec.Struct, frozen=True):
    text: str
    corrected: str | None
    interpreted: Interpretation
    relaxed: bool = False  # True when products without every word are shown (tiers 2 and 3)
    rules: tuple[str, ...] = ()  # the names of the curation rules applied


class SearchHit(msgspec.Struct, frozen=True):
    product: Product
    score: float
    position: int
    highlight_title: str
    features: tuple[float, ...] = ()
    tier: int = 1  # 1: every word; 2: all but one; 3: any word
    pinned: bool = False  # placed by a curation rule's pin


class SearchResult(msgspec.Struct, frozen=True):
    search_id: str
    query: QueryEcho
    items: list[SearchHit]
    total: int
    page: int
    per_page: int
    pages: int
    facets: Facets


class SearchConfig(msgspec.Struct, frozen=True):
    candidate_limit: int = 300
    facet_size: int = 20
    broad_share: float = 0.02  # a match set this share of the catalog is served most-popular-first
    broad_min_matches: int = 1000  # ...when it is larger than this too
    counts_ttl_seconds: float = 600.0  # totals and facet counts, cached under the catalog version; 0: off
    max_page_size: int = 100
    stats_ttl_seconds: float = 60.0
    result_ttl_seconds: float = 300.0  # 0 turns the search result cache off
    fill_target: int = 100  # fewer products with every word than this: the lower tiers are appended
    tier_max_words: int = 8  # the rarest words that tiers 2 and 3 are read with
    any_word_budget: int = 3000  # at most this many products are text-ranked for tier 3
    synonyms_ttl_seconds: float = 60.0  # how long a process keeps the synonyms it read (see CurrentSynonyms)
    attribute_profile_ttl_seconds: float = (
        300.0  # how long the catalog's attribute profile is kept (see FacetAttributes)
    )
    rules_ttl_seconds: float = 60.0  # how long a process keeps the curation rules it read (see CurrentRules)
