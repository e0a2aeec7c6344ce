"""Administrators create, list and revoke API keys. Only a logged-in administrator may: a key,
even an `admin` one, cannot mint keys, so a leaked key cannot outlive its own revocation."""

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import Body, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.apikeys.manage_keys import CreateApiKey, ListApiKeys, RevokeApiKey
from domain.apikeys.errors import ApiKeyNotFound
from domain.apikeys.model import MAX_DESCRIPTION, MAX_RATE_LIMIT, ApiKey
from domain.errors import InvalidValue
from domain.identity.errors import NotAdmin, NotAuthenticated
from entrypoints.http.access import admin_actor
from entrypoints.http.controllers.admin_synonyms import RowId
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import PERSON, scope
from entrypoints.http.visitor import Visitor

Scope = Literal["search", "catalog:write", "events:write", "analytics:read", "admin"]


class ApiKeyIn(msgspec.Struct, kw_only=True):
    scopes: Annotated[list[Scope], msgspec.Meta(min_length=1, max_length=5)]
    description: Annotated[str, msgspec.Meta(max_length=MAX_DESCRIPTION)] = ""
    expires_at: datetime | None = None
    # Requests a minute for this key; unset: API_KEY_RATE_LIMIT; 0: no limit.
    rate_limit: Annotated[int, msgspec.Meta(ge=0, le=MAX_RATE_LIMIT)] | None = None


class ApiKeyOut(msgspec.Struct, kw_only=True):
    id: int
    prefix: str
    description: str
    scopes: list[str]
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    rate_limit: int | None


class CreatedKeyOut(ApiKeyOut, kw_only=True):
    secret: str  # the whole key, `esk_<prefix>_<secret>`: this answer is the only time it is shown


class ApiKeysOut(msgspec.Struct):
    api_keys: list[ApiKeyOut]


def key_fields(key: ApiKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "prefix": key.prefix,
        "description": key.description,
        "scopes": list(key.scopes),
        "created_at": key.created_at,
        "created_by": key.created_by,
        "last_used_at": key.last_used_at,
        "expires_at": key.expires_at,
        "revoked_at": key.revoked_at,
        "rate_limit": key.rate_limit,
    }


class AdminApiKeysController(Controller):
    path = "/api/admin/api-keys"
    tags = ["administration"]  # noqa: RUF012
    opt = scope(PERSON)
    dependencies = from_container("create_api_key", "list_api_keys", "revoke_api_key")

    @get(
        "/",
        summary="The API keys (never their secrets), newest first",
        responses=error_responses(NotAuthenticated, NotAdmin),
    )
    async def listed(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        list_api_keys: NamedDependency[ListApiKeys],
        include_revoked: Annotated[bool, QueryParameter(description="list revoked keys too")] = False,
    ) -> ApiKeysOut:
        keys = await list_api_keys(actor=admin_actor(visitor, request), include_revoked=include_revoked)
        return ApiKeysOut(api_keys=[ApiKeyOut(**key_fields(k)) for k in keys])

    @post(
        "/",
        summary="Create an API key; the answer holds its secret, shown this once",
        status_code=HTTP_201_CREATED,
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidValue),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        create_api_key: NamedDependency[CreateApiKey],
        data: Annotated[ApiKeyIn, Body()],
    ) -> CreatedKeyOut:
        actor = admin_actor(visitor, request)
        created = await create_api_key(
            description=data.description,
            scopes=data.scopes,
            expires_at=data.expires_at,
            rate_limit=data.rate_limit,
            actor=actor,
        )
        return CreatedKeyOut(**key_fields(created.key), secret=created.secret)

    @delete(
        "/{key_id:int}",
        summary="Revoke an API key: it stops working at the next request, in every process",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(NotAuthenticated, NotAdmin, ApiKeyNotFound),
    )
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        revoke_api_key: NamedDependency[RevokeApiKey],
        key_id: RowId,
    ) -> Response[None]:
        await revoke_api_key(key_id, actor=admin_actor(visitor, request))
        return Response(None, status_code=HTTP_204_NO_CONTENT)
