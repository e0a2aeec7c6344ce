"""Text analysis shared by indexing and querying: accent folding, words, stop words, stems."""

import re
import unicodedata
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


def analyze_words(surface: list[str], *, drop_stopwords: bool = False) -> list[str]:
    """Stems of already folded words.

    Stop words are indexed (so 'usb-a' and "cup of tea" stay exact as phrases); the query parser
    drops them only where they stand alone.
    """
    return [stem(w) for w in surface if not (drop_stopwords and w in STOPWORDS)]


def analyze(text: str, *, drop_stopwords: bool = False) -> list[str]:
    """The stems of a text's words in order, measurements and compounds split as the index splits them."""
    return analyze_words(split_text(fold(text)).atoms, drop_stopwords=drop_stopwords)


class FieldAnalysis(NamedTuple):
    stems: list[str]  # what the index holds: the words' stems in order, then the joined forms
    words: list[str]  # surface words and the joined forms a shopper would type (vocabulary)


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
    return FieldAnalysis(stems=analyze_words(atoms) + analyze_words(joined), words=surface)
