"""Administrators list, add, change and delete curation rules; each change moves the catalog
version, so the next search reads the new set. Each change is recorded in the audit log."""

from typing import Any

import msgspec

from application.audit.audit_trail import AuditTrail
from application.cached import bump_catalog_version
from application.ports import Cache
from domain.audit.model import RULE_CREATE, RULE_DELETE, RULE_UPDATE, Actor
from domain.errors import InvalidValue
from domain.search.errors import RuleNotFound
from domain.search.ports import RuleStore
from domain.search.rules import Rule, validated

MAX_RULES = 10_000  # every search process keeps them all


def rule_details(rule: Rule) -> dict[str, Any]:
    """A rule as the audit log keeps it."""
    return msgspec.to_builtins(rule)  # type: ignore[no-any-return]


class ListRules:
    def __init__(self, store: RuleStore) -> None:
        self._store = store

    async def __call__(self) -> list[Rule]:
        return await self._store.all()


class AddRule:
    def __init__(self, store: RuleStore, cache: Cache, audit: AuditTrail) -> None:
        self._store = store
        self._cache = cache
        self._audit = audit

    async def __call__(self, rule: Rule, *, actor: Actor) -> Rule:
        rule = validated(rule)
        if len(await self._store.all()) >= MAX_RULES:
            raise InvalidValue(f"a shop has at most {MAX_RULES} rules", field="query")
        added = await self._store.add(rule)
        await bump_catalog_version(self._cache)
        await self._audit.record(actor, RULE_CREATE, str(added.id), rule_details(added))
        return added


class UpdateRule:
    def __init__(self, store: RuleStore, cache: Cache, audit: AuditTrail) -> None:
        self._store = store
        self._cache = cache
        self._audit = audit

    async def __call__(self, rule_id: int, rule: Rule, *, actor: Actor) -> Rule:
        changed = msgspec.structs.replace(validated(rule), id=rule_id)
        if not await self._store.replace(changed):
            raise RuleNotFound(rule_id)
        await bump_catalog_version(self._cache)
        await self._audit.record(actor, RULE_UPDATE, str(rule_id), rule_details(changed))
        return changed


class DeleteRule:
    def __init__(self, store: RuleStore, cache: Cache, audit: AuditTrail) -> None:
        self._store = store
        self._cache = cache
        self._audit = audit

    async def __call__(self, rule_id: int, *, actor: Actor) -> None:
        current = await self._store.get(rule_id)
        if current is None or not await self._store.delete(rule_id):
            raise RuleNotFound(rule_id)
        await bump_catalog_version(self._cache)
        await self._audit.record(actor, RULE_DELETE, str(rule_id), rule_details(current))
