"""Text analysis shared by indexing and querying: accent folding, words, stop words, stems."""

import re
import unicodedata
from functools import lru_cache

from domain.search.stemmer import stem

WORD_RE = re.compile(r"[a-z0-9]+")

# Ligatures and letters that NFKD does not split into a base letter plus a mark.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ı": "i"})

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "so",
        "than",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "without",
        "your",
        "you",
        "our",
        "my",
        "me",
        "i",
        "we",
    ]
)


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
    """The indexed form of a text: folded and stemmed."""
    return analyze_words(words(text), drop_stopwords=drop_stopwords)
