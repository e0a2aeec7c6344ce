"""POST /api/events: views, clicks and add-to-carts, from logged-in and anonymous visitors alike."""

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.params import Body
from litestar.status_codes import HTTP_202_ACCEPTED

from application.events.record_events import EventIn, RecordEvent
from domain.catalog.errors import ProductNotFound
from domain.events.errors import InvalidEvent, TooManyEvents
from domain.events.model import MAX_POSITION, MAX_QUERY, MAX_SEARCH_ID, MAX_SKU
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.visitor import Visitor, client_address, visitor_ref
from entrypoints.settings import Settings


class EventBody(msgspec.Struct, forbid_unknown_fields=False):
    type: Literal["view", "click", "add_to_cart"]
    sku: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_SKU)]
    search_id: Annotated[str, msgspec.Meta(max_length=MAX_SEARCH_ID)] | None = None
    position: Annotated[int, msgspec.Meta(ge=1, le=MAX_POSITION)] | None = None
    query: Annotated[str, msgspec.Meta(max_length=MAX_QUERY)] | None = None


class Accepted(msgspec.Struct):
    accepted: bool


class EventsController(Controller):
    path = "/api/events"
    tags = ["events"]  # noqa: RUF012
    dependencies = from_container("record_event", "settings")

    @post(
        "/",
        summary="Record a view, click or add to cart",
        status_code=HTTP_202_ACCEPTED,
        responses=error_responses(InvalidEvent, ProductNotFound, TooManyEvents),
    )
    async def record(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        visitor: NamedDependency[Visitor],
        record_event: NamedDependency[RecordEvent],
        data: Annotated[EventBody, Body()],
    ) -> Response[Accepted]:
        # The visitor dependency has already applied the CSRF check to cookie sessions.
        receipt = await record_event(
            EventIn(
                type=data.type,
                sku=data.sku,
                search_id=data.search_id,
                position=data.position,
                query=data.query,
            ),
            visitor_ref(visitor),
            client_address(request, settings.trust_forwarded_for),
        )
        # The after-answer reactions (the shopper's profile rebuild) run once the 202 is sent.
        later = BackgroundTask(receipt.after_answer) if receipt.after_answer else None
        return Response(Accepted(accepted=True), status_code=HTTP_202_ACCEPTED, background=later)
