"""Recording an event also counts it towards the retrain and recluster triggers.

The event is stored first; a trigger that cannot be counted (the cache is down) is logged and
never fails the event, whose 202 means "stored".
"""

import logging

from application.catalog.product_cache import ProductCache
from application.events.record import EventIn, RecordEvent, VisitorRef
from application.jobs.triggers import JobTriggers
from application.ports import Clock
from domain.events.model import Event, PopularityWeights
from domain.events.ports import EventLog

log = logging.getLogger(__name__)


class CountingRecordEvent(RecordEvent):
    def __init__(
        self,
        log_: EventLog,
        product_cache: ProductCache,
        clock: Clock,
        weights: PopularityWeights,
        triggers: JobTriggers,
    ) -> None:
        super().__init__(log_, product_cache, clock, weights)
        self._triggers = triggers

    async def __call__(self, data: EventIn, visitor: VisitorRef) -> Event:
        event = await super().__call__(data, visitor)
        try:
            await self._triggers.record_events(1)
        except Exception as exc:
            log.warning("job trigger not counted (%s)", exc.__class__.__name__)
        return event
