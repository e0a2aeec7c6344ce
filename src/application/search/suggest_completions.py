"""SuggestCompletions: as-you-type suggestions from the catalog's words, categories and titles."""

import msgspec

from application.catalog.manage_products import ListCategories
from domain.search.model import MatchSpec
from domain.search.ports import SearchIndex, Vocabulary
from domain.search.query import MAX_QUERY_WORDS, validate_text
from domain.search.stemmer import stem
from domain.search.text import STOPWORDS, analyze_words, words

# Product titles are suggested from this many most popular products: bounded work per keystroke.
POPULAR_POOL = 5000


class Suggestion(msgspec.Struct, frozen=True):
    text: str
    kind: str  # "query", "product" or "category"


class SuggestCompletions:
    def __init__(self, index: SearchIndex, vocabulary: Vocabulary, categories: ListCategories) -> None:
        self._index = index
        self._vocabulary = vocabulary
        self._categories = categories

    async def __call__(self, q: str, limit: int) -> list[Suggestion]:
        text = validate_text(q)
        typed = words(text)[-MAX_QUERY_WORDS:]  # the words nearest the one being typed; bounded work
        if not typed:
            return []
        # A trailing space means the last word is finished: complete nothing, suggest from all words.
        prefix = None if q.endswith(" ") else typed[-1]
        head = typed[:-1] if prefix else typed
        out: list[Suggestion] = []
        seen: set[str] = set()

        def add(value: str, kind: str) -> None:
            key = value.lower()
            if key not in seen and len(out) < limit:
                seen.add(key)
                out.append(Suggestion(text=value, kind=kind))

        if prefix:
            for category in await self._categories():
                folded = words(category.name)
                if any(w.startswith(prefix) for w in folded) and all(h in folded for h in head):
                    add(category.name, "category")
                if len(out) >= 2:
                    break
            for completion in await self._vocabulary.complete(prefix, max(limit, 4)):
                if completion.word != prefix or head:
                    add(" ".join([*head, completion.word]), "query")
                if len(out) >= max(2, limit // 2):
                    break
        prefixes = (prefix, stem(prefix)) if prefix and len(prefix) >= 2 else ()
        clauses = tuple(((s,),) for s in analyze_words(head, drop_stopwords=True))
        if clauses or prefixes:
            spec = MatchSpec(clauses=clauses, prefixes=tuple(dict.fromkeys(prefixes)))
            for product in await self._index.popular(spec, limit * 3, POPULAR_POOL):
                # Suggested titles must show what was typed, not only the description.
                if _title_shows(product.title, head, prefix):
                    add(product.title, "product")
        return out


def _title_shows(title: str, head: list[str], prefix: str | None) -> bool:
    title_words = words(title)
    stems = {stem(w) for w in title_words}
    if any(stem(h) not in stems for h in head if h not in STOPWORDS):
        return False
    return prefix is None or any(w.startswith(prefix) for w in title_words)
