"""Administrators declare which attributes are facets (always, or never); the rest are found
from the catalog. A change is counted by from the next search on."""

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, put
from litestar.di import NamedDependency
from litestar.params import Body

from application.search.manage_facets import GetFacetDeclaration, SetFacetDeclaration
from domain.errors import InvalidValue
from domain.identity.errors import NotAdmin, NotAuthenticated
from domain.search.attribute_facets import FacetDeclaration
from entrypoints.http.access import admin_actor, require_admin
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.visitor import Visitor


class FacetDeclarationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    declared: list[str] = msgspec.field(default_factory=list)  # always faceted when a result has them
    excluded: list[str] = msgspec.field(default_factory=list)  # never faceted


class FacetDeclarationOut(msgspec.Struct, kw_only=True):
    declared: list[str]
    excluded: list[str]
    # What the catalog suggests now (few distinct values, on many products of the catalog or of
    # a category); excluded ones are listed too.
    discovered: list[str]


class AdminFacetsController(Controller):
    path = "/api/admin/facets"
    tags = ["administration"]  # noqa: RUF012
    opt = {"scope": "admin"}  # noqa: RUF012
    dependencies = from_container("get_facet_declaration", "set_facet_declaration")

    @get(
        "/",
        summary="The attributes declared or excluded as facets, and those the catalog suggests",
        responses=error_responses(NotAuthenticated, NotAdmin, malformed=False),
    )
    async def current(
        self, visitor: NamedDependency[Visitor], get_facet_declaration: NamedDependency[GetFacetDeclaration]
    ) -> FacetDeclarationOut:
        require_admin(visitor)
        declaration, discovered = await get_facet_declaration()
        return FacetDeclarationOut(
            declared=list(declaration.declared), excluded=list(declaration.excluded), discovered=discovered
        )

    @put(
        "/",
        summary="Replace the declaration: attributes always faceted, and attributes never faceted",
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidValue),
    )
    async def replace(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        get_facet_declaration: NamedDependency[GetFacetDeclaration],
        set_facet_declaration: NamedDependency[SetFacetDeclaration],
        data: Annotated[FacetDeclarationIn, Body()],
    ) -> FacetDeclarationOut:
        actor = admin_actor(visitor, request)  # before the body is checked: a non-admin gets 403
        wanted = FacetDeclaration(declared=tuple(data.declared), excluded=tuple(data.excluded))
        saved = await set_facet_declaration(wanted, actor=actor)
        _, discovered = await get_facet_declaration()
        return FacetDeclarationOut(
            declared=list(saved.declared), excluded=list(saved.excluded), discovered=discovered
        )
