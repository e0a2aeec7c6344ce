"""Mail end to end through the container: QueueMail stores the message, the in-process queue runs
the send_mail job, and the `.eml` lands in MAIL_OUTBOX_DIR; the settings choose the transport."""

import asyncio
import email
import os
from email.policy import default
from pathlib import Path

import pytest

from adapters.mail.folder_transport import FolderMailTransport
from adapters.mail.smtp_transport import SmtpMailTransport
from adapters.sql.mail_outbox import SqlMailOutbox
from application.mail.send_mail import SEND_MAIL, DeliveryReport
from application.mail.templates import compose, link
from entrypoints.container import build_container, close_container
from entrypoints.schedule import InProcessSchedule
from entrypoints.settings import load_settings


def settings(env: dict[str, str]):
    return load_settings(env, dotenv=Path(os.devnull))


async def test_queued_mail_is_written_to_the_outbox_folder_by_the_send_mail_job(
    make_database, tmp_path: Path
) -> None:
    folder = tmp_path / "outbox"
    container = build_container(
        settings({
            "DATABASE_URL": await make_database("sqlite"),
            "MAIL_OUTBOX_DIR": str(folder),
            "MAIL_FROM": "Shop <hello@shop.example>",
            "PUBLIC_BASE_URL": "https://shop.example",
        })
    )  # fmt: skip
    try:
        assert isinstance(container.mail_transport(), FolderMailTransport)
        assert isinstance(container.mail_outbox(), SqlMailOutbox)
        assert isinstance(container.job_schedule(), InProcessSchedule)
        base = container.settings().public_base_url
        url = link(base, "/verify-email", "abc/123")
        message = compose(
            "ada@example.com", "verify_email", {"username": "ada", "link": url, "expires_hours": 48}
        )

        mail_id = await container.queue_mail()(message)
        assert mail_id is not None
        queue = container.job_queue()
        (job_id,) = [key for key in queue.tasks if key.startswith(f"{SEND_MAIL}:")]
        result = await asyncio.wait_for(queue.wait(job_id), 30)
        assert result is not None and result.result == {"sent": 1, "failed": 0, "gave_up": 0}

        (eml,) = folder.glob("*.eml")
        parsed = email.message_from_bytes(eml.read_bytes(), policy=default)
        assert (parsed["From"], parsed["To"]) == ("Shop <hello@shop.example>", "ada@example.com")
        body = parsed.get_body(("plain",))
        assert body is not None and "https://shop.example/verify-email?token=abc%2F123" in body.get_content()
        assert await container.mail_outbox().next_due() is None
        # Nothing is due: the periodic check asks for no job, and a run sends nothing.
        assert await container.queue_mail().resume() is False
        assert await container.deliver_mail()() == DeliveryReport()
        record = await container.read_jobs().one(job_id)
        assert record.status == "complete"
    finally:
        await close_container(container)


async def test_mail_stored_while_the_queue_was_away_goes_out_on_the_periodic_check(
    make_database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("entrypoints.schedule.MAIL_CHECK_SECONDS", 0.05)
    folder = tmp_path / "outbox"
    container = build_container(
        settings({"DATABASE_URL": await make_database("sqlite"), "MAIL_OUTBOX_DIR": str(folder)})
    )
    try:
        message = compose(
            "bob@example.com", "verify_email", {"username": "bob", "link": "http://x/", "expires_hours": 1}
        )
        await container.mail_outbox().add(message, container.clock().now())  # no job asked for
        container.job_schedule().start()
        for _ in range(200):
            if list(folder.glob("*.eml")):
                break
            await asyncio.sleep(0.05)
        (eml,) = folder.glob("*.eml")
        assert "To: bob@example.com" in eml.read_text()
    finally:
        await close_container(container)


async def test_smtp_url_chooses_the_smtp_transport() -> None:
    container = build_container(
        settings({"SMTP_URL": "smtps://mailer:s%40cret@mail.example:2465", "SMTP_TIMEOUT_SECONDS": "7"})
    )
    transport = container.mail_transport()
    assert isinstance(transport, SmtpMailTransport)
    server = transport.server
    assert (server.host, server.port, server.implicit_tls, server.username, server.password) == (
        "mail.example", 2465, True, "mailer", "s@cret",
    )  # fmt: skip
    assert transport.timeout_seconds == 7
    # The password never shows in a dump of the settings.
    assert "s%40cret" not in repr(container.settings())
    assert "smtps://mailer:***@mail.example:2465" in repr(container.settings())
    await close_container(container)


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"SMTP_URL": "http://mail.example"}, "SMTP_URL"),
        ({"PUBLIC_BASE_URL": "shop.example"}, "PUBLIC_BASE_URL"),
        ({"MAIL_MAX_ATTEMPTS": "0"}, "MAIL_MAX_ATTEMPTS"),
    ],
)
def test_bad_mail_settings_stop_the_start(env: dict[str, str], name: str) -> None:
    with pytest.raises(ValueError, match=name):
        settings(env)


def test_mail_settings_defaults_and_overrides() -> None:
    defaults = settings({})
    assert (defaults.mail_outbox_dir, defaults.smtp_url, defaults.public_base_url) == (
        "./data/outbox", None, "http://127.0.0.1:8000",
    )  # fmt: skip
    assert defaults.mail.sender == "Ecomsearch <no-reply@localhost>"
    chosen = settings({
        "MAIL_RETRY_MINUTES": "2", "MAIL_RETRY_MAX_MINUTES": "30", "MAIL_MAX_ATTEMPTS": "5",
        "PUBLIC_BASE_URL": "https://shop.example/",
    })  # fmt: skip
    assert (chosen.mail.retry_seconds, chosen.mail.max_retry_seconds, chosen.mail.max_attempts) == (
        120,
        1800,
        5,
    )
    assert chosen.public_base_url == "https://shop.example"
