"""Change notices with nobody to tell: what a shop without webhooks gets."""

from collections.abc import Mapping


class SilentNotices:
    async def publish(self, kind: str, data: Mapping[str, object]) -> None:
        return None
