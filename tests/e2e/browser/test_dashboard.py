"""The analytics dashboard in headless Chromium against the real backend and its rollup tables.

An administrator opens it from the nav link and finds the recharts SVGs drawn from the seeded
traffic; a logged-in shopper and an anonymous visitor get the admins-only message instead. With
DOCS_SCREENSHOTS=1 the run also refreshes docs/analytics-dashboard.png.
"""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.browser.conftest import ROOT, csp_violations
from tests.e2e.browser.test_shop_flow import _login, _signup

DESKTOP = {"width": 1280, "height": 900}
WINDOW_DAYS = 30

# Rolls the seeded log up into the summary tables the endpoint reads. In a subprocess, because
# Playwright's sync API holds an event loop in this thread.
ROLLUP = """
import asyncio, sys
from datetime import UTC, datetime, timedelta
from sqlalchemy.ext.asyncio import create_async_engine
from adapters.sql.analytics_rollup import SqlAnalyticsRollup

async def main() -> None:
    engine = create_async_engine(sys.argv[1])
    today = datetime.now(UTC).date()
    for back in range(int(sys.argv[2])):
        await SqlAnalyticsRollup(engine).rollup_day(today - timedelta(days=back))
    await engine.dispose()

asyncio.run(main())
"""


def _database_env(database: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{database}"}


def _rollup(database: str) -> None:
    command = [sys.executable, "-c", ROLLUP, f"sqlite+aiosqlite:///{database}", str(WINDOW_DAYS)]
    subprocess.run(command, env=_database_env(database), check=True, capture_output=True)


def _make_admin(database: str, username: str) -> None:
    command = [sys.executable, "-m", "entrypoints.cli.main", "user", "create-admin", username]
    subprocess.run(command, env=_database_env(database), check=True, capture_output=True)


def _assert_drawn(page: Page, test_id: str, shapes: str) -> None:
    chart = page.get_by_test_id(test_id)
    expect(chart.locator("svg.recharts-surface").first).to_be_visible()
    expect(chart.locator(shapes).first).to_be_attached()
    assert chart.locator(f"svg.recharts-surface {shapes}").count() > 0, f"{test_id}: no {shapes} drawn"


def test_an_admin_sees_the_charts_drawn(server: dict[str, str], browser: Any, screenshots: Path) -> None:
    _rollup(server["database"])
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    refused = csp_violations(page)
    page.goto(server["base"] + "/")
    username = "boss-" + uuid.uuid4().hex[:8]
    _signup(page, username)
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)

    # Sessions cache their user, so the promotion shows from the next login on.
    _make_admin(server["database"], username)
    page.get_by_role("button", name="Log out").click()
    _login(page, username)
    page.get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_test_id("verdict")).to_be_visible()
    expect(page.get_by_test_id("arm-personalized")).to_contain_text("Searches")
    _assert_drawn(page, "series-chart", "path.recharts-line-curve")
    _assert_drawn(page, "position-chart", ".recharts-bar-rectangle path")
    _assert_drawn(page, "lift-chart", ".recharts-bar-rectangle path")
    expect(page.get_by_test_id("last-updated")).to_contain_text("Last updated")
    expect(page.get_by_role("region", name="Top queries").locator("tbody tr").first).to_be_visible()
    # The seeded shoppers were clustered: each cluster with its size and top categories.
    clusters = page.get_by_role("region", name="Shopper clusters").locator("li")
    expect(clusters.first).to_contain_text("users")
    assert clusters.count() >= 2

    # The window selector asks the server for that window.
    with page.expect_response(lambda r: "/api/analytics?days=7" in r.url and r.status == 200):
        page.get_by_label("Window").select_option("7")
    expect(page.get_by_text("(7 days)")).to_be_visible()
    page.get_by_label("Window").select_option("30")
    expect(page.get_by_text("(30 days)")).to_be_visible()

    # The login toast would cover a panel in the screenshot; it leaves by itself after 3.5 s.
    expect(page.get_by_role("button", name="Dismiss notification")).to_have_count(0, timeout=10_000)
    page.screenshot(path=str(screenshots / "dashboard-desktop.png"), full_page=True)
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        page.screenshot(path=str(ROOT / "docs" / "analytics-dashboard.png"), full_page=True)
    assert refused == []
    context.close()


def test_a_shopper_and_a_visitor_see_admins_only(server: dict[str, str], browser: Any) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(server["base"] + "/dashboard")
    expect(page.get_by_role("heading", name="Admins only")).to_be_visible()
    expect(page.get_by_text("Log in with an administrator account")).to_be_visible()

    _signup(page, "shopper-" + uuid.uuid4().hex[:8])
    expect(page.get_by_text("Your account is not an administrator.")).to_be_visible()
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)
    expect(page.locator("svg.recharts-surface")).to_have_count(0)
    context.close()
