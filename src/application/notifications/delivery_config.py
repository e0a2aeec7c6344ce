"""How webhook deliveries are sent and retried."""

import msgspec


class WebhookDelivery(msgspec.Struct, frozen=True, kw_only=True):
    timeout_seconds: float = 10.0  # for one POST, connecting included
    max_attempts: int = 8
    retry_seconds: float = 30.0  # the first retry's delay, doubling after each failure
    max_retry_seconds: float = 3600.0
    batch_size: int = 20  # sent concurrently; a batch takes at most about one timeout
    # A run takes no new batch after this long; the minute check asks for another run. Kept well
    # under the job's timeout, which is also how long a killed run's lock holds off the next.
    run_seconds: float = 60.0
    # Hosts deliveries may go to (exact names or addresses); empty: any. A webhook whose host is
    # not listed is refused at creation and its deliveries fail without a request.
    allowed_hosts: tuple[str, ...] = ()

    def retry_delay(self, failures: int) -> float | None:
        """Seconds before the next attempt after `failures` failed ones; None: give up."""
        if failures >= self.max_attempts:
            return None
        return min(self.retry_seconds * 2.0 ** (failures - 1), self.max_retry_seconds)

    def allows(self, host: str) -> bool:
        return not self.allowed_hosts or host.lower() in {h.lower() for h in self.allowed_hosts}
