"""What follows a stored event: one dispatch, each reaction one registration.

In the spirit of cosmicpython's message bus: `RecordEvent` stores the event, then hands an
`EventRecorded` to `Reactions`, which calls the handlers registered for the event's kind. The
registrations are all in `application/events/reactions.py`.

The contract is "202 means stored exactly once; an error means nothing stored", which sets the
boundaries:
- The popularity bump is not a reaction here. The event log adds it in the same transaction as
  the insert (with group commit, in the same SQL statement for a whole batch), so an event and
  its popularity effect are stored together or not at all, and a burst of clicks costs one round
  trip. An after-commit handler would lose both; `EventRecorded.popularity_delta` says what the
  log added.
- After-commit reactions run once the event is stored, before the answer: the product-cache
  drop must be seen by the shopper's next read, and counting toward job triggers is cheap.
- After-answer reactions come back to the caller as one deferred call, to run off its request
  path (the HTTP controller hands it to a background task; the simulator drops it, as it always
  has).
A failing reaction is logged and the next one runs: it never turns a stored event into an error,
which a client could only answer by sending the event again.
"""

import logging
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from typing import Literal

import msgspec

from domain.events.model import EVENT_TYPES, Event, EventType

log = logging.getLogger(__name__)

Stage = Literal["after_commit", "after_answer"]


class EventRecorded(msgspec.Struct, frozen=True):
    """An event is stored, and its product's popularity moved by `popularity_delta` with it."""

    event: Event
    popularity_delta: float


Reaction = Callable[[EventRecorded], Awaitable[object]]
Later = Callable[[], Awaitable[None]]


class Receipt(msgspec.Struct, frozen=True):
    """What recording gives back: the stored event, and the after-answer reactions (if any) that
    the caller runs once it has answered."""

    event: Event
    after_answer: Later | None = None


class Reactions:
    def __init__(self) -> None:
        # Tuples per (stage, kind), rebuilt on registration: dispatch is on every click's path.
        self._handlers: dict[Stage, dict[EventType, tuple[Reaction, ...]]] = {
            "after_commit": dict.fromkeys(EVENT_TYPES, ()),
            "after_answer": dict.fromkeys(EVENT_TYPES, ()),
        }

    def register(
        self, reaction: Reaction, kinds: Iterable[EventType] = EVENT_TYPES, stage: Stage = "after_commit"
    ) -> None:
        for kind in kinds:
            self._handlers[stage][kind] += (reaction,)

    def handlers(self, kind: EventType, stage: Stage = "after_commit") -> tuple[Reaction, ...]:
        return self._handlers[stage][kind]

    async def dispatch(self, recorded: EventRecorded) -> Later | None:
        """Run the after-commit reactions in registration order; return the after-answer ones as
        one call (None when the kind has none)."""
        await _run(self._handlers["after_commit"][recorded.event.type], recorded)
        later = self._handlers["after_answer"][recorded.event.type]
        return partial(_run, later, recorded) if later else None


async def _run(reactions: tuple[Reaction, ...], recorded: EventRecorded) -> None:
    for reaction in reactions:
        try:
            await reaction(recorded)
        except Exception:
            log.exception("%s failed after a stored %s event", _name(reaction), recorded.event.type)


def _name(reaction: Reaction) -> str:
    return getattr(reaction, "__qualname__", type(reaction).__qualname__)
