"""SmtpMailTransport: messages through an SMTP server with aiosmtplib, one connection a message.

`SMTP_URL` names the server: `smtp://user:password@host:port` speaks plain SMTP and upgrades with
STARTTLS when the server offers it; `smtps://` connects over TLS from the start. The user and
password are percent-decoded (a password with `@` or `/` is written `%40`, `%2F`).
"""

import logging
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import aiosmtplib

from adapters.mail.message import email_message
from application.mail.ports import MailMessage

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    implicit_tls: bool
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def smtp_server(url: str) -> SmtpServer:
    """The server an `SMTP_URL` names; ValueError for anything else (shown without the password)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS:
        raise ValueError(f"SMTP_URL must start with smtp:// or smtps://, got {parts.scheme or 'no'} scheme")
    if not parts.hostname:
        raise ValueError("SMTP_URL has no host")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:  # urlsplit refuses a port that is not a number in range
        raise ValueError("SMTP_URL has a bad port") from exc
    return SmtpServer(
        host=parts.hostname,
        port=port,
        implicit_tls=parts.scheme == "smtps",
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


def masked(url: str) -> str:
    """The URL with its password replaced, for logs and settings dumps."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{parts.username}:***@{host}").geturl()


class SmtpMailTransport:
    def __init__(self, server: SmtpServer, timeout_seconds: float = 30.0) -> None:
        self.server = server
        self.timeout_seconds = timeout_seconds

    async def send(self, message: MailMessage, sender: str) -> None:
        server = self.server
        await aiosmtplib.send(
            email_message(message, sender),
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.implicit_tls,
            start_tls=False if server.implicit_tls else None,  # None: STARTTLS when offered
            timeout=self.timeout_seconds,
        )
        log.info("mail to %s: %r sent through %s:%d", message.to, message.subject, server.host, server.port)
