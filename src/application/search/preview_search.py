"""An administrator's preview: a query's results as shoppers see them, and without the rules or
synonyms, to see what those change.

The shopper is an anonymous one of the control arm (no profile orders the page), as the arms differ
only in ranking and the rules apply alike in both. Nothing is recorded: no search log, impression or
event; the "without" answer is never read from the shopper result cache nor stored there.
"""

from dataclasses import dataclass
from typing import Literal

import msgspec

from application.search.dto import SearchRequest, SearchResult
from application.search.search_products import SearchProducts
from domain.experiments.model import CONTROL_ARM

Without = Literal["rules", "synonyms", "both"]


@dataclass(frozen=True)
class Preview:
    with_: SearchResult  # what a shopper gets
    without: SearchResult  # the same search with the rules and/or the synonyms turned off


class PreviewSearch:
    def __init__(self, search: SearchProducts) -> None:
        self._search = search

    async def __call__(self, request: SearchRequest, without: Without = "both") -> Preview:
        shopper = msgspec.structs.replace(request, visitor_id=None, arm=CONTROL_ARM)
        seen = await self._search(shopper)
        bare = await self._search(shopper, rules=without == "synonyms", synonyms=without == "rules")
        return Preview(with_=seen, without=bare)
