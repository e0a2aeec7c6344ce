"""The account page in headless Chromium against the real backend: see your sessions and end
another one, download your data, delete your account (after which logging in fails)."""

import json
import re
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.browser.conftest import csp_violations
from tests.e2e.browser.test_shop_flow import DESKTOP, PASSWORD, _login, _signup


def _open_account(page: Page) -> None:
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Account").click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()


def _name() -> str:
    return "acct" + uuid.uuid4().hex[:8]


def test_list_sessions_and_end_another_one(server: dict[str, str], browser: Any, screenshots: Path) -> None:
    name = _name()
    laptop = browser.new_context(viewport=DESKTOP, user_agent="Laptop browser")
    phone = browser.new_context(viewport=DESKTOP, user_agent="Phone browser")
    page, other = laptop.new_page(), phone.new_page()
    refused = csp_violations(page)
    page.goto(server["base"] + "/")
    _signup(page, name)
    other.goto(server["base"] + "/")
    _login(other, name)

    _open_account(page)
    sessions = page.get_by_role("list", name="Sessions").get_by_test_id("session")
    expect(sessions).to_have_count(2)
    expect(sessions.nth(0)).to_contain_text("Phone browser")
    expect(sessions.nth(1)).to_contain_text("Laptop browser")
    expect(sessions.nth(1)).to_contain_text("This device")
    page.screenshot(path=str(screenshots / "account-desktop.png"), full_page=True)
    page.get_by_role("button", name="End session on Phone browser").click()
    expect(sessions).to_have_count(1)

    # The other browser is logged out at once.
    other.reload()
    expect(
        other.get_by_role("navigation", name="Account").get_by_role("button", name="Log in")
    ).to_be_visible()
    # This one still works, and a reload of /account keeps the page.
    page.reload()
    expect(page.get_by_test_id("username")).to_have_text(name)
    expect(page.get_by_role("list", name="Sessions").get_by_test_id("session")).to_have_count(1)
    assert refused == []
    laptop.close()
    phone.close()


def test_download_my_data_is_the_accounts_json(server: dict[str, str], browser: Any) -> None:
    name = _name()
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.goto(server["base"] + "/")
    _signup(page, name)
    _open_account(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download my data").click()
    download = info.value
    assert download.suggested_filename == f"ecomsearch-export-{name}.json"
    data = json.loads(Path(download.path()).read_text())
    assert data["profile"]["username"] == name
    assert {"cart", "reviews", "events", "recently_viewed", "sessions"} <= set(data)
    assert [s["current"] for s in data["sessions"]] == [True]
    context.close()


def test_delete_my_account_then_login_fails(server: dict[str, str], browser: Any) -> None:
    name = _name()
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(server["base"] + "/")
    _signup(page, name)
    _open_account(page)
    deletion = page.get_by_role("region", name="Delete my account")
    # A wrong password is refused next to the field, and nothing happens.
    deletion.get_by_label("Password").fill("not my password")
    deletion.get_by_role("button", name="Delete my account").click()
    expect(deletion.locator("#delete-password-error")).not_to_be_empty()
    expect(page.get_by_test_id("username")).to_have_text(name)

    deletion.get_by_label("Password").fill(PASSWORD)
    deletion.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("list", name="Search results")).to_be_visible()  # back in the shop
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("button", name="Log in")).to_be_visible()

    account.get_by_role("button", name="Log in").click()
    dialog = page.get_by_role("dialog", name="Log in")
    dialog.get_by_label("Username or email").fill(name)
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_role("button", name="Log in").click()
    expect(dialog.get_by_role("alert")).to_contain_text("incorrect")
    expect(page.get_by_test_id("username")).to_have_count(0)
    context.close()
