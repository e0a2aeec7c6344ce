"""Synonyms a shop declares: words searched as alternatives of one another.

Multi-way (`sofa, couch, settee`): each term finds the others. One-way (`tv -> television`): a
query for the source also finds the targets, never the reverse. A term is one or more words
('sofa bed'), folded and written with single spaces; terms compare by their analysed words, so
'TVs' and 'tv' are the same term.
"""

from typing import Final

import msgspec

from domain.errors import InvalidValue
from domain.search.text import STOPWORDS, analyze_words, fold
from domain.search.tokens import split_text

MAX_TERMS: Final = 20  # per synonym: every query of one of them is matched against all of them
MAX_TERM_WORDS: Final = 5
MAX_TERM_LENGTH: Final = 100
_STOP_STEMS: Final = frozenset(analyze_words(sorted(STOPWORDS)))


class Synonym(msgspec.Struct, frozen=True, kw_only=True):
    """`source` None: multi-way over `terms`; else one-way from `source` to `terms`."""

    id: int = 0
    terms: tuple[str, ...]
    source: str | None = None

    @property
    def one_way(self) -> bool:
        return self.source is not None

    def same_as(self, other: "Synonym") -> bool:
        """The same rule, whatever its id and the order of its terms."""
        mine = (term_key(self.source) if self.source else None, {term_key(t) for t in self.terms})
        theirs = (term_key(other.source) if other.source else None, {term_key(t) for t in other.terms})
        return mine == theirs


def term_key(term: str) -> tuple[str, ...]:
    """What a term is matched by: the stems of its words, stop words left out unless it is only those."""
    stems = analyze_words(list(split_text(fold(term)).atoms))
    return tuple(s for s in stems if s not in _STOP_STEMS) or tuple(stems)


def clean_term(raw: object, field: str) -> str:
    if not isinstance(raw, str):
        raise InvalidValue("a term must be a string", field=field)
    term = " ".join(fold(raw).split())
    if not term:
        raise InvalidValue("a term must not be empty", field=field)
    if len(term) > MAX_TERM_LENGTH:
        raise InvalidValue(f"a term is at most {MAX_TERM_LENGTH} characters", field=field)
    words = split_text(term).atoms
    if not words:
        raise InvalidValue(f"{term!r} has no word to search for", field=field)
    if len(words) > MAX_TERM_WORDS:
        raise InvalidValue(f"a term is at most {MAX_TERM_WORDS} words", field=field)
    return term


def new_synonym(terms: object, source: object = None, *, id: int = 0) -> Synonym:
    """A validated synonym: multi-way when `source` is None, else one-way; InvalidValue otherwise."""
    if not isinstance(terms, list | tuple):
        raise InvalidValue("a list of terms is needed", field="to" if source is not None else "terms")
    field = "terms" if source is None else "to"
    least = 2 if source is None else 1
    if len(terms) < least:
        raise InvalidValue(f"at least {least} term{'s' * (least > 1)} needed", field=field)
    if len(terms) > MAX_TERMS:
        raise InvalidValue(f"at most {MAX_TERMS} terms", field=field)
    cleaned = [clean_term(t, field) for t in terms]
    start = clean_term(source, "from") if source is not None else None
    seen: dict[tuple[str, ...], str] = {}
    for term in ([start] if start else []) + cleaned:
        key = term_key(term)
        if key in seen:
            raise InvalidValue(f"{term!r} repeats {seen[key]!r}", field=field)
        seen[key] = term
    return Synonym(id=id, terms=tuple(cleaned), source=start)
