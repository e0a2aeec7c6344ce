"""Every stored event counts toward the retrain and recluster triggers (an after-commit reaction).

A trigger that cannot be counted (the cache is down) is logged as one line, without a traceback
for every click, and never fails the event, whose 202 means "stored".
"""

import logging

from application.events.dispatch import EventRecorded
from application.jobs.triggers import JobTriggers

log = logging.getLogger(__name__)


class CountTowardTriggers:
    def __init__(self, triggers: JobTriggers) -> None:
        self._triggers = triggers

    async def __call__(self, recorded: EventRecorded) -> None:
        try:
            await self._triggers.record_events(1)
        except Exception as exc:
            log.warning("job trigger not counted (%s)", exc.__class__.__name__)
