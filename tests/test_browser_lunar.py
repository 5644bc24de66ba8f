"""The month grid in Chromium as a Chinese wall calendar: lunar days, festivals, solar terms
and 休/班 badges, in both languages, on a desktop and on a 375 px phone."""
from __future__ import annotations

from pathlib import Path

import pytest

from canal import create_app

ROOT = Path(__file__).resolve().parent.parent
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def shipped_server(serve):
    return serve(create_app({"CANAL_EVENTS": str(ROOT / "events.toml"), "TESTING": True,
                             "CANAL_NOW": "2026-12-01T09:00:00"}))


def cell(page, day: str):
    return page.locator(f"td:has(time[datetime='{day}'])")


def test_the_grid_shows_lunar_days_festivals_terms_and_holiday_badges_in_chinese(page, shipped_server):
    page.set_viewport_size(WIDE)
    page.goto(shipped_server + "/calendar/2026/02/")
    assert cell(page, "2026-02-17").locator(".almanac").inner_text() == "正月 春节"   # 初一: the month's name
    assert cell(page, "2026-02-18").locator(".lunar-day").inner_text() == "初二"
    assert cell(page, "2026-02-16").locator(".festival").inner_text() == "除夕"
    assert cell(page, "2026-02-04").locator(".solar-term").inner_text() == "立春"
    off = cell(page, "2026-02-17").locator(".day-badge.off [aria-hidden=true]")
    assert off.inner_text() == "休" and off.is_visible()
    assert cell(page, "2026-02-14").locator(".day-badge.work [aria-hidden=true]").inner_text() == "班"
    # What a screen reader says for the badges (the visible character is hidden from it).
    assert page.get_by_text("法定节假日：春节").count() == 9
    assert page.get_by_text("调休上班（春节）").count() == 2
    assert cell(page, "2026-02-24").locator(".day-badge").count() == 0


def test_the_grid_in_english_and_the_lunar_date_on_event_pages(page, shipped_server):
    page.set_viewport_size(WIDE)
    page.goto(shipped_server + "/en/calendar/2027/06/")
    race = cell(page, "2027-06-09")
    assert race.locator(".lunar-day").inner_text() == "初五"
    assert race.locator(".lunar-day").get_attribute("title") == "5th day of the 5th lunar month"
    assert race.locator(".festival").inner_text() == "Dragon Boat Festival"
    assert "Beijing Dragon Boat Festival Race" in race.inner_text()
    assert cell(page, "2027-06-06").locator(".solar-term").inner_text() == "Grain in Ear"
    page.goto(shipped_server + "/en/events/dragon-boat-race/")
    rule = page.locator(".rule").inner_text()
    assert rule == "every year on the 5th day of the 5th lunar month (Dragon Boat Festival), 5 times"
    assert "(5th day of the 5th lunar month)" in page.locator(".facts").inner_text()
    page.goto(shipped_server + "/events/dragon-boat-race/")
    assert page.locator(".rule").inner_text() == "每年农历五月初五（端午节），共5次"
    assert "（农历五月初五）" in page.locator(".facts").inner_text()


@pytest.mark.parametrize("path", ["/calendar/2026/02/", "/en/calendar/2026/02/", "/en/calendar/2026/10/"])
def test_the_grid_still_fits_a_375_px_phone(page, shipped_server, path):
    page.set_viewport_size(PHONE)
    page.goto(shipped_server + path)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    # Holidays and festivals are something on: their days stay in the phone's list of days.
    day = "2026-02-17" if "/02/" in path else "2026-10-01"
    assert cell(page, day).is_visible()
    assert cell(page, day).locator(".day-badge.off").is_visible()
    assert cell(page, "2026-02-24" if "/02/" in path else "2026-10-14").is_hidden()
