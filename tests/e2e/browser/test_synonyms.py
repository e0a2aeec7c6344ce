"""The synonyms admin page in headless Chromium against the real backend: a synonym added there
changes the shop's results at the next search, and a suggestion learned from the seeded traffic
(whose simulated shoppers make planted reformulations) is accepted. With DOCS_SCREENSHOTS=1 the
run also refreshes docs/synonyms-admin.png."""

import os
import re
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.browser.conftest import ROOT
from tests.e2e.browser.test_dashboard import DESKTOP, _make_admin
from tests.e2e.browser.test_shop_flow import _login, _signup


def _search_for(page: Page, text: str) -> None:
    box = page.get_by_role("combobox", name="Search products")
    box.fill(text)
    box.press("Enter")


def _as_admin(server: dict[str, str], browser: Any) -> Page:
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(server["base"] + "/")
    username = "curator-" + uuid.uuid4().hex[:8]
    _signup(page, username)
    _make_admin(server["database"], username)
    page.get_by_role("button", name="Log out").click()
    _login(page, username)
    return page


def _open_synonyms(page: Page) -> None:
    page.get_by_role("link", name="Synonyms").click()
    expect(page).to_have_url(re.compile(r"/synonyms$"))
    expect(page.get_by_role("heading", name="Synonyms", level=1)).to_be_visible()


def test_a_synonym_added_on_the_page_changes_the_results(
    server: dict[str, str], browser: Any, screenshots: Path
) -> None:
    page = _as_admin(server, browser)
    word = "quokkadivan"  # no product has it, nor a word near enough to be taken for a typo of it
    _search_for(page, word)
    expect(page.get_by_role("heading", name=re.compile("No products match"))).to_be_visible(timeout=15_000)

    _open_synonyms(page)
    form = page.get_by_role("form", name="Add a synonym")
    form.get_by_label(re.compile("Terms")).fill(f"{word}, sofa")
    form.get_by_role("button", name="Add").click()
    expect(page.get_by_text(f"{word} ⇄ sofa")).to_be_visible()

    page.get_by_role("link", name="Ecomsearch").click()
    _search_for(page, word)
    results = page.get_by_role("list", name="Search results")
    expect(results).to_be_visible()
    assert results.locator("li.card").count() > 0


def test_the_preview_finds_through_a_new_synonym_what_the_word_alone_does_not(
    server: dict[str, str], browser: Any, screenshots: Path
) -> None:
    page = _as_admin(server, browser)
    _open_synonyms(page)
    word = "wombatpouch"  # no product says it; after the synonym, it finds what "headphones" finds
    form = page.get_by_role("form", name="Add a synonym")
    form.get_by_label(re.compile("Terms")).fill(f"{word}, headphones")
    form.get_by_role("button", name="Add").click()
    expect(page.get_by_text(f"{word} ⇄ headphones")).to_be_visible()

    preview = page.get_by_role("search", name="Preview a query")
    preview.get_by_label("Query").fill(word)
    preview.get_by_role("button", name="Preview").click()
    found = page.get_by_role("region", name="With synonyms").get_by_role("listitem")
    expect(found.first).to_be_visible()
    expect(found.first.get_by_text("Synonym", exact=True)).to_be_visible()  # only the synonym found it
    without = page.get_by_role("region", name="Without synonyms")
    expect(without.get_by_text("No products.")).to_be_visible()


def test_a_learned_suggestion_is_accepted(server: dict[str, str], browser: Any, screenshots: Path) -> None:
    page = _as_admin(server, browser)
    _open_synonyms(page)
    page.get_by_role("button", name="Look for new ones").click()
    accept = page.get_by_role("button", name=re.compile("^Accept "))
    expect(accept.first).to_be_visible(timeout=20_000)
    expect(page.get_by_role("button", name="Dismiss notification")).to_have_count(0, timeout=10_000)
    page.screenshot(path=str(screenshots / "synonyms-admin.png"), full_page=True)
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        page.screenshot(path=str(ROOT / "docs" / "synonyms-admin.png"), full_page=True)
    said = accept.first.get_attribute("aria-label").removeprefix("Accept ").split(" → ")[0]
    accept.first.click()
    expect(page.get_by_text(re.compile(rf"^{said} → "))).to_be_visible()

    page.get_by_role("link", name="Ecomsearch").click()
    _search_for(page, said)
    expect(page.get_by_role("list", name="Search results")).to_be_visible()
    assert page.get_by_role("list", name="Search results").locator("li.card").count() > 0
