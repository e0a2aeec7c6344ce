"""Choosing what a misspelled word meant, from the catalog's own vocabulary."""

from collections.abc import Iterable

from domain.search.model import WordCount


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (adjacent swaps cost 1); stops early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


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
