"""The mail transports against the real thing: `.eml` files in a folder, and an SMTP server
(aiosmtpd) started by the test, with login; a closed port is a failure DeliverMail retries."""

import asyncio
import email
import socket
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from aiosmtplib import SMTPAuthenticationError

from adapters.mail.folder_transport import FolderMailTransport
from adapters.mail.smtp_transport import SmtpMailTransport, smtp_server
from application.mail.ports import MailMessage
from application.mail.send_mail import DeliverMail, DeliveryReport, MailDelivery
from application.mail.templates import compose, link
from tests.unit.fakes import FakeClock
from tests.unit.mail_fakes import InMemoryMailOutbox

# Login without TLS is what these tests exercise (aiosmtpd warns about it).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

SENDER = "Ecomsearch <no-reply@shop.example>"
USER, PASSWORD = "mailer@shop.example", "p@ss/wörd:1"


def reset_mail() -> MailMessage:
    url = link("http://127.0.0.1:8000", "/reset-password", "tok+en/1")
    return compose(
        "ada@example.com", "password_reset", {"username": "Ada <&>", "link": url, "expires_minutes": 30}
    )


def parts(raw: bytes) -> tuple[EmailMessage, str, str]:
    parsed = email.message_from_bytes(raw, policy=default)
    assert isinstance(parsed, EmailMessage)
    text, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert text is not None and html is not None
    return parsed, text.get_content(), html.get_content()


async def test_folder_transport_writes_one_parseable_eml_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "outbox"  # created on first use
    transport = FolderMailTransport(folder)
    await transport.send(reset_mail(), SENDER)
    await transport.send(
        MailMessage(to="bob@example.com", subject="Second", text="b", html="<b>b</b>"), SENDER
    )
    files = sorted(folder.iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]  # no partial file left behind
    first, second = (parts(f.read_bytes()) for f in files)
    message, text, html = first
    assert (message["From"], message["To"], message["Subject"]) == (
        SENDER,
        "ada@example.com",
        "Reset your Ecomsearch password",
    )
    assert message["Date"] and message["Message-ID"].endswith("@shop.example>")
    token_link = "http://127.0.0.1:8000/reset-password?token=tok%2Ben%2F1"
    assert token_link in text and "Hello Ada <&>," in text
    assert f'href="{token_link}"' in html and "Hello Ada &lt;&amp;&gt;," in html
    assert second[0]["Subject"] == "Second"


class Collector:
    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes, Any]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.content, session.auth_data)
        )
        return "250 OK"


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Collector, int]]:
    collector, port = Collector(), free_port()
    controller = Controller(
        collector, hostname="127.0.0.1", port=port, authenticator=authenticate,
        auth_require_tls=False, auth_required=True,
    )  # fmt: skip
    controller.start()
    yield collector, port
    controller.stop()


async def test_smtp_transport_logs_in_and_delivers_both_parts(smtp: tuple[Collector, int]) -> None:
    collector, port = smtp
    url = f"smtp://mailer%40shop.example:p%40ss%2Fw%C3%B6rd%3A1@127.0.0.1:{port}"
    await SmtpMailTransport(smtp_server(url), timeout_seconds=10).send(reset_mail(), SENDER)
    ((mail_from, rcpt_tos, content, auth),) = collector.received
    assert (mail_from, rcpt_tos) == ("no-reply@shop.example", ["ada@example.com"])
    assert auth.login == USER.encode()
    message, text, html = parts(content)
    assert message["Subject"] == "Reset your Ecomsearch password"
    assert "valid for 30 minutes" in text and "valid for 30 minutes" in html


async def test_a_wrong_password_is_refused(smtp: tuple[Collector, int]) -> None:
    collector, port = smtp
    transport = SmtpMailTransport(smtp_server(f"smtp://{USER}:nope@127.0.0.1:{port}"), timeout_seconds=10)
    with pytest.raises(SMTPAuthenticationError):
        await transport.send(reset_mail(), SENDER)
    assert collector.received == []


async def test_an_unreachable_server_is_retried_by_deliver_mail() -> None:
    outbox, clock = InMemoryMailOutbox(), FakeClock()
    await outbox.add(reset_mail(), clock.now())
    transport = SmtpMailTransport(smtp_server(f"smtp://127.0.0.1:{free_port()}"), timeout_seconds=5)
    config = MailDelivery(sender=SENDER, retry_seconds=60)
    report = await asyncio.wait_for(DeliverMail(outbox, transport, clock, config)(), 30)
    assert report == DeliveryReport(failed=1)
    row = outbox.rows[1]
    assert row.status == "queued" and row.attempts == 1 and "SMTPConnect" in (row.last_error or "")
    assert await outbox.next_due() == clock.now() + timedelta(seconds=60)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example", ("mail.example", 25, False, None, None)),
        ("smtps://u:p%40w@mail.example", ("mail.example", 465, True, "u", "p@w")),
        ("smtp://u@mail.example:2525", ("mail.example", 2525, False, "u", None)),
    ],
)
def test_smtp_url(url: str, expected: tuple[object, ...]) -> None:
    server = smtp_server(url)
    assert (server.host, server.port, server.implicit_tls, server.username, server.password) == expected
    assert "p@w" not in repr(server)


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "smtp://u:secret@mail.example:99999"])
def test_a_bad_smtp_url_is_refused_without_its_password(url: str) -> None:
    with pytest.raises(ValueError, match="SMTP_URL") as error:
        smtp_server(url)
    assert "secret" not in str(error.value)
