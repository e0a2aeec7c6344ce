from collections.abc import Sequence
from typing import Protocol

from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct


class Ranker(Protocol):
    def rank(self, items: Sequence[ScoredProduct], context: RankingContext) -> list[RankedProduct]:
        """Order text matches, best first, with the score that ordered them."""
        ...
