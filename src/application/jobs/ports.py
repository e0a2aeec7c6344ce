"""The job port: background work by name, on SAQ (Redis) or in-process."""

from typing import Protocol, runtime_checkable

import msgspec


class JobSpec(msgspec.Struct, frozen=True):
    """How a job runs: a time limit, retries, and exponentially growing delays between them."""

    name: str
    timeout_seconds: int = 600
    retries: int = 3
    retry_delay_seconds: float = 5.0
    max_retry_delay_seconds: float = 300.0


@runtime_checkable  # Litestar checks handler arguments against their annotation
class JobQueue(Protocol):
    def names(self) -> frozenset[str]: ...

    async def enqueue(self, name: str) -> str:
        """Queue a run of the job; returns its id. Raises UnknownJob."""
        ...
