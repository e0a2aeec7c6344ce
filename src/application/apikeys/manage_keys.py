"""An administrator creates, lists and revokes API keys; each step is in the audit log."""

from collections.abc import Sequence
from datetime import datetime

import msgspec

from application.apikeys.authenticate import forget_cached
from application.apikeys.secrets import new_key
from application.audit.audit_trail import AuditTrail
from application.ports import Cache, Clock
from domain.apikeys.errors import ApiKeyNotFound
from domain.apikeys.model import ApiKey
from domain.apikeys.ports import ApiKeyStore
from domain.apikeys.rules import checked_description, checked_expiry, checked_rate_limit, checked_scopes
from domain.audit.model import API_KEY_CREATE, API_KEY_LIST, API_KEY_REVOKE, Actor


class CreatedKey(msgspec.Struct, frozen=True, kw_only=True):
    key: ApiKey
    secret: str  # the whole key, `esk_<prefix>_<secret>`: shown this once, never stored


class CreateApiKey:
    def __init__(self, store: ApiKeyStore, clock: Clock, audit: AuditTrail) -> None:
        self._store = store
        self._clock = clock
        self._audit = audit

    async def __call__(
        self,
        *,
        description: str,
        scopes: Sequence[str],
        actor: Actor,
        expires_at: datetime | None = None,
        rate_limit: int | None = None,
    ) -> CreatedKey:
        now = self._clock.now()
        whole, prefix, secret_hash = new_key()
        key = ApiKey(
            id=0,
            prefix=prefix,
            secret_hash=secret_hash,
            description=checked_description(description),
            scopes=checked_scopes(scopes),
            created_at=now,
            created_by=actor.name,
            expires_at=checked_expiry(expires_at, now),
            rate_limit=checked_rate_limit(rate_limit),
        )
        stored = await self._store.add(key)
        await self._audit.record(
            actor, API_KEY_CREATE, prefix, {"id": stored.id, "scopes": list(stored.scopes)}
        )
        return CreatedKey(key=stored, secret=whole)


class ListApiKeys:
    """Every key, newest first; revoked keys only when asked (they stay for the audit trail)."""

    def __init__(self, store: ApiKeyStore, audit: AuditTrail) -> None:
        self._store = store
        self._audit = audit

    async def __call__(self, *, actor: Actor, include_revoked: bool = False) -> list[ApiKey]:
        keys = await self._store.all()
        # Listed keys name what can act on the shop: who looked is on record too.
        await self._audit.record(actor, API_KEY_LIST, "*", {"count": len(keys)})
        return [k for k in keys if include_revoked or k.revoked_at is None]


class RevokeApiKey:
    """The key stops working at the next request: its cached copy goes with the revocation."""

    def __init__(self, store: ApiKeyStore, cache: Cache | None, clock: Clock, audit: AuditTrail) -> None:
        self._store = store
        self._cache = cache
        self._clock = clock
        self._audit = audit

    async def __call__(self, key_id: int, *, actor: Actor) -> ApiKey:
        revoked = await self._store.revoke(key_id, self._clock.now())
        if revoked is None:
            raise ApiKeyNotFound(key_id)
        await forget_cached(self._cache, revoked.prefix)
        await self._audit.record(actor, API_KEY_REVOKE, revoked.prefix, {"id": revoked.id})
        return revoked
