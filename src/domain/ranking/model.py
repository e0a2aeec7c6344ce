import msgspec

from domain.catalog.model import Product


class RankingContext(msgspec.Struct, frozen=True):
    """Who is asking; the learned ranker reads the visitor, the formula does not."""

    visitor_id: str | None = None
    arm: str | None = None


class ScoredProduct(msgspec.Struct, frozen=True):
    product: Product
    text_score: float = 0.0


class RankedProduct(msgspec.Struct, frozen=True):
    product: Product
    score: float
