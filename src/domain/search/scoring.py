"""BM25F text scoring from the index's own term statistics, identical on every database.

score(d) = sum over clauses of the best alternative's sum over its stems t of
    idf(t) * tf'(t, d) / (k1 + tf'(t, d)),
    tf'(t, d) = sum over fields f of w_f * tf_f(t, d) / (1 - b + b * len_f(d) / avglen_f),
    idf(t) = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5)).
Rare words weigh more through idf; a title match more than a description match through w_f.
"""

import math

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
        self._idf_cache: dict[str, float] = {}

    def _norm(self, length: int, avg: float) -> float:
        return 1.0 - self._w.b + self._w.b * (length / avg if avg > 0 else 1.0)

    def _idf(self, stem: str) -> float:
        value = self._idf_cache.get(stem)
        if value is None:
            value = idf(max(self._stats.doc_count, 1), self._df.get(stem, 0))
            self._idf_cache[stem] = value
        return value

    def score(self, match: MatchSpec, doc: Candidate) -> TextScore:
        title, meta, body = doc.title_terms.split(), doc.meta_terms.split(), doc.body_terms.split()
        # (tokens, weight / length normalisation) per field; list.count does the term counting in C.
        fields = (
            (title, self._w.title / self._norm(len(title), self._stats.avg_title)),
            (meta, self._w.meta / self._norm(len(meta), self._stats.avg_meta)),
            (body, self._w.body / self._norm(len(body), self._stats.avg_body)),
        )
        total = 0.0
        matched = 0
        for clause in match.clauses:
            best = -1.0
            for phrase in clause:
                if not any(_contains(tokens, phrase) for tokens, _ in fields):
                    continue
                value = 0.0
                for stem in phrase:
                    tf = sum(factor * tokens.count(stem) for tokens, factor in fields)
                    value += self._idf(stem) * tf / (self._w.k1 + tf)
                best = max(best, value)
            if best >= 0.0:
                matched += 1
                total += best
        return TextScore(score=total, matched_clauses=matched)
