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
    """
    if len(word) < 4 or word.isdigit():
        return 0
    return 1 if len(word) < 8 else 2


def best_correction(word: str, candidates: Iterable[WordCount]) -> str | None:
    """The closest candidate within the word's typo budget; ties go to the more common word."""
    limit = max_typos(word)
    best: tuple[int, int, str] | None = None
    for candidate in candidates:
        if candidate.word == word or candidate.word.isdigit():
            continue
        # Typos rarely hit the first letter; below eight letters a different first letter means
        # a different word ('good' is not 'food', 'looking' is not 'cooking').
        if len(word) < 8 and candidate.word[0] != word[0]:
            continue
        distance = edit_distance(word, candidate.word, limit)
        if distance > limit:
            continue
        key = (distance, -candidate.count, candidate.word)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def trigrams(word: str) -> list[str]:
    padded = f"  {word} "
    return sorted({padded[i : i + 3] for i in range(len(padded) - 2)})
