"""The checks an event must pass before it is stored, for callers with or without HTTP."""

from domain.events.errors import InvalidEvent
from domain.events.model import EVENT_TYPES, MAX_POSITION, MAX_QUERY, MAX_SEARCH_ID, MAX_SKU, Event


def validate_event(event: Event) -> None:
    if event.type not in EVENT_TYPES:
        raise InvalidEvent("type", f"type must be one of {', '.join(EVENT_TYPES)}")
    if not event.sku or len(event.sku) > MAX_SKU:
        raise InvalidEvent("sku", f"sku must be 1 to {MAX_SKU} characters")
    if event.position is not None and not 1 <= event.position <= MAX_POSITION:
        raise InvalidEvent("position", f"position must be between 1 and {MAX_POSITION}")
    if event.search_id is not None and len(event.search_id) > MAX_SEARCH_ID:
        raise InvalidEvent("search_id", f"search_id must be at most {MAX_SEARCH_ID} characters")
    if event.query is not None and len(event.query) > MAX_QUERY:
        raise InvalidEvent("query", f"query must be at most {MAX_QUERY} characters")
    if event.occurred_at.tzinfo is None:
        raise InvalidEvent("occurred_at", "timestamps must carry a timezone")
