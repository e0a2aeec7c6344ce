"""Synonyms learned from shoppers: a query that found nothing worth a click, then another that did.

When a visitor's search gets no click and their next search, within `gap_seconds`, gets one, the
second query is likely what the first meant ('jaens' -> 'jeans', 'settee' -> 'sofa'). One visitor
counts once per pair. A pair is suggested when enough visitors made it (`support`) and the second
query follows the first far more often than it is searched with a click at all:

    lift(a -> b) = low(support(a -> b), visitors with an unclicked search for a)
                   / (visitors with a clicked search for b / visitors)

where low(k, n) is the lower end of the 95% Wilson interval of k in n: how often b follows a, at
least, so that three visitors out of five are not taken for a rule. Unrelated consecutive
queries have a lift near 1 or below (b follows a as often as b is searched anyway).
A second query that keeps every word of the first, or the reverse ('jeans' -> 'blue jeans'),
narrows or widens the search rather than naming the same thing, and one with the same stems
('jacket' -> 'jackets') is the same query: neither is counted.
"""

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Final, Literal

import msgspec

from domain.search.synonyms import MAX_TERM_LENGTH, MAX_TERM_WORDS
from domain.search.text import WORD_RE, analyze, fold

SuggestionStatus = Literal["pending", "accepted", "rejected"]
STATUSES: Final = ("pending", "accepted", "rejected")


class LoggedSearch(msgspec.Struct, frozen=True):
    visitor_id: str
    query: str
    at: datetime
    clicked: bool


class Suggestion(msgspec.Struct, frozen=True, kw_only=True):
    id: int = 0
    source: str  # the query that got no click
    target: str  # the one that followed it and got one
    support: int  # distinct visitors
    lift: float
    status: SuggestionStatus = "pending"


class MiningRules(msgspec.Struct, frozen=True):
    days: int = 30  # how far back the log is read
    gap_seconds: float = 300.0  # the next search must come within this
    min_support: int = 3
    min_lift: float = 3.0
    limit: int = 200  # suggestions kept per run, the best first


_Z: Final = 1.96


def wilson_low(k: int, n: int) -> float:
    """The lower end of the 95% Wilson score interval of a proportion k / n."""
    if n <= 0:
        return 0.0
    p = k / n
    centre = p + _Z * _Z / (2 * n)
    spread = _Z * math.sqrt(p * (1 - p) / n + _Z * _Z / (4 * n * n))
    return max(0.0, (centre - spread) / (1 + _Z * _Z / n))


def normal_query(text: str) -> str:
    return " ".join(WORD_RE.findall(fold(text)))


def _merged(searches: Sequence[LoggedSearch], gap: float) -> list[tuple[str, datetime, bool]]:
    """The visitor's searches with repeats of one query (more pages, a reload) taken as one."""
    merged: list[tuple[str, datetime, bool]] = []
    for search in searches:
        query = normal_query(search.query)
        if not query:
            continue
        if merged and merged[-1][0] == query and (search.at - merged[-1][1]).total_seconds() <= gap:
            merged[-1] = (query, search.at, merged[-1][2] or search.clicked)
        else:
            merged.append((query, search.at, search.clicked))
    return merged


def _narrows(a: str, b: str) -> bool:
    """Whether one query keeps every word of the other, by stem ('jacket' -> 'jackets' too)."""
    first, second = set(analyze(a)), set(analyze(b))
    return first <= second or second <= first


def _term(query: str) -> bool:
    """Whether the query could be a synonym's term."""
    return len(query) <= MAX_TERM_LENGTH and len(query.split()) <= MAX_TERM_WORDS


class ReformulationCounter:
    """Fed one visitor's searches at a time (in time order), so the log is read once, in chunks."""

    def __init__(self, rules: MiningRules) -> None:
        self._rules = rules
        self._visitors = 0
        self._failed: Counter[str] = Counter()  # visitors with an unclicked search for the query
        self._won: Counter[str] = Counter()  # visitors with a clicked search for the query
        self._pairs: Counter[tuple[str, str]] = Counter()

    def add_visitor(self, searches: Sequence[LoggedSearch]) -> None:
        merged = _merged(searches, self._rules.gap_seconds)
        if not merged:
            return
        self._visitors += 1
        self._failed.update({q for q, _, clicked in merged if not clicked})
        self._won.update({q for q, _, clicked in merged if clicked})
        pairs = set()
        for (a, at, a_clicked), (b, bt, b_clicked) in itertools.pairwise(merged):
            if a_clicked or not b_clicked or a == b or _narrows(a, b) or not (_term(a) and _term(b)):
                continue
            if (bt - at).total_seconds() <= self._rules.gap_seconds:
                pairs.add((a, b))
        self._pairs.update(pairs)

    def suggestions(self) -> list[Suggestion]:
        found = []
        for (a, b), support in self._pairs.items():
            if support < self._rules.min_support:
                continue
            lift = wilson_low(support, self._failed[a]) / (self._won[b] / self._visitors)
            if lift >= self._rules.min_lift:
                found.append(Suggestion(source=a, target=b, support=support, lift=round(lift, 3)))
        found.sort(key=lambda s: (-s.support, -s.lift, s.source, s.target))
        return found[: self._rules.limit]
