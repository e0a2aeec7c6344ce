"""The synonyms compiled for query time: a query's words gain their synonyms as alternatives.

A run of the query's plain words (a word, a compound, a quoted phrase; never words the shopper
joined with OR) whose stems spell a term becomes one clause: what was typed, then each synonym as
a phrase ('couch' -> couch | "sofa bed"; 'sofa bed' -> "sofa bed" | couch). The longest run wins,
so 'sofa bed' is not read as 'sofa' and 'bed'. Synonyms are one step: a synonym's own synonyms are
not added. Matching by stems makes 'tvs' find the synonyms of 'tv'.
"""

from collections.abc import Iterable
from typing import Final

import msgspec

from domain.search.query import Clause, ParsedQuery, Term, token_clause, typed_phrase
from domain.search.synonyms import Synonym, term_key
from domain.search.tokens import split_text

MAX_ALTERNATIVES: Final = 24  # per clause: each is a phrase in every statement the query makes


def _keys(term: str) -> list[tuple[str, ...]]:
    """The term's words, and a compound's joined form ('usb-c' is also 'usbc')."""
    keys = [term_key(term)]
    tokens = split_text(term)
    whole = len(tokens.atoms)
    keys += [term_key(f.text) for f in tokens.forms if f.start == 0 and f.end == whole]
    return list(dict.fromkeys(k for k in keys if k))


class Thesaurus:
    def __init__(self, synonyms: Iterable[Synonym] = ()) -> None:
        self._targets: dict[tuple[str, ...], list[str]] = {}
        for synonym in synonyms:
            if synonym.source is not None:
                self._add(synonym.source, synonym.terms)
                continue
            for term in synonym.terms:
                self._add(term, [t for t in synonym.terms if t != term])
        self.longest = max((len(k) for k in self._targets), default=0)
        self._stems = frozenset(s for key in self._targets for s in key)

    def _add(self, term: str, targets: Iterable[str]) -> None:
        for key in _keys(term):
            found = self._targets.setdefault(key, [])
            found.extend(t for t in targets if t not in found)

    def __len__(self) -> int:
        return len(self._targets)

    def targets(self, words: Iterable[str]) -> list[str]:
        """The synonyms of these words (as typed, folded), in the order declared."""
        return self._targets.get(term_key(" ".join(words)), [])

    def knows(self, word: str) -> bool:
        """Whether the word is part of a term: spelling correction leaves it alone."""
        return bool(self._stems) and any(s in self._stems for s in term_key(word))

    def expand(self, query: ParsedQuery) -> ParsedQuery:
        """The query with each run of words that is a term given its synonyms as alternatives."""
        if not self._targets or not query.clauses:
            return query
        clauses: list[Clause] = []
        typed = [typed_phrase(c) for c in query.clauses]
        i = 0
        while i < len(query.clauses):
            found = self._longest_run(typed, i)
            if found is None:
                clauses.append(query.clauses[i])
                i += 1
                continue
            end, targets = found
            run = query.clauses[i:end]
            base = (
                run[0]
                if len(run) == 1
                else Clause((Term(tuple(w for t in typed[i:end] if t for w in t.words)),))
            )
            clauses.append(_with_synonyms(base, targets))
            i = end
        return msgspec.structs.replace(query, clauses=tuple(clauses))

    def _longest_run(self, typed: list[Term | None], start: int) -> tuple[int, list[str]] | None:
        for end in range(min(len(typed), start + self.longest), start, -1):
            run = typed[start:end]
            if any(t is None for t in run):
                continue
            targets = self.targets(w for t in run if t for w in t.words)
            if targets:
                return end, targets
        return None


def _with_synonyms(base: Clause, targets: list[str]) -> Clause:
    alternatives = list(base.alternatives)
    seen = {t.stems for t in alternatives}
    for target in targets:
        own = token_clause(target)
        for term in own.alternatives if own else ():
            if term.stems not in seen and len(alternatives) < MAX_ALTERNATIVES:
                seen.add(term.stems)
                alternatives.append(term)
    if len(alternatives) == len(base.alternatives):
        return base
    return Clause(tuple(alternatives), synonyms=True)
