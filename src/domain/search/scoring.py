"""BM25F text scoring from the index's own term statistics, identical on every database.

score(d) = sum over clauses of the best alternative's sum over its stems t of
    idf(t) * tf'(t, d) / (k1 + tf'(t, d)),
    tf'(t, d) = sum over fields f of w_f * tf_f(t, d) / (1 - b + b * len_f(d) / avglen_f),
    idf(t) = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5)).
Rare words weigh more through idf; a title match more than a description match through w_f.
In a clause with synonyms, a synonym's idf is scaled to the typed phrase's: finding 'television'
for 'tv' scores as finding 'tv' would, however rare either word is.
Optional phrases (stop words standing alone in the query) add OPTIONAL_SHARE of the same term,
from the title only, to the score, and nothing to the clauses matched.
"""

import math
from collections.abc import Sequence
from operator import attrgetter

import msgspec
import numpy as np
import numpy.typing as npt

from domain.search.model import Candidate, IndexStats, MatchSpec
from domain.search.term_counts import Counts, TermCounts

Vector = npt.NDArray[np.float64]


# What a stop word in the title counts for, as a share of a word that is asked for.
OPTIONAL_SHARE = 0.2


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


class TextScores(msgspec.Struct, frozen=True):
    """Per candidate, in the order given: the BM25F score and how many clauses matched."""

    score: npt.NDArray[np.float64]
    matched_clauses: npt.NDArray[np.int64]


_FIELDS = ("title_terms", "meta_terms", "body_terms")


class Bm25fScorer:
    def __init__(self, stats: IndexStats, df: dict[str, int], weights: FieldWeights) -> None:
        self._stats = stats
        self._df = df
        self._w = weights

    def _idf(self, stem: str) -> float:
        return idf(max(self._stats.doc_count, 1), self._df.get(stem, 0))

    def _weight(self, phrase: Sequence[str]) -> float:
        return sum(self._idf(stem) for stem in phrase)

    def score(self, match: MatchSpec, doc: Candidate) -> TextScore:
        scores = self.score_all(match, [doc])
        return TextScore(score=float(scores.score[0]), matched_clauses=int(scores.matched_clauses[0]))

    def score_all(self, match: MatchSpec, docs: Sequence[Candidate]) -> TextScores:
        """Every candidate at once, as arrays; the same operations in the same order as one at a time."""
        w, size = self._w, len(docs)
        # One text per field and candidate, fields one after the other: rows of the counts below.
        counts = TermCounts([text for name in _FIELDS for text in map(attrgetter(name), docs)])
        lengths = counts.lengths.reshape(len(_FIELDS), size)
        # weight / length normalisation, per field and candidate
        factors = [
            weight / (1.0 - w.b + w.b * (length / avg if avg > 0 else 1.0))
            for length, weight, avg in zip(
                lengths,
                (w.title, w.meta, w.body),
                (self._stats.avg_title, self._stats.avg_meta, self._stats.avg_body),
                strict=True,
            )
        ]
        per_stem: dict[str, tuple[Counts, Vector]] = {}  # stem -> (occurrences, idf-weighted tf')

        def stem_terms(stem: str) -> tuple[Counts, Vector]:
            if stem not in per_stem:
                found = counts.count((stem,)).reshape(len(_FIELDS), size)
                tf = factors[0] * found[0] + factors[1] * found[1] + factors[2] * found[2]
                per_stem[stem] = (found.sum(axis=0), self._idf(stem) * tf / (w.k1 + tf))
            return per_stem[stem]

        total = np.zeros(size)
        matched = np.zeros(size, dtype=np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 only where nothing matched
            for clause in match.clauses:
                best = np.full(size, -1.0)
                typed = self._weight(clause[0]) if clause in match.synonyms else None
                for phrase in clause:
                    value = np.zeros(size)
                    for stem in phrase:
                        value = value + stem_terms(stem)[1]
                    if typed is not None and phrase != clause[0]:
                        value = value * (typed / self._weight(phrase))  # a synonym weighs as the word
                    if len(phrase) == 1:
                        present = stem_terms(phrase[0])[0] > 0
                    else:
                        present = counts.count(phrase).reshape(len(_FIELDS), size).sum(axis=0) > 0
                    best = np.where(present, np.maximum(best, value), best)
                hit = best >= 0.0
                matched += hit
                total = total + np.where(hit, best, 0.0)
        for phrase in match.optional:
            # A stop word in the title ('case with stand'): a small share of a title-only BM25 term.
            found = counts.count(phrase).reshape(len(_FIELDS), size)[0]
            tf = factors[0] * found
            weight = OPTIONAL_SHARE * sum(self._idf(stem) for stem in phrase)
            total = total + weight * tf / (w.k1 + tf)
        return TextScores(score=total, matched_clauses=matched)
