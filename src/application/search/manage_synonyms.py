"""Administrators list, add, change, delete and import synonyms; each change moves the catalog
version, so the next search reads the new set (results cached before it are not served again).

Each change is recorded in the audit log once it has succeeded; an import is one entry."""

from collections.abc import Sequence
from typing import Any

import msgspec

from application.audit.audit_trail import AuditTrail
from application.cached import bump_catalog_version
from application.ports import Cache
from domain.audit.model import SYNONYM_CREATE, SYNONYM_DELETE, SYNONYM_UPDATE, Actor
from domain.errors import InvalidValue
from domain.search.errors import SynonymNotFound
from domain.search.ports import SynonymStore
from domain.search.synonyms import Synonym

MAX_SYNONYMS = 50_000  # a shop's whole thesaurus is read into each search process
MAX_AUDITED_IDS = 100  # an import of thousands is one entry; its first ids say which it was


def synonym_details(synonym: Synonym) -> dict[str, Any]:
    """A rule's terms as the audit log keeps them."""
    details: dict[str, Any] = {"terms": list(synonym.terms)}
    if synonym.source is not None:
        details["from"] = synonym.source
    return details


class ListSynonyms:
    def __init__(self, store: SynonymStore) -> None:
        self._store = store

    async def __call__(self) -> list[Synonym]:
        return await self._store.all()


class AddSynonyms:
    """Adds the synonyms not already stored (the same rule with its terms in any order is not
    stored twice); returns those added, with their ids."""

    def __init__(self, store: SynonymStore, cache: Cache, audit: AuditTrail) -> None:
        self._store = store
        self._cache = cache
        self._audit = audit

    async def __call__(self, synonyms: Sequence[Synonym], *, actor: Actor) -> list[Synonym]:
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
        if len(added) == 1:
            await self._audit.record(actor, SYNONYM_CREATE, str(added[0].id), synonym_details(added[0]))
        else:
            ids = [s.id for s in added[:MAX_AUDITED_IDS]]
            await self._audit.record(actor, SYNONYM_CREATE, f"{len(added)} synonyms", {"ids": ids})
        return added

    async def one(self, synonym: Synonym, *, actor: Actor) -> Synonym:
        """One synonym, added; the one already stored when it is the same rule."""
        added = await self([synonym], actor=actor)
        if added:
            return added[0]
        return next(s for s in await self._store.all() if s.same_as(synonym))


class UpdateSynonym:
    def __init__(self, store: SynonymStore, cache: Cache, audit: AuditTrail) -> None:
        self._store = store
        self._cache = cache
        self._audit = audit

    async def __call__(self, synonym_id: int, synonym: Synonym, *, actor: Actor) -> Synonym:
        changed = msgspec.structs.replace(synonym, id=synonym_id)
        if not await self._store.replace(changed):
            raise SynonymNotFound(synonym_id)
        await bump_catalog_version(self._cache)
        await self._audit.record(actor, SYNONYM_UPDATE, str(synonym_id), synonym_details(changed))
        return changed


class DeleteSynonym:
    def __init__(self, store: SynonymStore, cache: Cache, audit: AuditTrail) -> None:
        self._store = store
        self._cache = cache
        self._audit = audit

    async def __call__(self, synonym_id: int, *, actor: Actor) -> None:
        # Read first: once deleted, the rule's terms could no longer be recorded.
        current = await self._store.get(synonym_id)
        if current is None or not await self._store.delete(synonym_id):
            raise SynonymNotFound(synonym_id)
        await bump_catalog_version(self._cache)
        await self._audit.record(actor, SYNONYM_DELETE, str(synonym_id), synonym_details(current))
