"""Recognising a category named in the query, from the catalog's own category names."""

from collections.abc import Sequence

import msgspec

from domain.search.query import ParsedQuery, typed_phrase
from domain.search.text import analyze


def recognize_category(query: ParsedQuery, categories: Sequence[str]) -> tuple[str | None, ParsedQuery]:
    """Find the longest run of plain query words that spells a category; return it and the rest.

    Words joined by OR are never taken. Names are compared as stems without stop words, so
    'running shoe' finds 'Running Shoes' and 'home kitchen' finds 'Home & Kitchen'.
    """
    phrases = [typed_phrase(c) for c in query.clauses]
    stems: list[tuple[str, ...] | None] = [p.stems if p is not None else None for p in phrases]
    best: tuple[int, int, int, str] | None = None
    for name in categories:
        target = tuple(analyze(name, drop_stopwords=True))
        if not target:
            continue
        for start in range(len(stems)):
            collected: tuple[str, ...] = ()
            end = start
            while end < len(stems) and len(collected) < len(target):
                part = stems[end]
                if part is None:
                    break
                collected += part
                end += 1
            if collected == target and (best is None or len(target) > best[0]):
                best = (len(target), start, end, name)
    if best is None:
        return None, query
    _, start, end, name = best
    rest = query.clauses[:start] + query.clauses[end:]
    return name, msgspec.structs.replace(query, clauses=rest)
