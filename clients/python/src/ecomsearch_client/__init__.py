"""A typed Python client for the Ecomsearch HTTP API (see clients/python/README.md)."""

from ecomsearch_client.async_client import AsyncClient
from ecomsearch_client.client import Client
from ecomsearch_client.errors import (
    BadRequest,
    Conflict,
    EcomsearchError,
    Forbidden,
    NotAuthenticated,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Unavailable,
)
from ecomsearch_client.webhooks import verify_signature

__all__ = [
    "AsyncClient",
    "BadRequest",
    "Client",
    "Conflict",
    "EcomsearchError",
    "Forbidden",
    "NotAuthenticated",
    "NotFound",
    "PayloadTooLarge",
    "RateLimited",
    "Unavailable",
    "verify_signature",
]
