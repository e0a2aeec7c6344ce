"""Administrators manage synonyms and review those learned from shoppers; a change is searched
with from the next search on."""

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body, FromQuery, PathParameter, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.search.learn_synonyms import MAX_LISTED, LearnSynonyms, ReviewSuggestions
from application.search.manage_synonyms import AddSynonyms, DeleteSynonym, ListSynonyms, UpdateSynonym
from domain.apikeys.model import ADMIN
from domain.errors import InvalidValue
from domain.identity.errors import NotAdmin, NotAuthenticated
from domain.search.errors import SuggestionNotFound, SynonymNotFound
from entrypoints.http.access import admin_actor, require_admin
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import scope
from entrypoints.http.synonym_schemas import (
    SuggestionsOut,
    SynonymIn,
    SynonymOut,
    SynonymsOut,
    suggestion_out,
    synonym_out,
)
from entrypoints.http.visitor import Visitor

# Row ids fit a signed 64-bit integer on both databases; larger ones are refused (400), not looked up.
RowId = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]


class AdminSynonymsController(Controller):
    opt = scope(ADMIN)
    path = "/api/admin/synonyms"
    tags = ["administration"]  # noqa: RUF012
    dependencies = from_container(
        "list_synonyms", "add_synonyms", "update_synonym", "delete_synonym", "learn_synonyms",
        "review_suggestions",
    )  # fmt: skip

    @get("/", summary="Every synonym", responses=error_responses(NotAuthenticated, NotAdmin, malformed=False))
    async def listed(
        self, visitor: NamedDependency[Visitor], list_synonyms: NamedDependency[ListSynonyms]
    ) -> SynonymsOut:
        require_admin(visitor)
        return SynonymsOut(synonyms=[synonym_out(s) for s in await list_synonyms()])

    @post(
        "/",
        summary="Add a multi-way ({terms}) or one-way ({from, to}) synonym",
        status_code=HTTP_201_CREATED,
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidValue),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        add_synonyms: NamedDependency[AddSynonyms],
        data: Annotated[SynonymIn, Body()],
    ) -> SynonymOut:
        actor = admin_actor(visitor, request)  # before the body is checked: a non-admin gets 403, not its 400
        return synonym_out(await add_synonyms.one(data.synonym(), actor=actor))

    @put(
        "/{synonym_id:int}",
        summary="Replace a synonym's terms",
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidValue, SynonymNotFound),
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        update_synonym: NamedDependency[UpdateSynonym],
        synonym_id: RowId,
        data: Annotated[SynonymIn, Body()],
    ) -> SynonymOut:
        actor = admin_actor(visitor, request)  # before the body is checked: a non-admin gets 403, not its 400
        return synonym_out(await update_synonym(synonym_id, data.synonym(), actor=actor))

    @delete(
        "/{synonym_id:int}",
        summary="Delete a synonym",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(NotAuthenticated, NotAdmin, SynonymNotFound),
    )
    async def remove(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        delete_synonym: NamedDependency[DeleteSynonym],
        synonym_id: RowId,
    ) -> Response[None]:
        await delete_synonym(synonym_id, actor=admin_actor(visitor, request))
        return Response(None, status_code=HTTP_204_NO_CONTENT)

    @get(
        "/suggestions",
        summary="Synonyms learned from shoppers' reformulations, waiting for a decision",
        responses=error_responses(NotAuthenticated, NotAdmin),
    )
    async def suggestions(
        self,
        visitor: NamedDependency[Visitor],
        learn_synonyms: NamedDependency[LearnSynonyms],
        review_suggestions: NamedDependency[ReviewSuggestions],
        refresh: FromQuery[bool] = False,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LISTED)] = 100,
    ) -> SuggestionsOut:
        require_admin(visitor)
        if refresh:  # reads the last SYNONYM_LEARN_DAYS of the search log once
            await learn_synonyms()
        return SuggestionsOut(
            suggestions=[suggestion_out(s) for s in await review_suggestions.pending(limit)]
        )

    @post(
        "/suggestions/{suggestion_id:int}/accept",
        summary="Accept a suggestion: it becomes a one-way synonym",
        status_code=HTTP_201_CREATED,
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidValue, SuggestionNotFound),
    )
    async def accept(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        review_suggestions: NamedDependency[ReviewSuggestions],
        suggestion_id: RowId,
    ) -> SynonymOut:
        return synonym_out(
            await review_suggestions.accept(suggestion_id, actor=admin_actor(visitor, request))
        )

    @post(
        "/suggestions/{suggestion_id:int}/reject",
        summary="Reject a suggestion: it is not offered again",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(NotAuthenticated, NotAdmin, SuggestionNotFound),
    )
    async def reject(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        review_suggestions: NamedDependency[ReviewSuggestions],
        suggestion_id: RowId,
    ) -> Response[None]:
        await review_suggestions.reject(suggestion_id, actor=admin_actor(visitor, request))
        return Response(None, status_code=HTTP_204_NO_CONTENT)
