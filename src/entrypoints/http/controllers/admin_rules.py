"""Administrators manage curation rules; a change is applied from the next search on."""

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.search.manage_rules import AddRule, DeleteRule, ListRules, UpdateRule
from domain.apikeys.model import ADMIN
from domain.errors import InvalidValue
from domain.identity.errors import NotAdmin, NotAuthenticated
from domain.search.errors import RuleNotFound
from entrypoints.http.access import admin_actor, require_admin
from entrypoints.http.controllers.admin_synonyms import RowId
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import scope
from entrypoints.http.rule_schemas import RuleIn, RuleOut, RulesOut, rule_out
from entrypoints.http.visitor import Visitor


class AdminRulesController(Controller):
    opt = scope(ADMIN)
    path = "/api/admin/rules"
    tags = ["administration"]  # noqa: RUF012
    dependencies = from_container("list_rules", "add_rule", "update_rule", "delete_rule")

    @get(
        "/",
        summary="Every curation rule",
        responses=error_responses(NotAuthenticated, NotAdmin, malformed=False),
    )
    async def listed(
        self, visitor: NamedDependency[Visitor], list_rules: NamedDependency[ListRules]
    ) -> RulesOut:
        require_admin(visitor)
        return RulesOut(rules=[rule_out(r) for r in await list_rules()])

    @post(
        "/",
        summary="Add a rule pinning, hiding or boosting products for a query or a category page",
        status_code=HTTP_201_CREATED,
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidValue),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        add_rule: NamedDependency[AddRule],
        data: Annotated[RuleIn, Body()],
    ) -> RuleOut:
        actor = admin_actor(visitor, request)  # before the body is checked: a non-admin gets 403, not its 400
        return rule_out(await add_rule(data.rule(), actor=actor))

    @put(
        "/{rule_id:int}",
        summary="Replace a rule",
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidValue, RuleNotFound),
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        update_rule: NamedDependency[UpdateRule],
        rule_id: RowId,
        data: Annotated[RuleIn, Body()],
    ) -> RuleOut:
        actor = admin_actor(visitor, request)
        return rule_out(await update_rule(rule_id, data.rule(), actor=actor))

    @delete(
        "/{rule_id:int}",
        summary="Delete a rule",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(NotAuthenticated, NotAdmin, RuleNotFound),
    )
    async def remove(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        delete_rule: NamedDependency[DeleteRule],
        rule_id: RowId,
    ) -> Response[None]:
        await delete_rule(rule_id, actor=admin_actor(visitor, request))
        return Response(None, status_code=HTTP_204_NO_CONTENT)
