"""The visitor pages in Chromium: months, filters, language switch, a 375 px phone."""
from __future__ import annotations

import json

import pytest

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def watched(page, network):
    """The page, failing the test on console errors or any request leaving the machine but map tiles."""
    problems = []
    # The 400 page itself is logged as a failed load; that one is expected.
    expected = "the server responded with a status of 400"
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and expected not in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page
    assert problems == []
    assert network["blocked"] == []


def test_move_between_months_and_jump(watched, live_server):
    page = watched
    page.set_viewport_size(WIDE)
    page.goto(live_server + "/en/calendar/2026/12/")
    assert page.locator("h1").inner_text() == "Calendar: December 2026"
    page.get_by_role("link", name="Next month").click()
    page.wait_for_url(live_server + "/en/calendar/2027/01/")
    cell = page.locator("td:has(time[datetime='2027-01-09'])")
    assert "Tongwulang Farm-Tourism Food Carnival" in cell.inner_text()
    page.get_by_role("link", name="Previous month").click()
    page.wait_for_url(live_server + "/en/calendar/2026/12/")
    page.get_by_label("Go to month").fill("2027-04")
    page.get_by_role("button", name="Go").click()
    page.wait_for_url(live_server + "/en/calendar/2027/04/")
    # Issue 16: the festival (17-19 April) is one bar from its first day in the week.
    assert page.locator("td:has(time[datetime='2027-04-17'])").get_by_text("Grand Canal Kaicao Festival").is_visible()


def test_filter_the_agenda(watched, live_server):
    page = watched
    page.set_viewport_size(WIDE)
    page.goto(live_server + "/en/events/")
    assert not page.get_by_label("Tongzhou, Beijing").is_visible()  # folded until asked for
    page.get_by_text("Filter events").click()
    page.get_by_label("Tongzhou, Beijing").check()
    page.get_by_label("Festivals").check()
    page.get_by_role("button", name="Show events").click()
    page.wait_for_url("**/en/events/?area=tongzhou&category=festival*")
    titles = page.locator(".results .occurrence .title").all_inner_texts()
    assert titles == ["运河夜话", "Grand Canal Kaicao Festival"]
    page.get_by_label("Search titles, descriptions and places").fill("no such thing")
    page.get_by_role("button", name="Show events").click()
    assert page.get_by_text("No events match these filters.").is_visible()
    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url(live_server + "/en/events/")
    assert page.locator(".results .occurrence").count() == 20


def test_switch_language_keeps_page_and_filters(watched, live_server):
    page = watched
    page.goto(live_server + "/events/?category=food")
    assert page.locator("h1").inner_text() == "活动"
    page.get_by_role("link", name="English").click()
    page.wait_for_url(live_server + "/en/events/?category=food")
    assert page.locator("h1").inner_text() == "Events"
    assert page.get_by_label("Food", exact=True).is_checked()  # not "Add to plan: …Food Carnival"
    page.get_by_role("link", name="中文").click()
    page.wait_for_url(live_server + "/events/?category=food")


@pytest.mark.parametrize("path", ["/", "/calendar/", "/calendar/2027/05/", "/events/",
                                  "/events/farm-food-festival/", "/sites/", "/sites/xianghe-wharf/",
                                  "/events/?from=bad"])
@pytest.mark.parametrize("lang", ["", "/en"])
def test_phone_width_has_no_horizontal_scroll(watched, live_server, path, lang):
    page = watched
    page.set_viewport_size(PHONE)
    page.goto(live_server + lang + path)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert page.locator("main h1").is_visible()


def test_phone_calendar_lists_days_with_events(watched, live_server):
    page = watched
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/en/calendar/2026/12/")
    assert page.get_by_text("Saturday, 12 December 2026").is_visible()
    assert not page.locator("td:has(time[datetime='2026-12-02'])").is_visible()  # nothing on


def test_keyboard_focus_is_visible(watched, live_server):
    page = watched
    page.goto(live_server + "/en/events/")
    page.keyboard.press("Tab")  # the skip link comes first
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_jsonld_reads_in_the_browser(watched, live_server):
    page = watched
    page.goto(live_server + "/en/events/farm-food-festival/")
    blocks = page.locator("script[type='application/ld+json']").all_text_contents()
    items = json.loads(blocks[0])
    assert items[0]["name"] == "Tongwulang Farm-Tourism Food Carnival"
    assert items[0]["startDate"] == "2026-12-12T10:00:00+08:00"
