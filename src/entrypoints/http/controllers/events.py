"""POST /api/events: views, clicks and add-to-carts, from logged-in and anonymous visitors alike."""

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.params import Body
from litestar.status_codes import HTTP_202_ACCEPTED

from application.events.record_events import EventIn, RecordEvent, VisitorRef
from domain.apikeys.model import EVENTS_WRITE
from domain.catalog.errors import ProductNotFound
from domain.errors import InvalidValue
from domain.events.errors import InvalidEvent, TooManyEvents
from domain.events.model import MAX_POSITION, MAX_QUERY, MAX_SEARCH_ID, MAX_SKU
from domain.experiments.assignment import Experiment, anonymous_visitor_id, assign_arm, user_visitor_id
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import scope
from entrypoints.http.visitor import ANONYMOUS_ID_PATTERN, Visitor, client_address, visitor_ref
from entrypoints.settings import Settings


class EventBody(msgspec.Struct, forbid_unknown_fields=False):
    type: Literal["view", "click", "add_to_cart"]
    sku: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_SKU)]
    search_id: Annotated[str, msgspec.Meta(max_length=MAX_SEARCH_ID)] | None = None
    position: Annotated[int, msgspec.Meta(ge=1, le=MAX_POSITION)] | None = None
    query: Annotated[str, msgspec.Meta(max_length=MAX_QUERY)] | None = None
    # Only with an `events:write` API key: the shopper a shop's server reports for, so the event
    # lands in that shopper's arm. `visitor_id` is the shopper's `anon_id` cookie; `user_id` the
    # logged-in shopper's id (the arm then follows the user, as on their own requests).
    visitor_id: Annotated[str, msgspec.Meta(pattern=ANONYMOUS_ID_PATTERN)] | None = None
    user_id: Annotated[int, msgspec.Meta(ge=1)] | None = None


def reported_for(visitor: Visitor, data: EventBody, experiment: Experiment) -> VisitorRef | None:
    """The shopper an API key reports for, or None when the caller is the shopper themself."""
    named = data.visitor_id is not None or data.user_id is not None
    if visitor.key is None:
        if named:
            raise InvalidValue(
                "only a server with an events:write API key may name the visitor", field="visitor_id"
            )
        return None
    if data.user_id is not None:
        visitor_id = user_visitor_id(data.user_id)
        return VisitorRef(visitor_id=visitor_id, arm=assign_arm(visitor_id, experiment), user_id=data.user_id)
    if data.visitor_id is None:
        raise InvalidValue("an API key reports for a shopper: send visitor_id or user_id", field="visitor_id")
    visitor_id = anonymous_visitor_id(data.visitor_id)
    return VisitorRef(visitor_id=visitor_id, arm=assign_arm(visitor_id, experiment))


class Accepted(msgspec.Struct):
    accepted: bool


class EventsController(Controller):
    opt = scope(EVENTS_WRITE)
    path = "/api/events"
    tags = ["events"]  # noqa: RUF012
    dependencies = from_container("record_event", "settings")

    @post(
        "/",
        summary="Record a view, click or add to cart",
        status_code=HTTP_202_ACCEPTED,
        responses=error_responses(InvalidEvent, InvalidValue, ProductNotFound, TooManyEvents),
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
        shopper = reported_for(visitor, data, settings.experiment)
        receipt = await record_event(
            EventIn(
                type=data.type,
                sku=data.sku,
                search_id=data.search_id,
                position=data.position,
                query=data.query,
            ),
            shopper or visitor_ref(visitor),
            # A server reports for many shoppers from one address: each shopper is counted as one
            # client (by visitor id), and the key's own limit bounds the server.
            None if shopper else client_address(request, settings.trust_forwarded_for),
        )
        # The after-answer reactions (the shopper's profile rebuild) run once the 202 is sent.
        later = BackgroundTask(receipt.after_answer) if receipt.after_answer else None
        return Response(Accepted(accepted=True), status_code=HTTP_202_ACCEPTED, background=later)
