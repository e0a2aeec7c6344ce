"""Marking the query's words in a title, safely escaped for HTML."""

import html
import re

from domain.search.stemmer import stem
from domain.search.text import STOPWORDS, fold

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # words as the indexer splits them: '_' separates


def highlight(title: str, stems: set[str], prefixes: tuple[str, ...] = ()) -> str:
    """Escape the title and wrap each word whose stem is sought (or that starts with a prefix)."""
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(title):
        word = fold(match.group())
        hit = (word not in STOPWORDS and stem(word) in stems) or any(word.startswith(p) for p in prefixes)
        if not hit:
            continue
        out.append(html.escape(title[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    out.append(html.escape(title[last:]))
    return "".join(out)
