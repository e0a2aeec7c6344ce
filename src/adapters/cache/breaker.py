"""Breaker: after a Redis failure, stop calling it for a moment instead of paying a timeout per request.

Closed: every call goes through. A failure opens it for `open_seconds`: calls are refused at once
(microseconds). Then one caller probes; its success closes the breaker, its failure opens it again.
A probe that never reports (its task cancelled) stops blocking others after `open_seconds`.
"""

import time
from collections.abc import Callable


class Breaker:
    def __init__(self, open_seconds: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.open_seconds = open_seconds
        self._clock = clock
        self._opened_at: float | None = None
        self._probe_at: float | None = None
        self.failures = 0  # calls that failed (counted for /ready and tests)
        self.refused = 0  # calls refused without trying while open

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

    def allow(self) -> bool:
        if self._opened_at is None:
            return True
        now = self._clock()
        if now - self._opened_at < self.open_seconds:
            self.refused += 1
            return False
        if self._probe_at is not None and now - self._probe_at < self.open_seconds:
            self.refused += 1
            return False
        self._probe_at = now
        return True

    def success(self) -> bool:
        """Record a success; True when it closed an open breaker (the service is back)."""
        reopened = self._opened_at is not None
        self._opened_at = self._probe_at = None
        return reopened

    def failure(self) -> None:
        self.failures += 1
        self._opened_at = self._clock()
        self._probe_at = None
