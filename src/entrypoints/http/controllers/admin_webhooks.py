"""Administrators register the shop's webhooks, delete them and read each one's delivery log.
Nothing here sends: deliveries happen only in the `send_webhooks` job."""

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import Body, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.notifications.errors import WebhookNotFound
from application.notifications.manage_webhooks import (
    MAX_DELIVERIES_LISTED,
    AddWebhook,
    DeleteWebhook,
    ListDeliveries,
    ListWebhooks,
)
from domain.apikeys.model import ADMIN
from domain.errors import InvalidValue
from domain.identity.errors import NotAdmin, NotAuthenticated
from entrypoints.http.access import admin_actor, require_admin
from entrypoints.http.controllers.admin_synonyms import RowId
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import scope
from entrypoints.http.visitor import Visitor
from entrypoints.http.webhook_schemas import (
    DeliveriesOut,
    WebhookCreatedOut,
    WebhookIn,
    WebhooksOut,
    created_out,
    delivery_out,
    webhook_out,
)


class AdminWebhooksController(Controller):
    path = "/api/admin/webhooks"
    tags = ["administration"]  # noqa: RUF012
    opt = scope(ADMIN)
    dependencies = from_container("list_webhooks", "add_webhook", "delete_webhook", "list_deliveries")

    @get(
        "/",
        summary="Every webhook (without its secret)",
        responses=error_responses(NotAuthenticated, NotAdmin, malformed=False),
    )
    async def listed(
        self, visitor: NamedDependency[Visitor], list_webhooks: NamedDependency[ListWebhooks]
    ) -> WebhooksOut:
        require_admin(visitor)
        return WebhooksOut(webhooks=[webhook_out(w) for w in await list_webhooks()])

    @post(
        "/",
        summary="Register a webhook for change notices; the answer holds its signing secret, shown once",
        status_code=HTTP_201_CREATED,
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidValue),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        add_webhook: NamedDependency[AddWebhook],
        data: Annotated[WebhookIn, Body()],
    ) -> WebhookCreatedOut:
        actor = admin_actor(visitor, request)  # before the body is checked: a non-admin gets 403, not its 400
        webhook = await add_webhook(data.url, list(data.events), data.description, actor=actor)
        return created_out(webhook)

    @delete(
        "/{webhook_id:int}",
        summary="Delete a webhook: it gets no more deliveries, and those waiting are given up",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(NotAuthenticated, NotAdmin, WebhookNotFound),
    )
    async def remove(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        delete_webhook: NamedDependency[DeleteWebhook],
        webhook_id: RowId,
    ) -> Response[None]:
        await delete_webhook(webhook_id, actor=admin_actor(visitor, request))
        return Response(None, status_code=HTTP_204_NO_CONTENT)

    @get(
        "/{webhook_id:int}/deliveries",
        summary="A webhook's delivery log, newest first",
        responses=error_responses(NotAuthenticated, NotAdmin, WebhookNotFound),
    )
    async def deliveries(
        self,
        visitor: NamedDependency[Visitor],
        list_deliveries: NamedDependency[ListDeliveries],
        webhook_id: RowId,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_DELIVERIES_LISTED)] = 50,
    ) -> DeliveriesOut:
        require_admin(visitor)
        return DeliveriesOut(deliveries=[delivery_out(d) for d in await list_deliveries(webhook_id, limit)])
