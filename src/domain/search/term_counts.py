"""How often each phrase occurs in each of many analysed texts, counted for all texts at once.

The texts (stems joined by single spaces) are laid end to end in one byte string, separated by
a newline. Counting a phrase in every text is then one `bytes.split` over that string, and each
occurrence goes to its text by its position: C-level work instead of a Python loop per text and
stem.
"""

from collections.abc import Sequence
from itertools import repeat

import numpy as np
import numpy.typing as npt

Counts = npt.NDArray[np.int64]

_NEWLINE = ord("\n")
_SPACE = ord(" ")
_MARK = ord("|")  # text.JOINED_MARK


class TermCounts:
    def __init__(self, texts: Sequence[str]) -> None:
        # Every stem has a space on both sides, so ' stem ' finds it whole and nowhere else.
        self._text = (" " + " \n ".join(texts) + " ").encode()
        codes = np.frombuffer(self._text, dtype=np.uint8)
        self._breaks = np.flatnonzero(codes == _NEWLINE)  # the newline before texts 1, 2, ...
        self._size = len(texts)
        starts = np.flatnonzero((codes[1:] > _SPACE) & (codes[:-1] == _SPACE)) + 1
        marks = np.flatnonzero(codes == _MARK)
        if marks.size:
            # A text's length ends at its mark: the joined forms after it stand for words already
            # counted ('usb c ... | usbc'), as overlapping tokens do not lengthen a field in Lucene.
            ends = np.full(self._size, len(self._text), dtype=np.intp)
            np.minimum.at(ends, np.searchsorted(self._breaks, marks), marks)
            starts = starts[starts < ends[np.searchsorted(self._breaks, starts)]]
        self.lengths: Counts = self._per_text(starts)  # stems in each text, before its mark

    def _per_text(self, positions: npt.NDArray[np.intp]) -> Counts:
        return np.bincount(np.searchsorted(self._breaks, positions), minlength=self._size).astype(np.int64)

    def count(self, phrase: Sequence[str]) -> Counts:
        """Occurrences of the stems standing together, in each text.

        A phrase that overlaps itself ('a a' in 'a a a') counts its non-overlapping occurrences;
        a single stem counts every one.
        """
        pattern = (" " + " ".join(phrase) + " ").encode()
        pieces = self._text.split(pattern)
        found = len(pieces) - 1
        if not found:
            return np.zeros(self._size, dtype=np.int64)
        sizes = np.fromiter(map(len, pieces), dtype=np.intp, count=len(pieces))
        after = np.cumsum(sizes[:-1]) + np.arange(1, found + 1, dtype=np.intp) * len(pattern)
        # In 'a a', the match ' a ' takes the space the second 'a' starts with, and split goes
        # on past it: such an occurrence begins the next piece ('a ...', or just 'a' between
        # two matches).
        rest = pieces[1:]
        skipped = np.fromiter(map(bytes.startswith, rest, repeat(pattern[1:])), dtype=bool, count=found)
        skipped |= np.fromiter(map(pattern[1:-1].__eq__, rest), dtype=bool, count=found)
        return self._per_text(np.concatenate((after - len(pattern), after[skipped])))
