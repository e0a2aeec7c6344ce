"""FolderMailTransport: each message as one `.eml` file in a folder (the default: `make run` needs
no mail server; open the file, or read the logged path, to follow a mailed link).

Names sort by time (`20261206T104000123456Z-<random>.eml`); a file appears whole or not at all
(written under a dot-name, then renamed).
"""

import asyncio
import logging
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from adapters.mail.message import email_message
from application.mail.ports import MailMessage

log = logging.getLogger(__name__)


class FolderMailTransport:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    async def send(self, message: MailMessage, sender: str) -> None:
        data = email_message(message, sender).as_bytes()
        path = await asyncio.to_thread(self._write, data)
        log.info("mail to %s: %r written to %s", message.to, message.subject, path)

    def _write(self, data: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        name = f"{stamp}-{secrets.token_hex(4)}.eml"
        partial, final = self.folder / f".{name}.tmp", self.folder / name
        try:
            with open(partial, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return final
