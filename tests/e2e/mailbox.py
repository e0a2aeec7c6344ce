"""Reading the mail a test shop wrote into its outbox folder (the folder transport's `.eml` files)."""

import asyncio
import email
import re
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

WAIT_SECONDS = 15.0
POLL_SECONDS = 0.05
POLL_SECONDS = 0.05


class Mailbox:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen = 0

    def files(self) -> list[Path]:
        return sorted(self.folder.glob("*.eml")) if self.folder.is_dir() else []

    async def wait(self, count: int = 1) -> list[EmailMessage]:
        """The next `count` messages after those already read, waiting for the send_mail job."""
        for _ in range(int(WAIT_SECONDS / POLL_SECONDS)):
            if len(self.files()) >= self.seen + count:
                break
            await asyncio.sleep(POLL_SECONDS)
        else:
            raise AssertionError(f"expected {count} new mail(s), found {len(self.files()) - self.seen}")
        new = self.files()[self.seen : self.seen + count]
        self.seen += count
        return [read(path) for path in new]

    async def nothing_new(self, settle: float = 0.5) -> None:
        await asyncio.sleep(settle)
        assert len(self.files()) == self.seen, [p.name for p in self.files()[self.seen :]]


def read(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    return message


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def link_in(message: EmailMessage, base_url: str, path: str) -> tuple[str, str]:
    """The mailed link to `path` and its token; the HTML part carries the same link."""
    found = re.search(re.escape(base_url + path) + r"\?token=[\w%.~-]+", text_of(message))
    assert found is not None, text_of(message)
    html = message.get_body(preferencelist=("html",))
    assert html is not None and found.group(0) in str(html.get_content())
    return found.group(0), parse_qs(urlsplit(found.group(0)).query)["token"][0]
