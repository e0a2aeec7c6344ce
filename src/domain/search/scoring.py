"""BM25F text scoring from the index's own term statistics, identical on every database.

score(d) = sum over clauses of the best alternative's sum over its stems t of
    idf(t) * tf'(t, d) / (k1 + tf'(t, d)),
    tf'(t, d) = sum over fields f of w_f * tf_f(t, d) / (1 - b + b * len_f(d) / avglen_f),
    idf(t) = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5)).
Rare words weigh more through idf; a title match more than a description match through w_f.
"""

import math
from collections import Counter

import msgspec

from domain.search.model import Candidate, IndexStats, MatchSpec, Phrase


class FieldWeights(msgspec.Struct, frozen=True):
    title: float = 3.0
    meta: float = 1.5
    body: float = 1.0
    k1: float = 1.2
    b: float = 0.75


class TextScore(msgspec.Struct, frozen=True):
    score: float
    matched_clauses: int


def idf(doc_count: int, df: int) -> float:
    df = min(df, doc_count)
    return math.log(1.0 + (doc_count - df + 0.5) / (df + 0.5))


def _contains(tokens: list[str], phrase: Phrase) -> bool:
    n = len(phrase)
    if n == 1:
        return phrase[0] in tokens
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


class Bm25fScorer:
    def __init__(self, stats: IndexStats, df: dict[str, int], weights: FieldWeights) -> None:
        self._stats = stats
        self._df = df
        self._w = weights

    def _norm(self, length: int, avg: float) -> float:
        return 1.0 - self._w.b + self._w.b * (length / avg if avg > 0 else 1.0)

    def score(self, match: MatchSpec, doc: Candidate) -> TextScore:
        fields = (
            (doc.title_terms.split(), self._w.title, self._stats.avg_title),
            (doc.meta_terms.split(), self._w.meta, self._stats.avg_meta),
            (doc.body_terms.split(), self._w.body, self._stats.avg_body),
        )
        counts = [
            (Counter(tokens), tokens, weight, self._norm(len(tokens), avg)) for tokens, weight, avg in fields
        ]
        n = max(self._stats.doc_count, 1)
        total = 0.0
        matched = 0
        for clause in match.clauses:
            best = 0.0
            hit = False
            for phrase in clause:
                if not any(_contains(tokens, phrase) for _, tokens, _, _ in counts):
                    continue
                hit = True
                value = 0.0
                for stem in phrase:
                    tf = sum(weight * counter[stem] / norm for counter, _, weight, norm in counts)
                    value += idf(n, self._df.get(stem, 0)) * tf / (self._w.k1 + tf)
                best = max(best, value)
            if hit:
                matched += 1
                total += best
        return TextScore(score=total, matched_clauses=matched)
