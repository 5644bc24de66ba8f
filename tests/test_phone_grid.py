"""The month grid on a phone and on a desktop (Chromium): a list of weeks on a 375 px phone,
a multi-day event drawn once per week row, tap targets of WCAG 2.2 size (issue 16)."""
from __future__ import annotations

import re
from urllib.request import urlopen

import pytest

from pages_html import Page
from test_phone_layout import PHONE, phone, shipped  # noqa: F401 (fixtures)

MAY = "/calendar/2027/05/"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# Shipped: 大运河“开漕节” runs 17 April to 16 May 2027, over three of May's week rows
# (26 Apr-2 May, 3-9 May, 10-16 May); the heritage crafts show 1-5 May, over two.
KAICAO = "/events/kaicao-festival/"
CRAFTS = "/events/heritage-crafts-pagoda/"


@pytest.fixture
def desktop(browser):
    context = browser.new_context(**DESKTOP)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", ["", "/en"])
def test_may_2027_is_a_short_list_of_weeks_on_a_phone(phone, shipped, lang):
    phone.goto(shipped + lang + MAY)
    height = phone.locator(".month-grid").bounding_box()["height"]
    assert height < 2500, height  # it was 5,971 px (zh) and 7,512 px (en) before issue 16
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    # Days with nothing new on are left out (6 May stays: 立夏, a solar term); days listed say
    # when the same event comes again that week instead of repeating it.
    assert phone.locator("td:has(time[datetime='2027-05-04'])").is_hidden()
    assert phone.locator("td:has(time[datetime='2027-05-06'])").is_visible()
    saturday = phone.locator("td:has(time[datetime='2027-05-08'])")
    again = "also Sun" if lang else "周日也有"
    cruise = saturday.locator("li", has=phone.locator("a[href$='/events/city-reach-cruise/']"))
    assert again in cruise.inner_text()
    sunday = phone.locator("td:has(time[datetime='2027-05-09'])")
    assert sunday.locator("a[href$='/events/city-reach-cruise/']").is_hidden()


def _bars(page, href):
    return page.locator(f".cell-spans .span a.span-title[href$='{href}']")


@pytest.mark.parametrize("lang", ["", "/en"])
def test_a_multi_day_event_is_drawn_once_per_week_row(shipped, desktop, phone, lang):
    html = Page(urlopen(shipped + lang + MAY).read().decode())
    assert sum(1 for link in html.links if link.endswith(KAICAO)) == 3  # not 21 (one a day)
    assert sum(1 for link in html.links if link.endswith(CRAFTS)) == 2
    for page in (desktop, phone):
        page.goto(shipped + lang + MAY)
        bars = _bars(page, KAICAO)
        assert bars.count() == 3 and all(bars.nth(n).is_visible() for n in range(3))
        assert page.locator(f".month-grid a[href$='{KAICAO}']:visible").count() == 3
        assert _bars(page, CRAFTS).count() == 2
    # Each bar says its dates; on the desktop it reaches across the days it runs that week.
    dates = "17 Apr\u2009–\u200916 May" if lang else "4月17日至5月16日"  # Babel's thin spaces
    assert dates in _bars(desktop, KAICAO).nth(1).inner_text()
    row = desktop.locator("tr:has(time[datetime='2027-05-03'])")
    monday = row.locator("td").nth(0).bounding_box()
    sunday = row.locator("td").nth(6).bounding_box()
    bar = _bars(desktop, KAICAO).nth(1).locator("xpath=..").bounding_box()
    assert bar["x"] < monday["x"] + 10 and bar["x"] + bar["width"] > sunday["x"] + sunday["width"] - 10
    crafts = _bars(desktop, CRAFTS).nth(1).locator("xpath=..").bounding_box()
    wednesday = row.locator("td").nth(2).bounding_box()  # 3-5 May: Monday to Wednesday
    assert wednesday["x"] < crafts["x"] + crafts["width"] <= wednesday["x"] + wednesday["width"]


TARGETS = "main .calendar-tools a, main .calendar-tools button, main .calendar-tools input, .month-grid a"
PRIMARY = ".month-nav a, .calendar-tools .jump button, .calendar-tools .jump input"


@pytest.mark.parametrize("lang", ["", "/en"])
def test_every_tap_target_of_the_grid_is_big_enough(shipped, desktop, phone, lang):
    for page in (desktop, phone):
        page.goto(shipped + lang + MAY)
        small = page.evaluate("""([all, primary]) => [...document.querySelectorAll(all)]
            .filter(e => e.getClientRects().length)
            .map(e => [e, e.getBoundingClientRect(), e.matches(primary) ? 44 : 24])
            .filter(([e, r, min]) => r.width < min || r.height < min)
            .map(([e, r, min]) => `${e.outerHTML.slice(0, 80)} ${Math.round(r.width)}x${Math.round(r.height)} < ${min}`)
            """, [TARGETS, PRIMARY])
        assert small == [], page.viewport_size
        assert page.locator(PRIMARY).count() >= 3


def test_no_js_grid_is_the_same(browser, shipped):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(shipped + MAY)
        assert _bars(page, KAICAO).count() == 3
        assert page.locator(".month-grid").bounding_box()["height"] < 2500
        assert re.search(r"4月17日至5月16日", page.locator(".month-grid").inner_text())
    finally:
        context.close()
