"""The curation rules a search is curated with, read through the cache under the catalog version.

Like the synonyms (see CurrentSynonyms): each process keeps the rules it read while the catalog
version stands (every rule change moves it), for at most `ttl` seconds.
"""

import time

from application.cached import catalog_version, read_through
from application.ports import Cache
from domain.search.ports import RuleSource
from domain.search.rules import Rule


class CurrentRules:
    def __init__(self, store: RuleSource, cache: Cache, ttl: float) -> None:
        self._store = store
        self._cache = cache
        self._ttl = ttl
        self._kept: tuple[int, float, list[Rule]] | None = None  # version, when read, rules

    async def __call__(self) -> list[Rule]:
        version = await catalog_version(self._cache)
        now = time.monotonic()
        if self._kept is not None and self._kept[0] == version and now - self._kept[1] < self._ttl:
            return self._kept[2]
        rules = await read_through(
            self._cache, f"search:rules:v{version}", self._ttl, list[Rule], self._store.all
        )
        self._kept = (version, now, rules)
        return rules
