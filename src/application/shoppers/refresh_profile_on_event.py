"""Rebuild a logged-in shopper's profile right after their events, not at the next 5-minute run.

Run after the HTTP response (a background task), so it never slows or fails the event: an
error is logged and the periodic job catches up.
"""

import logging

from application.events.record_events import VisitorRef
from application.shoppers.refresh_profiles import RefreshProfiles

log = logging.getLogger(__name__)


class RefreshProfileOnEvent:
    def __init__(self, refresh: RefreshProfiles) -> None:
        self._refresh = refresh

    async def __call__(self, visitor: VisitorRef) -> bool:
        """True when a profile was rebuilt; anonymous visitors wait for the periodic job."""
        if visitor.user_id is None:
            return False
        try:
            return await self._refresh([visitor.visitor_id]) == 1
        except Exception:
            log.exception("profile of %s not refreshed after an event", visitor.visitor_id)
            return False
