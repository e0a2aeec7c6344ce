"""What each experiment arm does to the ranking, decided once in one table.

Search asks an arm's policy how to order its results and never compares arm names, so a new arm
is a row in `ranking_policies`. An arm not in the table (one named only in the settings) ranks
like the treatment: the ranker orders its results.

Every arm logs the ranker's features with its impressions, the control arm's too: an order blind
to taste is the cleanest evidence of taste the ranker can learn from. So that is not a decision.
"""

from collections.abc import Mapping
from types import MappingProxyType

import msgspec

from domain.experiments.model import PERSONALIZED_ARM, POPULARITY_ARM
from domain.search.model import SortKey


class RankingPolicy(msgspec.Struct, frozen=True, kw_only=True):
    # How results sorted by relevance are ordered: "relevance" is the ranker's order; another
    # sort key serves the same text matches in that stored order instead.
    relevance_order: SortKey = "relevance"
    # Whether a category or filters without words, sorted by relevance, has its most popular
    # matches ordered by the ranker (else the stored order serves it).
    rank_browse: bool = True

    def order(self, sort: SortKey) -> SortKey:
        """The order a requested sort is served in."""
        return self.relevance_order if sort == "relevance" else sort


RANKED = RankingPolicy()
BY_POPULARITY = RankingPolicy(relevance_order="popularity", rank_browse=False)


def ranking_policies() -> Mapping[str, RankingPolicy]:
    """Each arm's policy: the one place an arm name decides behaviour."""
    return MappingProxyType({PERSONALIZED_ARM: RANKED, POPULARITY_ARM: BY_POPULARITY})


_POLICIES = ranking_policies()


def policy_for(arm: str | None) -> RankingPolicy:
    """The arm's policy; no arm, or one not in the table, is ranked."""
    return _POLICIES.get(arm or "", RANKED)
