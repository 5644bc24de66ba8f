"""The home page in a real browser: it renders, in both languages, without errors."""
from __future__ import annotations


def test_home_renders_in_chromium_without_console_errors(page, live_server):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "北运河文旅活动"
    assert page.get_by_text("通武廊农旅美食嘉年华").first.is_visible()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(live_server + "/en/")
    assert page.locator("h2#upcoming-heading").inner_text() == "Upcoming events"
    assert errors == []
