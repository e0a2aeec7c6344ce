"""What the administrators' audit log holds: who did what to which thing, when and from where."""

from datetime import datetime
from typing import Any

import msgspec

# The recorded actions, dotted: `<what it touches>.<verb>`.
PRODUCT_CREATE = "product.create"
PRODUCT_UPDATE = "product.update"
PRODUCT_DELETE = "product.delete"
JOB_START = "job.start"
ROLE_GRANT = "role.grant"
ROLE_REVOKE = "role.revoke"
SYNONYM_CREATE = "synonym.create"
SYNONYM_UPDATE = "synonym.update"
SYNONYM_DELETE = "synonym.delete"
SUGGESTION_ACCEPT = "suggestion.accept"
SUGGESTION_REJECT = "suggestion.reject"
RULE_CREATE = "rule.create"
RULE_UPDATE = "rule.update"
RULE_DELETE = "rule.delete"
WEBHOOK_CREATE = "webhook.create"
WEBHOOK_DELETE = "webhook.delete"
CATALOG_IMPORT = "catalog.import"
CATALOG_PATCH = "catalog.patch"
API_KEY_CREATE = "api_key.create"
API_KEY_LIST = "api_key.list"
API_KEY_REVOKE = "api_key.revoke"
FACETS_UPDATE = "facets.update"
ACTIONS = (
    PRODUCT_CREATE,
    PRODUCT_UPDATE,
    PRODUCT_DELETE,
    JOB_START,
    ROLE_GRANT,
    ROLE_REVOKE,
    SYNONYM_CREATE,
    SYNONYM_UPDATE,
    SYNONYM_DELETE,
    SUGGESTION_ACCEPT,
    SUGGESTION_REJECT,
    RULE_CREATE,
    RULE_UPDATE,
    RULE_DELETE,
    CATALOG_IMPORT,
    CATALOG_PATCH,
    API_KEY_CREATE,
    API_KEY_LIST,
    API_KEY_REVOKE,
    FACETS_UPDATE,
    WEBHOOK_CREATE,
    WEBHOOK_DELETE,
)

# Column widths: a longer value (a forged X-Forwarded-For hop) is cut, never refused, since the
# action it records has already happened.
MAX_ACTOR, MAX_TARGET, MAX_ADDRESS = 120, 200, 64

# An address for actions taken on this machine (the command line), not over the network.
LOCAL = "local"


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    """Who acts and from where, as the entrypoint knows them: a username and the client's
    address over HTTP; `cli:<os user>` and `local` on the command line."""

    name: str
    address: str


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    actor: str
    action: str  # one of ACTIONS
    target: str  # a sku, a job's name, a username, a synonym's id, a key's prefix
    address: str
    # A little more about the action: the changed fields' names, the queued job's id.
    details: dict[str, Any] | None = None
