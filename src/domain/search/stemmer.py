"""English stems from Snowball's maintained stemmer (PyStemmer, a C implementation).

Index and query go through the same function, so both databases match the same stems.
"""

from functools import lru_cache

import Stemmer  # PyStemmer: untyped, taken as Any (ignore_missing_imports)

_ENGLISH = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem one lower-case ASCII word; short words and tokens with digits ('4k', 'rtx4090') are left alone."""
    if len(word) <= 2 or not word.isalpha():
        return word
    result: str = _ENGLISH.stemWord(word)
    return result
