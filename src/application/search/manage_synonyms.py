"""Administrators list, add, change, delete and import synonyms; each change moves the catalog
version, so the next search reads the new set (results cached before it are not served again)."""

from collections.abc import Sequence

import msgspec

from application.cached import bump_catalog_version
from application.ports import Cache
from domain.errors import InvalidValue
from domain.search.errors import SynonymNotFound
from domain.search.ports import SynonymStore
from domain.search.synonyms import Synonym

MAX_SYNONYMS = 50_000  # a shop's whole thesaurus is read into each search process


class ListSynonyms:
    def __init__(self, store: SynonymStore) -> None:
        self._store = store

    async def __call__(self) -> list[Synonym]:
        return await self._store.all()


class AddSynonyms:
    """Adds the synonyms not already stored (the same rule with its terms in any order is not
    stored twice); returns those added, with their ids."""

    def __init__(self, store: SynonymStore, cache: Cache) -> None:
        self._store = store
        self._cache = cache

    async def __call__(self, synonyms: Sequence[Synonym]) -> list[Synonym]:
        stored = await self._store.all()
        new: list[Synonym] = []
        for synonym in synonyms:
            if not any(synonym.same_as(s) for s in [*stored, *new]):
                new.append(synonym)
        if len(stored) + len(new) > MAX_SYNONYMS:
            raise InvalidValue(f"a shop has at most {MAX_SYNONYMS} synonyms", field="terms")
        if not new:
            return []
        added = await self._store.add_many(new)
        await bump_catalog_version(self._cache)
        return added

    async def one(self, synonym: Synonym) -> Synonym:
        """One synonym, added; the one already stored when it is the same rule."""
        added = await self([synonym])
        if added:
            return added[0]
        return next(s for s in await self._store.all() if s.same_as(synonym))


class UpdateSynonym:
    def __init__(self, store: SynonymStore, cache: Cache) -> None:
        self._store = store
        self._cache = cache

    async def __call__(self, synonym_id: int, synonym: Synonym) -> Synonym:
        changed = msgspec.structs.replace(synonym, id=synonym_id)
        if not await self._store.replace(changed):
            raise SynonymNotFound(synonym_id)
        await bump_catalog_version(self._cache)
        return changed


class DeleteSynonym:
    def __init__(self, store: SynonymStore, cache: Cache) -> None:
        self._store = store
        self._cache = cache

    async def __call__(self, synonym_id: int) -> None:
        if not await self._store.delete(synonym_id):
            raise SynonymNotFound(synonym_id)
        await bump_catalog_version(self._cache)
