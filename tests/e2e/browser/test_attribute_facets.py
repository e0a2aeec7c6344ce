"""Attribute facets in the shop's filter panel, in headless Chromium on the seeded demo shop: ticking
a value narrows the results and lands in the URL, a reload keeps it, and a size (a value or a range
bucket) combines with it (range buckets themselves: web/src/components/Filters.test.tsx and
tests/e2e/test_http_attribute_facets.py). DOCS_SCREENSHOTS=1 also refreshes docs/shop-attribute-facets.png."""

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from tests.e2e.browser.conftest import ROOT

DESKTOP = {"width": 1280, "height": 1100}


def _total(page: Page) -> int:
    summary = page.locator("p.summary")
    expect(summary).to_have_text(re.compile(r"^[\d,]+ results"))
    return int(summary.inner_text().split(" ")[0].replace(",", ""))


def _settled(page: Page) -> None:
    expect(page.locator("main.results")).to_have_attribute("aria-busy", "false")


def test_ticking_an_attribute_narrows_the_results_and_survives_a_reload(
    server: dict[str, str], browser: Any, screenshots: Path
) -> None:
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(server["base"] + "/?category=Running+Shoes")
    _settled(page)
    everything = _total(page)
    colors = page.get_by_role("group", name="Color")
    expect(colors).to_be_visible()
    first = colors.get_by_role("checkbox").first
    value = first.get_attribute("value")
    count = int(re.search(r"\((\d+)\)", first.locator("xpath=..").inner_text()).group(1))  # type: ignore[union-attr]
    first.check()
    expect(page).to_have_url(re.compile(r"attr\.color="))
    _settled(page)
    assert parse_qs(urlparse(page.url).query)["attr.color"] == [value]
    narrowed = _total(page)
    assert narrowed == count < everything
    expect(page.get_by_role("list", name="Active filters")).to_contain_text(f"Color: {value}")

    # A numeric attribute, ANDed with the colour: its sizes, or range buckets when the chosen
    # colour leaves more than eight of them.
    sizes = page.get_by_role("group", name="Size")
    expect(sizes).to_be_visible()
    bucket = sizes.get_by_role("checkbox").first
    label = bucket.get_attribute("value") or ""
    assert re.fullmatch(r"\d+|\d*\.\.\d*", label), label
    bucket.check()
    expect(page).to_have_url(re.compile(r"attr\.size="))
    _settled(page)
    assert parse_qs(urlparse(page.url).query)["attr.size"] == [label]
    both = _total(page)
    assert 0 < both <= narrowed
    page.screenshot(path=str(screenshots / "shop-attribute-facets.png"), full_page=True)
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        page.screenshot(path=str(ROOT / "docs" / "shop-attribute-facets.png"), full_page=True)

    page.reload()
    _settled(page)
    expect(
        page.get_by_role("group", name="Color").get_by_role(
            "checkbox", name=re.compile(re.escape(value or ""))
        )
    ).to_be_checked()
    assert _total(page) == both
    page.get_by_role("button", name=f"Remove Color: {value}").click()
    expect(page).not_to_have_url(re.compile(r"attr\.color="))
    _settled(page)
    assert _total(page) >= both
