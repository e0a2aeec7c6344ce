"""Text analysis shared by indexing and querying: accent folding, words, stop words, stems."""

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from domain.search.stemmer import stem
from domain.search.stopwords import STOPWORDS as STOPWORDS  # re-exported
from domain.search.tokens import split_text

WORD_RE = re.compile(r"[a-z0-9]+")

# Ligatures and letters that NFKD does not split into a base letter plus a mark.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ı": "i"})


@lru_cache(maxsize=50_000)
def _fold_cached(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Crème Brûlée' -> 'creme brulee'."""
    if text.isascii():
        return text.lower()
    if len(text) > 200:
        decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _fold_cached(text)


def words(text: str) -> list[str]:
    """Folded surface words, stop words included (for vocabulary and highlighting)."""
    return WORD_RE.findall(fold(text))


def analyze_words(surface: Sequence[str], *, drop_stopwords: bool = False) -> list[str]:
    """Stems of already folded words.

    Stop words are indexed (so 'usb-a' and "cup of tea" stay exact as phrases); the query parser
    drops them only where they stand alone.
    """
    return [stem(w) for w in surface if not (drop_stopwords and w in STOPWORDS)]


def analyze(text: str, *, drop_stopwords: bool = False) -> list[str]:
    """The stems of a text's words in order, measurements and compounds split as the index splits them."""
    return analyze_words(split_text(fold(text)).atoms, drop_stopwords=drop_stopwords)


# Between a field's words and their joined forms in the index: neither database takes it for a
# word, and a field's length (for BM25) counts only the words before it.
JOINED_MARK = "|"


class FieldAnalysis(NamedTuple):
    stems: list[str]  # what the index holds: the words' stems in order, the mark, the joined forms
    words: list[str]  # surface words and the joined forms a shopper would type (vocabulary)


def field_length(stems: list[str]) -> int:
    """How many words a field has for BM25: its joined forms stand for words already counted."""
    return stems.index(JOINED_MARK) if JOINED_MARK in stems else len(stems)


def analyze_field(*texts: str) -> FieldAnalysis:
    """One indexed field made of one or more texts (brand and category make one field)."""
    atoms: list[str] = []
    joined: list[str] = []
    surface: list[str] = []
    for text in texts:
        folded = fold(text)
        tokens = split_text(folded)
        atoms.extend(tokens.atoms)
        joined.extend(form.text for form in tokens.forms)
        surface.extend(WORD_RE.findall(folded))
        surface.extend(form.text for form in tokens.forms if form.vocabulary)
    stems = analyze_words(atoms)
    if joined:
        stems += [JOINED_MARK, *analyze_words(joined)]
    return FieldAnalysis(stems=stems, words=surface)
