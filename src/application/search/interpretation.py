"""Doubting the query's price and sort phrases: 'air max 90' names a shoe, not a price cap.

A phrase of two or more words with no currency or comparison sign ('max 90', 'under 5', 'top
rated', 'best sellers') is taken as words when the catalog has a product with those words
standing together and the query's other words: the phrase then reads as part of a product's
name. One existence check per such phrase (a query holds at most a handful of them). A single
sort word ('cheap', 'newest') says too little to doubt this way, and a marked price ('under
$50', '<= 30') is meant as one. What this misses is caught after the search: a price phrase
whose filter leaves nothing is searched as words instead (`SearchProducts`).
"""

from domain.search.model import MatchSpec, SearchFilters, match_spec
from domain.search.ports import SearchIndex
from domain.search.query import ParsedQuery, Term


async def named_phrases(
    index: SearchIndex, query: ParsedQuery, filters: SearchFilters
) -> list[tuple[str, ...]]:
    """The words of the interpreted phrases that products are named with, to be taken as words."""
    rest = match_spec(query)
    named: list[tuple[str, ...]] = []
    for phrase in query.interpreted:
        if phrase.explicit or len(phrase.words) < 2:
            continue
        stems = Term(phrase.words).stems
        spec = MatchSpec(clauses=(*rest.clauses, (stems,)), excluded=rest.excluded)
        if await index.exists(spec, filters):
            named.append(phrase.words)
    return named
