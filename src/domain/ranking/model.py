import msgspec

from domain.catalog.model import Product
from domain.ranking.profile import ShopperProfile


class RankingContext(msgspec.Struct, frozen=True):
    """Who is asking; the learned ranker reads the visitor, the formula does not."""

    visitor_id: str | None = None
    arm: str | None = None
    # Filled for the learned ranker: the shopper's profile (None when anonymous or unknown) and
    # recent event counts per sku.
    profile: ShopperProfile | None = None
    recent_popularity: dict[str, float] = msgspec.field(default_factory=dict)


class ScoredProduct(msgspec.Struct, frozen=True):
    product: Product
    text_score: float = 0.0


class RankedProduct(msgspec.Struct, frozen=True):
    product: Product
    score: float
