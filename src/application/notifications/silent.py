"""Until webhooks are wired, a notice goes nowhere (the import's own status still tells all)."""

from collections.abc import Mapping


class SilentNotices:
    async def publish(self, kind: str, data: Mapping[str, object]) -> None:
        return None
