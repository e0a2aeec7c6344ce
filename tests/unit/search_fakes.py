"""A small catalog and builders of SearchProducts over the in-memory fakes, shared by the search tests."""

from collections.abc import Sequence
from datetime import datetime

from application.catalog.manage_products import ListCategories
from application.search.dto import SearchConfig, SearchResult
from application.search.search_products import SearchProducts
from domain.catalog.model import Product
from domain.ranking.formula import FormulaRanker, FormulaWeights
from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct
from domain.ranking.ports import Ranker
from domain.search.scoring import FieldWeights
from tests.unit.fakes import (
    FakeCache,
    InMemoryProductRepository,
    InMemorySearchIndex,
    InMemoryVocabulary,
    make_product,
)

P = make_product


CATALOG = [
    P("H1", "Sony Wireless Headphones", 199.99, brand="Sony", category="Headphones", rating=4.6,
      review_count=1200, popularity=900, description="Noise cancelling over-ear headphones with a 30 hour battery"),
    P("H2", "Bose QuietComfort Headphones", 279.0, brand="Bose", category="Headphones", rating=4.7,
      review_count=800, popularity=700, description="Comfortable noise cancelling headphones"),
    P("H3", "JBL Tune Wired Headphones", 39.99, brand="JBL", category="Headphones", rating=4.1,
      review_count=300, popularity=400, description="Lightweight on-ear headphones, deep bass"),
    P("H4", "Anker Soundcore Earbuds", 45.0, brand="Anker", category="Headphones", rating=4.3,
      review_count=500, popularity=600, description="Wireless earbuds with a charging case"),
    P("S1", "Nike Pegasus Running Shoes", 120.0, brand="Nike", category="Running Shoes", rating=4.5,
      review_count=900, popularity=800, description="Responsive cushioning for daily runs"),
    P("S2", "Adidas Ultraboost Running Shoes", 180.0, brand="Adidas", category="Running Shoes", rating=4.4,
      review_count=700, popularity=650, description="Energy return for long runs"),
    P("S3", "Adidas Samba Sneakers", 90.0, brand="Adidas", category="Shoes", rating=4.8,
      review_count=1500, popularity=950, description="Classic leather sneakers"),
    P("K1", "Stainless Steel Travel Mug", 24.5, brand="Contigo", category="Kitchen", rating=4.2,
      review_count=200, popularity=300, description="Keeps coffee hot for hours"),
    P("K2", "Ceramic Tea Mug", 12.0, brand="Generic", category="Kitchen", rating=3.9,
      review_count=40, popularity=100, description="A simple mug for tea"),
    P("A1", "Aluminium Headphones Stand", 25.0, brand="Satechi", category="Accessories", rating=4.5,
      review_count=150, popularity=200, description="Desk stand for headphones"),
    P("A2", "Earbuds Case", 9.0, brand="Generic", category="Accessories", rating=4.0,
      review_count=30, popularity=50, description="Silicone cover for earbuds"),
    P("C1", "USB-C Charging Cable", 15.0, brand="Anker", category="Cables", rating=4.6,
      review_count=2000, popularity=850, description="Braided USB-C to USB-A cable"),
    P("C2", "Lightning Cable", 19.0, brand="Apple", category="Cables", rating=4.4,
      review_count=600, popularity=500, description="Charge and sync"),
]  # fmt: skip


# Every search reads the index: for tests that count its calls or search the same words twice.
UNCACHED = SearchConfig(result_ttl_seconds=0)


def build(
    config: SearchConfig | None = None, ranker: Ranker | None = None, catalog: Sequence[Product] = CATALOG
) -> tuple[SearchProducts, InMemorySearchIndex, FakeCache]:
    repo = InMemoryProductRepository(catalog)
    index = InMemorySearchIndex(repo)
    cache = FakeCache()
    search = SearchProducts(
        index=index,
        vocabulary=InMemoryVocabulary(repo),
        categories=ListCategories(repo, cache),
        ranker=ranker or FormulaRanker(FormulaWeights()),
        cache=cache,
        config=config or SearchConfig(),
        field_weights=FieldWeights(),
    )
    return search, index, cache


class AffinityRanker:
    """Orders by the shopper's category share, then text; remembers every context it saw."""

    def __init__(self) -> None:
        self.contexts: list[RankingContext] = []

    def rank(self, items: Sequence[ScoredProduct], context: RankingContext) -> list[RankedProduct]:
        self.contexts.append(context)
        shares = context.profile.categories if context.profile else {}
        scored = [
            RankedProduct(i.product, shares.get(i.product.category, 0.0) + i.text_score / 100) for i in items
        ]
        return sorted(scored, key=lambda r: (-r.score, r.product.sku))


class Recent:
    def __init__(self) -> None:
        self.since: list[datetime] = []

    async def counts(self, since: datetime) -> dict[str, float]:
        self.since.append(since)
        return {"K2": 7.0}


def skus(result: SearchResult) -> list[str]:
    return [hit.product.sku for hit in result.items]
