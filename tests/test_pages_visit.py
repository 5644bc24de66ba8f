"""What visitors see of hours, booking, shortcuts and open sites on the server-rendered pages."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from canal import agenda, create_app
from conftest import NOW
from pages_html import Page

ROOT = Path(__file__).resolve().parent.parent


def elements(page: Page, cls: str) -> list[dict]:
    return [a for t, a in page.elements if cls in (a.get("class") or "").split()]


@pytest.mark.parametrize(("today", "weekend"), [
    (date(2026, 12, 1), (date(2026, 12, 5), date(2026, 12, 6))),   # Tuesday
    (date(2026, 12, 5), (date(2026, 12, 5), date(2026, 12, 6))),   # Saturday
    (date(2026, 12, 6), (date(2026, 12, 6), date(2026, 12, 6))),   # Sunday: just today
])
def test_shortcut_ranges(today, weekend):
    assert agenda.shortcut_range("today", today) == (today, today)
    assert agenda.shortcut_range("weekend", today) == weekend
    assert agenda.shortcut_range("week", today)[1] == date(today.year, today.month, today.day + 6)
    assert agenda.shortcut_range("month", today) == (today, date(2026, 12, 31))


@pytest.mark.parametrize("url", ["/events/", "/", "/en/events/", "/en/"])
def test_shortcuts_on_the_agenda_and_home_page(client, url):
    page = Page(client.get(url).get_data(as_text=True))
    found = [(a["href"]) for a in elements(page, "shortcut")]
    prefix = "/en" if url.startswith("/en") else ""
    assert found == [f"{prefix}/events/?from=2026-12-01&to=2026-12-01",
                     f"{prefix}/events/?from=2026-12-05&to=2026-12-06",
                     f"{prefix}/events/?from=2026-12-01&to=2026-12-07",
                     f"{prefix}/events/?from=2026-12-01&to=2026-12-31"]
    words = ["Today", "This weekend", "Next 7 days", "This month"] if prefix else ["今天", "本周末", "未来7天", "本月"]
    text = Page(client.get(url).get_data(as_text=True)).text
    assert all(w in text for w in words)


def test_an_empty_result_says_when_the_next_event_is(client):
    page = Page(client.get("/en/events/?from=2026-12-02&to=2026-12-03").get_data(as_text=True))
    assert "No events match these filters." in page.text
    assert "The next one: Tongwulang Farm-Tourism Food Carnival · Saturday, 12 December 2026 10:00–17:00" in page.text
    assert "/en/events/farm-food-festival/" in page.links
    assert "/en/events/?from=2026-12-12" in page.links


def test_sites_open_on_the_chosen_dates_are_listed(client):
    page = Page(client.get("/events/?from=2026-12-01&to=2026-12-02").get_data(as_text=True))
    assert "这几天也开放" in page.text
    section = page.text[page.text.index("这几天也开放"):]
    assert "北京大运河博物馆" in section
    assert "开放日：" in section and "周二" in section and "周三" in section
    # a Monday: the museum is closed, so it is not suggested
    monday = Page(client.get("/events/?from=2026-12-07&to=2026-12-07").get_data(as_text=True))
    assert "这几天也开放" not in monday.text
    # no dates chosen: no suggestion list
    assert "这几天也开放" not in Page(client.get("/events/").get_data(as_text=True)).text


def test_booking_is_on_agenda_items_with_a_phone_link(client):
    page = Page(client.get("/events/?q=运河夜话").get_data(as_text=True))
    assert "需预约" in page.text and "tel:01087654321" in page.links
    assert "https://book.example.org/night" in page.links


def test_site_page_lists_hours_transport_parking_access_and_phone(client):
    page = Page(client.get("/en/sites/canal-museum/").get_data(as_text=True))
    for words in ("Open today 10:00–20:00 (last entry 19:00)", "Closed on Mondays",
                  "Public transport", "Metro line 6", "Parking", "Underground car park",
                  "Wheelchair accessible", "Wheelchair-accessible toilet", "Wheelchairs to borrow"):
        assert words in page.text, words
    assert "tel:01012345678" in page.links
    assert "https://example.org/museum-hours" in page.links


def test_event_page_says_where_a_trip_ends_and_links_both_ends(serve):
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(ROOT / "events.toml"), "CANAL_NOW": NOW})
    page = Page(app.test_client().get("/en/events/boat-tongzhou-xianghe/").get_data(as_text=True))
    assert "Ends at Xianghe Central Wharf, North Canal" in page.text
    assert "/en/sites/xianghe-wharf/" in page.links
    assert len(elements(page, "map-app--amap")) == 2  # the wharf it leaves and the one it reaches


def test_a_postponed_event_says_so(tmp_path):
    text = (Path(__file__).parent / "data" / "minimal.toml").read_text(encoding="utf-8")
    path = tmp_path / "events.toml"
    path.write_text(text.replace("start = 2026-12-31T22:00:00\nend = 2027-01-01T01:00:00\n",
                                 "start = 2027-01-30T22:00:00\nend = 2027-01-31T01:00:00\n"
                                 'status = "rescheduled"\nprevious_start = 2026-12-31T22:00:00\n'),
                    encoding="utf-8")
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(path), "CANAL_NOW": NOW})
    page = Page(app.test_client().get("/en/events/night-lecture/").get_data(as_text=True))
    assert "Rescheduled: it was planned for Thursday, 31 December 2026 22:00." in page.text
    zh = Page(app.test_client().get("/events/night-lecture/").get_data(as_text=True))
    assert "改期：原定于2026年12月31日星期四 22:00举行。" in zh.text


def test_public_holidays_are_passed_in_and_open_a_closing_day():
    """The holiday knowledge plugs in at app.extensions["canal_holidays"] (issue 13's data)."""
    from conftest import DATA
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"),
                      "CANAL_NOW": "2026-12-07T11:00:00"})  # a Monday: the museum is closed
    client = app.test_client()
    assert "Closed today" in Page(client.get("/en/sites/canal-museum/").get_data(as_text=True)).text
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"),
                      "CANAL_NOW": "2026-12-07T11:00:00"})
    app.extensions["canal_holidays"] = lambda day: day == date(2026, 12, 7)
    client = app.test_client()
    page = Page(client.get("/en/sites/canal-museum/").get_data(as_text=True))
    assert "Open today (public holiday) 10:00–20:00 (last entry 19:00)" in page.text
    assert "Open now, until 20:00" in page.text
    listed = Page(client.get("/events/?from=2026-12-07&to=2026-12-07").get_data(as_text=True))
    assert "这几天也开放" in listed.text


def test_the_announced_holidays_decide_ph_rules():
    """Without any override, PH in opening hours means the days of events.holidays.toml."""
    from conftest import DATA
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"),
                      "CANAL_HOLIDAYS": str(ROOT / "events.holidays.toml"),
                      "CANAL_NOW": "2026-10-05T11:00:00"})  # a Monday in the National Day holiday
    page = Page(app.test_client().get("/en/sites/canal-museum/").get_data(as_text=True))
    assert "Open today (public holiday) 10:00–20:00 (last entry 19:00)" in page.text
