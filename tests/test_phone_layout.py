"""The site on a 375 px phone, as a visitor holds it (Chromium)."""
from __future__ import annotations

import pytest

from canal import create_app
from conftest import DATA, NOW

ROOT = DATA.parent.parent
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2,
         "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 "
                       "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def shipped(serve):
    return serve(create_app({"TESTING": True, "CANAL_EVENTS": str(ROOT / "events.toml"), "CANAL_NOW": NOW}))


@pytest.mark.parametrize("lang", ["", "/en"])
def test_the_first_screen_shows_what_is_on_next(phone, shipped, lang):
    phone.goto(shipped + lang + "/")
    items = phone.locator(".next-up li")
    assert items.count() == 3
    for index in range(items.count()):
        box = items.nth(index).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 812, (index, box)
    # The map follows, shorter than the screen, so the page goes on below it.
    assert phone.locator("#map_home").bounding_box()["height"] <= 812 * 0.6


def test_without_javascript_the_sites_stand_where_the_map_would_be(browser, shipped):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(shipped + "/")
        assert not page.locator("#map_home").is_visible()  # no empty grey box
        listed = page.locator(".canal-map .sites-by-area--map")
        assert listed.is_visible()
        assert listed.locator("li a").count() == 26
        # Right after the next events, before the full upcoming list; the copy further
        # down the page is not shown twice.
        assert listed.bounding_box()["y"] < page.locator("#upcoming-heading").bounding_box()["y"]
        assert page.locator(".sites-by-area--page").is_hidden()
        assert page.locator("h2#sites-by-area-map-heading").count() == 1
    finally:
        context.close()


def test_with_javascript_there_is_one_list_of_sites(phone, shipped):
    phone.goto(shipped + "/")
    assert phone.locator(".sites-by-area--page").is_visible()
    assert phone.locator(".sites-by-area--map").count() == 0  # <noscript> stays unparsed
