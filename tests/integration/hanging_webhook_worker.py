"""`ecomsearch worker` whose webhook POSTs hang, for the killed-worker test: a POST writes its
delivery's id to MARKER and never returns (the worker is killed mid-delivery, before any
receiver saw it).

python -m tests.integration.hanging_webhook_worker MARKER   (settings from the environment)
"""

import asyncio
import sys
from collections.abc import Mapping
from pathlib import Path

import adapters.notifications.http_sender


class HangingSender:
    def __init__(self, timeout_seconds: float) -> None:
        self.marker = Path(sys.argv[1])

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        self.marker.write_text(headers["X-Ecomsearch-Delivery"])
        await asyncio.sleep(3600)  # killed long before this ends
        return 200


if __name__ == "__main__":
    # Before the container is imported: it takes the sender class from this module as it loads.
    adapters.notifications.http_sender.HttpWebhookSender = HangingSender  # type: ignore[misc]
    from entrypoints.cli.main import main

    sys.exit(main(["worker"]))
