"""The shopper's account as a whole: take its data away (export) or delete it."""

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.params import Body
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.account.delete_account import DeleteAccount
from application.account.export_account import ExportAccount
from application.account.ports import OwnReview, Viewed
from application.identity.dto import SessionInfo
from domain.cart.model import CartItem
from domain.identity.errors import InvalidField, LastAdmin, NotAuthenticated, TooManyAttempts
from entrypoints.http.access import require_user
from entrypoints.http.controllers.auth import Password
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import PERSON, scope
from entrypoints.http.schemas import UserOut, user_out
from entrypoints.http.visitor import Visitor, expired_cookies


class DeleteAccountIn(msgspec.Struct):
    password: Password


class ExportedEvent(msgspec.Struct, kw_only=True):
    type: str
    sku: str
    query: str | None
    position: int | None
    at: datetime


class AccountExportOut(msgspec.Struct, kw_only=True):
    profile: UserOut
    cart: list[CartItem]
    reviews: list[OwnReview]
    events: list[ExportedEvent]
    recently_viewed: list[Viewed]
    sessions: list[SessionInfo]


class AccountController(Controller):
    opt = scope(PERSON)
    path = "/api/account"
    tags = ["accounts"]  # noqa: RUF012
    dependencies = from_container("export_account", "delete_account")

    @get(
        "/export",
        summary="Everything the shop holds about you, as a JSON download",
        responses=error_responses(NotAuthenticated, malformed=False),
        response_headers=[
            ResponseHeader(
                name="Content-Disposition",
                description='attachment; filename="ecomsearch-export-<username>.json"',
                documentation_only=True,
            )
        ],
    )
    async def export(
        self, visitor: NamedDependency[Visitor], export_account: NamedDependency[ExportAccount]
    ) -> Response[AccountExportOut]:
        user = require_user(visitor)
        data = await export_account(user, visitor.token)
        body = AccountExportOut(
            profile=user_out(user, visitor.arm),
            cart=list(data.cart),
            reviews=list(data.reviews),
            events=[
                ExportedEvent(type=e.type, sku=e.sku, query=e.query, position=e.position, at=e.occurred_at)
                for e in data.events
            ],
            recently_viewed=list(data.recently_viewed),
            sessions=list(data.sessions),
        )
        # Usernames hold only letters, digits, '_', '.' and '-': safe inside the quoted filename.
        disposition = f'attachment; filename="ecomsearch-export-{user.username}.json"'
        return Response(body, headers={"Content-Disposition": disposition})

    @delete(
        "/",
        summary="Delete your account; what identifies you is removed or anonymised",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(NotAuthenticated, InvalidField, TooManyAttempts, LastAdmin),
    )
    async def remove(
        self,
        visitor: NamedDependency[Visitor],
        delete_account: NamedDependency[DeleteAccount],
        data: Annotated[DeleteAccountIn, Body()],
    ) -> Response[None]:
        await delete_account(require_user(visitor), data.password)
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=expired_cookies())
