"""Spelling correction of a parsed query: the catalog's vocabulary proposes, the index decides.

Only a word the index does not have at all is corrected: its surface form is not among the
catalog's words and no indexed product has its stem either ('lighting' is known when a product
has 'lights', though the vocabulary holds only 'lights' and 'lightning'). Such a word finds
nothing, so the correction is made exactly when the original finds nothing for that word, and
the clause is then replaced rather than given the correction as an alternative: 'original OR
correction' would match the same products with the same BM25F scores (the original's stems have
no document to match or weigh), but a clause of two alternatives is no longer a plain word,
which category recognition reads ('headphnes' would stop naming the Headphones category) and a
corrected stop word would have to be special-cased. Replacing keeps the query what the shopper
is shown in "showing results for", with no extra index call to decide.

Words with a digit ('12x16', '27in', model numbers) are never corrected, and among the few
closest candidates one that occurs with the query's other words is preferred, then the closest,
then the most common. The cost is bounded whatever the query: one vocabulary look-up, one
similar-words look-up per unknown word (at most `MAX_WORDS`), one document-frequency read, and
at most `MAX_CHECKS` existence checks.
"""

import re
from collections.abc import Callable

import msgspec

from domain.search.model import MatchSpec, SearchFilters, match_spec
from domain.search.ports import SearchIndex, Vocabulary
from domain.search.query import Clause, ParsedQuery, Term
from domain.search.spelling import max_typos, ranked_corrections
from domain.search.text import STOPWORDS, fold

MAX_WORDS = 6  # unknown words corrected in one query
SIMILAR = 40  # catalog words read per unknown word
BEST = 3  # closest candidates per word weighed against the other words
MAX_CHECKS = 6  # existence checks per query

_WORD = re.compile(r"\w+", re.UNICODE)


class Corrector:
    def __init__(self, index: SearchIndex, vocabulary: Vocabulary) -> None:
        self._index = index
        self._vocabulary = vocabulary

    async def __call__(
        self,
        query: ParsedQuery,
        raw: str,
        filters: SearchFilters,
        keep: Callable[[str], bool] = lambda word: False,
    ) -> tuple[ParsedQuery, str | None]:
        """The query with its unknown words corrected, and the corrected text (None: unchanged).

        `filters` are those the query is searched with: a candidate is weighed by whether it
        occurs with the other words within them. Words that `keep` names are left as typed.
        """
        unknown = [w for w in await self._unknown(query) if not keep(w)]
        options: dict[str, list[str]] = {}
        for word in unknown[:MAX_WORDS]:
            ranked = ranked_corrections(word, await self._vocabulary.similar(word, SIMILAR))
            if ranked:
                options[word] = ranked[:BEST]
        if not options:
            return query, None
        fixes = await self._choose(query, options, set(unknown), filters)
        return _applied(query, fixes), _WORD.sub(
            lambda m: fixes.get(fold(m.group()), m.group()), " ".join(raw.split())
        )

    async def _unknown(self, query: ParsedQuery) -> list[str]:
        """Plain words (in query order) that neither the vocabulary nor the index's stems have."""
        words: list[str] = []
        for clause in query.clauses:
            if len(clause.alternatives) > 1:
                continue  # a compound's joined form ('usbc') or a chosen OR: the shopper's own words
            for term in clause.alternatives:
                if len(term.words) == 1 and max_typos(term.words[0]) > 0 and term.words[0] not in words:
                    words.append(term.words[0])
        if not words:
            return []
        known = await self._vocabulary.known(words)
        words = [w for w in words if w not in known]
        if not words:
            return []
        stems = {w: Term((w,)).stems for w in words}
        df = await self._index.document_frequencies({s for group in stems.values() for s in group})
        # A stem in the index means some product has another form of the word: it is known.
        return [w for w in words if not (stems[w] and all(df.get(s, 0) > 0 for s in stems[w]))]

    async def _choose(
        self, query: ParsedQuery, options: dict[str, list[str]], unknown: set[str], filters: SearchFilters
    ) -> dict[str, str]:
        """Per word, the first candidate (in distance, then frequency order) that occurs with the
        query's known words; the first candidate when none does or none is checked."""
        certain = [c for c in query.clauses if not any(w in unknown for t in c.alternatives for w in t.words)]
        context = match_spec(ParsedQuery(text=query.text, clauses=tuple(certain), excluded=query.excluded))
        fixes = {word: ranked[0] for word, ranked in options.items()}
        if not context.clauses:
            return fixes  # nothing to occur with: every candidate is a catalog word
        checks = 0
        for word, ranked in options.items():
            if len(ranked) < 2:
                continue  # one candidate: nothing to choose
            for candidate in ranked:
                if checks == MAX_CHECKS:
                    return fixes
                checks += 1
                stems = Term((candidate,)).stems
                spec = MatchSpec(clauses=(*context.clauses, (stems,)), excluded=context.excluded)
                if stems and await self._index.exists(spec, filters):
                    fixes[word] = candidate
                    break
        return fixes


def _applied(query: ParsedQuery, fixes: dict[str, str]) -> ParsedQuery:
    clauses = []
    for clause in query.clauses:
        terms = [Term(tuple(fixes.get(w, w) for w in t.words)) for t in clause.alternatives]
        # A typo of a stop word ('witth') corrects to a word that is not searched for.
        kept = tuple(t for t in terms if not (len(t.words) == 1 and t.words[0] in STOPWORDS))
        if kept:
            clauses.append(Clause(kept))
    return msgspec.structs.replace(query, clauses=tuple(clauses))
