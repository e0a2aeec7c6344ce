"""The rules admin page in headless Chromium against the real backend: a rule pinning one product
first and hiding another shows in the page's preview (pinned marked, hidden struck out beside it),
and is deleted again. With DOCS_SCREENSHOTS=1 the run also refreshes docs/rules-admin.png."""

import os
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.browser.conftest import ROOT
from tests.e2e.browser.test_synonyms import _as_admin

QUERY = "headphones"


def _open_rules(page: Page) -> None:
    page.get_by_role("link", name="Rules").click()
    expect(page).to_have_url(re.compile(r"/rules$"))
    expect(page.get_by_role("heading", name="Rules", level=1)).to_be_visible()


def _preview(page: Page, q: str) -> tuple[Any, Any]:
    form = page.get_by_role("search", name="Preview a query")
    form.get_by_label("Query").fill(q)
    form.get_by_role("button", name="Preview").click()
    return page.get_by_role("region", name="With rules"), page.get_by_role("region", name="Without rules")


def test_a_rule_pins_and_hides_in_the_preview_and_is_deleted(
    server: dict[str, str], browser: Any, screenshots: Path
) -> None:
    page = _as_admin(server, browser)
    # The products as ranked without rules, read with the page's own session: hide the first,
    # pin the sixth at position 1.
    ranked = page.request.get(
        server["base"] + "/api/admin/search/preview", params={"q": QUERY, "without": "rules"}
    )
    assert ranked.ok, ranked.text()
    items = ranked.json()["without"]["items"]
    assert len(items) >= 6
    hidden, pinned = items[0], items[5]

    _open_rules(page)
    form = page.get_by_role("form", name="Add a rule")
    form.get_by_label("Name (optional)").fill("headphones promo")
    form.get_by_label("Query", exact=True).fill(QUERY)
    form.get_by_label("Pinned SKU").fill(pinned["sku"])
    form.get_by_label("Position").fill("1")
    form.get_by_label(re.compile("Hidden SKUs")).fill(hidden["sku"])
    form.get_by_role("button", name="Add rule").click()
    listed = page.locator("li", has_text="headphones promo")
    expect(listed).to_contain_text(f"pin {pinned['sku']} at 1; hide {hidden['sku']}")

    with_rules, without_rules = _preview(page, QUERY)
    first = with_rules.get_by_role("listitem").first
    expect(first).to_contain_text(pinned["sku"])
    expect(first.get_by_text("Pinned", exact=True)).to_be_visible()
    expect(with_rules).to_contain_text("Rules applied: headphones promo")
    expect(with_rules.locator(f'li[data-sku="{hidden["sku"]}"]')).to_have_count(0)
    expect(without_rules.get_by_label(f"{hidden['title']} (hidden)")).to_be_visible()
    expect(page.get_by_role("button", name="Dismiss notification")).to_have_count(0, timeout=10_000)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header stays at the top of a full-page shot
    page.screenshot(path=str(screenshots / "rules-admin.png"), full_page=True)
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        page.screenshot(path=str(ROOT / "docs" / "rules-admin.png"), full_page=True)

    page.get_by_role("button", name="Delete headphones promo").click()
    expect(listed).to_have_count(0)
    with_rules, _ = _preview(page, QUERY)
    expect(with_rules.locator(f'li[data-sku="{hidden["sku"]}"]')).to_have_count(1)
    expect(with_rules.get_by_text("Pinned", exact=True)).to_have_count(0)
