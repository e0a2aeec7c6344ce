"""Choosing what a misspelled word meant, from the catalog's own vocabulary."""

from collections.abc import Iterable

from rapidfuzz.distance import OSA

from domain.search.model import WordCount


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (an adjacent swap costs 1, a swapped pair is not edited
    again: 'ca' -> 'abc' is 3); anything past `limit` comes back as limit + 1."""
    return OSA.distance(a, b, score_cutoff=limit)


def max_typos(word: str) -> int:
    """Short words tolerate fewer typos: 'cat' vs 'hat' is a different word, not a typo.

    One typo from 4 letters, two from 8 (the thresholds common in commercial engines); below
    that a 'correction' is more often a different real word ('people' is not 'purple').
    A word with a digit is never a typo: sizes and model numbers ('12x16', 'wh1000xm4') differ
    from their neighbours by one character and mean another product.
    """
    if len(word) < 4 or _has_digit(word):
        return 0
    return 1 if len(word) < 8 else 2


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def ranked_corrections(word: str, candidates: Iterable[WordCount]) -> list[str]:
    """The candidates within the word's typo budget, closest first, then the more common, then
    alphabetically. Words with a digit are neither corrected nor corrections."""
    limit = max_typos(word)
    if limit == 0:
        return []
    keyed: dict[str, tuple[int, int, str]] = {}
    for candidate in candidates:
        if candidate.word == word or _has_digit(candidate.word) or not candidate.word:
            continue
        # Typos rarely hit the first letter; below eight letters a different first letter means
        # a different word ('good' is not 'food', 'looking' is not 'cooking').
        if len(word) < 8 and candidate.word[0] != word[0]:
            continue
        distance = edit_distance(word, candidate.word, limit)
        if distance > limit:
            continue
        key = (distance, -candidate.count, candidate.word)
        keyed[candidate.word] = min(key, keyed.get(candidate.word, key))
    return [key[2] for key in sorted(keyed.values())]


def best_correction(word: str, candidates: Iterable[WordCount]) -> str | None:
    """The closest candidate within the word's typo budget; ties go to the more common word."""
    ranked = ranked_corrections(word, candidates)
    return ranked[0] if ranked else None


def trigrams(word: str) -> list[str]:
    padded = f"  {word} "
    return sorted({padded[i : i + 3] for i in range(len(padded) - 2)})
