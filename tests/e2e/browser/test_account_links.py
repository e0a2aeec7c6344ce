"""The mailed-link flows in headless Chromium against the real backend, the mail read from the
outbox folder: sign up and verify the address; forget the password, reset it, log in with it."""

import email
import re
import time
import uuid
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

DESKTOP = {"width": 1280, "height": 860}
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a different long secret"


def _mail_to(outbox: str, address: str, subject: str) -> EmailMessage:
    """The message to `address` whose subject holds `subject`, once the send_mail job wrote it."""
    deadline = time.monotonic() + 20
    while True:
        for path in sorted(Path(outbox).glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=default)
            if message["To"] == address and subject in message["Subject"]:
                assert isinstance(message, EmailMessage)
                return message
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail to {address} about {subject!r}")
        time.sleep(0.2)


def _link(message: EmailMessage, base: str, path: str) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    found = re.search(re.escape(base + path) + r"\?token=\S+", str(body.get_content()))
    assert found is not None
    return found.group(0)


def _signup(page: Page, username: str, address: str) -> None:
    page.get_by_role("button", name="Sign up").click()
    dialog = page.get_by_role("dialog", name="Create an account")
    dialog.get_by_label("Username").fill(username)
    dialog.get_by_label("Email (optional)").fill(address)
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_role("button", name="Sign up").click()
    expect(page.get_by_test_id("username")).to_have_text(username)


def test_sign_up_and_verify_by_the_mailed_link(server: dict[str, str], browser: Any) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    username = f"ver{uuid.uuid4().hex[:8]}"
    address = f"{username}@example.com"
    page.goto(server["base"] + "/")
    _signup(page, username, address)
    notice = page.get_by_role("region", name="Email verification")
    expect(notice).to_contain_text(address)
    notice.get_by_role("button", name="Send a new link").click()
    expect(notice.get_by_role("status")).to_contain_text("A new link is on its way")

    link = _link(_mail_to(server["outbox"], address, "Confirm your email"), server["base"], "/verify-email")
    page.goto(link)
    expect(page.get_by_test_id("verified")).to_contain_text(f"{address} is verified")
    expect(page.get_by_role("region", name="Email verification")).to_have_count(0)
    page.get_by_role("button", name="Continue shopping").click()
    expect(page.get_by_role("list", name="Search results")).to_be_visible()
    # The link works once.
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("invalid or has expired")
    context.close()


def test_forgot_password_reset_by_the_mailed_link_then_log_in(server: dict[str, str], browser: Any) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    username = f"rst{uuid.uuid4().hex[:8]}"
    address = f"{username}@example.com"
    page.goto(server["base"] + "/")
    _signup(page, username, address)
    page.get_by_role("button", name="Log out").click()
    expect(
        page.get_by_role("navigation", name="Account").get_by_role("button", name="Log in")
    ).to_be_visible()

    page.get_by_role("navigation", name="Account").get_by_role("button", name="Log in").click()
    page.get_by_role("dialog", name="Log in").get_by_role("button", name="Forgot password?").click()
    expect(page).to_have_url(server["base"] + "/forgot-password")
    page.get_by_label("Email").fill(address)
    page.get_by_role("button", name="Send the link").click()
    sent = page.get_by_test_id("reset-sent")
    expect(sent).to_contain_text("If an account uses this address")
    # An unknown address gets the very same words.
    page.goto(server["base"] + "/forgot-password")
    page.get_by_label("Email").fill(f"nobody-{username}@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_test_id("reset-sent")).to_have_text(sent.inner_text())

    link = _link(_mail_to(server["outbox"], address, "Reset your"), server["base"], "/reset-password")
    page.goto(link)
    page.get_by_label("New password").fill("short")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_label("New password")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_test_id("reset-done")).to_be_visible()
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    dialog = page.get_by_role("dialog", name="Log in")
    dialog.get_by_label("Username or email").fill(address)
    dialog.get_by_label("Password").fill(NEW_PASSWORD)
    dialog.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("username")).to_have_text(username)
    # Following the reset link proved the address: no reminder to verify it.
    expect(page.get_by_role("region", name="Email verification")).to_have_count(0)
    context.close()
