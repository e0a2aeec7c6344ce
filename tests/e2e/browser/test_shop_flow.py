"""A shopper's whole visit in headless Chromium against the real backend.

Search, refine by a facet, sort by price, open a product, add it to the cart, reload and find the
cart, log out and in and find it again; the click and add-to-cart events must reach the events
table with the search id and position the page was given. Screenshots of the search page, the
product and the cart at desktop and phone widths land in artifacts/screenshots/.
"""

import re
import sqlite3
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from tests.e2e.browser.conftest import csp_violations

DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct horse battery staple"


def _prices(page: Page) -> list[float]:
    texts = page.locator("ul[aria-label='Search results'] .price").all_inner_texts()
    return [float(re.sub(r"[^0-9.]", "", t)) for t in texts]


def _search(page: Page, text: str) -> None:
    box = page.get_by_role("combobox", name="Search products")
    box.fill(text)
    box.press("Enter")
    expect(page.get_by_role("list", name="Search results")).to_be_visible()


def _signup(page: Page, username: str) -> None:
    page.get_by_role("button", name="Sign up").click()
    dialog = page.get_by_role("dialog", name="Create an account")
    dialog.get_by_label("Username").fill(username)
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_role("button", name="Sign up").click()
    expect(page.get_by_test_id("username")).to_have_text(username)


def _login(page: Page, username: str) -> None:
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Log in").click()
    dialog = page.get_by_role("dialog", name="Log in")
    dialog.get_by_label("Username or email").fill(username)
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("username")).to_have_text(username)


def _stored_event(database: str, kind: str, sku: str, search_id: str, position: int) -> bool:
    """Whether the events table holds this event; the server may write events in batches, so wait."""
    deadline = time.monotonic() + 15
    while True:
        with closing(sqlite3.connect(database)) as db:
            rows = db.execute(
                "SELECT search_id, position FROM events WHERE type = ? AND sku = ?", (kind, sku)
            ).fetchall()
        if (search_id, position) in rows:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)


def test_search_refine_and_account_errors(server: dict[str, str], browser: Any, screenshots: Path) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(server["base"] + "/")
    expect(page.get_by_role("list", name="Search results")).to_be_visible()

    # Suggestions as you type, with keyboard navigation.
    box = page.get_by_role("combobox", name="Search products")
    box.fill("headph")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    box.press("ArrowDown")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(listbox).to_be_hidden()

    _search(page, "wireless headphones")
    expect(page.locator(".card-title mark").first).to_be_visible()

    brand = page.get_by_role("group", name="Brand").get_by_role("checkbox").first
    brand_name = brand.get_attribute("value")
    brand.check()
    expect(page).to_have_url(re.compile(r"brand="))
    expect(page.get_by_role("list", name="Search results").locator(".brand").first).to_have_text(
        str(brand_name)
    )
    brands = set(page.locator("ul[aria-label='Search results'] .brand").all_inner_texts())
    assert brands == {brand_name}

    page.get_by_label("Sort by").select_option("price_asc")
    expect(page).to_have_url(re.compile(r"sort=price_asc"))
    expect(page.get_by_role("list", name="Search results")).not_to_have_class(re.compile("stale"))
    prices = _prices(page)
    assert prices and prices == sorted(prices)
    page.screenshot(path=screenshots / "search-desktop.png")

    # The state is in the URL: back undoes the sort, reload keeps the page.
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"sort="))
    page.reload()
    query = parse_qs(urlparse(page.url).query)
    assert query["q"] == ["wireless headphones"] and query["brand"] == [brand_name]
    expect(
        page.get_by_role("group", name="Brand").get_by_role("checkbox", name=re.compile(str(brand_name)))
    ).to_be_checked()

    # The spelling correction, with a way back to the words typed.
    _search(page, "wireles headphnes")
    expect(page.get_by_text("Showing results for")).to_contain_text("wireless headphones")
    page.get_by_role("button", name=re.compile("Search instead for")).click()
    expect(page).to_have_url(re.compile(r"q=%22wireles"))
    expect(page.get_by_text("Showing results for")).to_have_count(0)

    # An understood sort is a chip; removing it sorts by relevance.
    _search(page, "cheapest headphones")
    chip = page.get_by_role("button", name=re.compile("Remove sort"))
    expect(chip).to_be_visible()
    assert _prices(page) == sorted(_prices(page))
    chip.click()
    expect(page).to_have_url(re.compile(r"sort=relevance"))
    expect(page.get_by_role("button", name=re.compile("Remove sort"))).to_have_count(0)

    # An API error shows next to the field it names, and no account is created.
    page.get_by_role("button", name="Sign up").click()
    dialog = page.get_by_role("dialog", name="Create an account")
    dialog.get_by_label("Username").fill("shortpw" + uuid.uuid4().hex[:6])
    dialog.get_by_label("Password").fill("abc")
    dialog.get_by_role("button", name="Sign up").click()
    expect(dialog.locator("#account-password-error")).not_to_be_empty()
    expect(dialog.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    context.close()


def test_cart_survives_reload_and_relogin_and_events_arrive(
    server: dict[str, str], browser: Any, screenshots: Path
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    refused = csp_violations(page)
    page.goto(server["base"] + "/")
    username = "shopper" + uuid.uuid4().hex[:8]
    _signup(page, username)

    _search(page, "headphones")
    page.get_by_role("group", name="Category").get_by_role("checkbox").first.check()
    expect(page).to_have_url(re.compile(r"category="))
    page.get_by_label("Sort by").select_option("price_asc")
    expect(page).to_have_url(re.compile(r"sort=price_asc"))
    expect(page.get_by_role("list", name="Search results")).not_to_have_class(re.compile("stale"))
    page.screenshot(path=screenshots / "search-desktop.png")

    card = page.locator("ul[aria-label='Search results'] li.card").nth(1)
    sku = str(card.get_attribute("data-sku"))
    with page.expect_response(
        lambda r: r.url.endswith("/api/events") and "click" in (r.request.post_data or "")
    ) as click:
        card.locator(".card-open").click()
    assert click.value.status == 202
    clicked = click.value.request.post_data_json
    assert clicked["position"] == 2 and clicked["search_id"]

    dialog = page.get_by_role("dialog", name=re.compile(".+"))
    expect(dialog.locator("#product-title")).not_to_have_text("Loading…")
    dialog.get_by_label("Quantity").fill("2")
    with page.expect_response(
        lambda r: r.url.endswith("/api/events") and "add_to_cart" in (r.request.post_data or "")
    ) as added:
        dialog.get_by_role("button", name="Add to cart").click()
    assert added.value.status == 202
    expect(page.get_by_test_id("cart-count")).to_have_text("2")
    page.screenshot(path=screenshots / "product-desktop.png")

    page.reload()
    expect(page.get_by_role("dialog")).to_be_visible()  # the open product is part of the URL
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("cart-count")).to_have_text("2")
    page.get_by_role("button", name=re.compile(r"^Cart")).click()
    drawer = page.get_by_role("dialog", name="Your cart")
    expect(drawer.locator(f"li[data-sku='{sku}'] input")).to_have_value("2")
    page.screenshot(path=screenshots / "cart-desktop.png")
    drawer.get_by_role("button", name="Close cart").click()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_test_id("cart-count")).to_have_text("0")
    _login(page, username)
    expect(page.get_by_test_id("cart-count")).to_have_text("2")

    # The shopper's own review: posted, then edited in place.
    page.goto(f"{server['base']}/?product={sku}")
    review = page.get_by_role("form", name="Your review")
    review.get_by_label("Your rating").select_option("4")
    review.get_by_label("Comment").fill("Comfortable on long trips.")
    review.get_by_role("button", name="Post review").click()
    expect(page.locator(".review").filter(has_text=username)).to_contain_text("Comfortable on long trips.")
    review.get_by_label("Comment").fill("Comfortable, but the case is bulky.")
    review.get_by_role("button", name="Update review").click()
    expect(page.locator(".review").filter(has_text=username)).to_contain_text("the case is bulky")
    expect(page.locator(".review").filter(has_text=username)).to_have_count(1)
    page.keyboard.press("Escape")

    assert _stored_event(server["database"], "click", sku, clicked["search_id"], 2)
    assert _stored_event(server["database"], "add_to_cart", sku, clicked["search_id"], 2)

    # The same pages at a phone's width.
    phone = browser.new_context(viewport=PHONE, storage_state=context.storage_state())
    small = phone.new_page()
    small.goto(page.url.split("&product=")[0].split("?product=")[0])
    expect(small.get_by_role("list", name="Search results")).to_be_visible()
    small.screenshot(path=screenshots / "search-phone.png", full_page=False)
    small.locator("ul[aria-label='Search results'] .card-open").first.click()
    expect(small.locator("#product-title")).not_to_have_text("Loading…")
    small.screenshot(path=screenshots / "product-phone.png")
    small.keyboard.press("Escape")
    small.get_by_role("button", name=re.compile(r"^Cart")).click()
    expect(small.get_by_role("dialog", name="Your cart").locator("li.cart-line").first).to_be_visible()
    small.screenshot(path=screenshots / "cart-phone.png")
    phone.close()
    assert refused == []
    context.close()
