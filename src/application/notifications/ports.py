"""Change notices: what the shop's own systems are told when something they care about happened
(an import finished, a model was promoted, the daily experiment readout)."""

from collections.abc import Mapping
from typing import Protocol

# The notices a shop can subscribe to.
NOTICE_KINDS = ("import.completed", "model.promoted", "experiment.readout")


class ChangeNotices(Protocol):
    async def publish(self, kind: str, data: Mapping[str, object]) -> None:
        """Record a notice for every subscriber; never raises for a subscriber's failure (the
        delivery happens later, from the worker)."""
        ...
