"""The synonyms a search is expanded with, read through the cache under the catalog version.

Each process keeps the compiled thesaurus while the catalog version stands (a synonym change moves
it), for at most `ttl` seconds: a change made where the cache is not shared (a CLI import beside a
server without Redis) is read within that time.
"""

import time
from collections.abc import Iterable

from application.cached import catalog_version, read_through
from application.ports import Cache
from domain.search.ports import SynonymSource
from domain.search.synonyms import Synonym
from domain.search.thesaurus import Thesaurus


class CurrentSynonyms:
    def __init__(self, store: SynonymSource, cache: Cache, ttl: float) -> None:
        self._store = store
        self._cache = cache
        self._ttl = ttl
        self._kept: tuple[int, float, Thesaurus] | None = None  # version, when read, thesaurus

    async def __call__(self) -> Thesaurus:
        version = await catalog_version(self._cache)
        now = time.monotonic()
        if self._kept is not None and self._kept[0] == version and now - self._kept[1] < self._ttl:
            return self._kept[2]
        synonyms = await read_through(
            self._cache, f"search:synonyms:v{version}", self._ttl, list[Synonym], self._store.all
        )
        thesaurus = Thesaurus(synonyms)
        self._kept = (version, now, thesaurus)
        return thesaurus


class FixedSynonyms:
    """Always these synonyms, read from nowhere: for evaluating a set without storing it."""

    def __init__(self, synonyms: Iterable[Synonym]) -> None:
        self._thesaurus = Thesaurus(synonyms)

    async def __call__(self) -> Thesaurus:
        return self._thesaurus
