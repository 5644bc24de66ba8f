"""The trip plan in Chromium, offline: add two overlapping events from the month grid,
see the conflict and the map of stops, download the plan's calendar file."""
from __future__ import annotations

import re

import icalendar
import pytest

from canal import create_app
from conftest import DATA, NOW, wait_for_map

FAIR = "farm-food-festival@2026-12-12"
SHOW = "zhongfan-show@2026-12-12"


@pytest.fixture
def plan_site(serve):
    return serve(create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "plan.toml"), "CANAL_NOW": NOW}))


@pytest.fixture
def watched(page, network):
    """The page; the test fails on console errors or a request to anything but loopback and tiles."""
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page
    assert problems == []
    assert network["blocked"] == []


def add_from_grid(page, site: str, label: str) -> None:
    page.goto(site + "/en/calendar/2026/12/")
    page.get_by_role("link", name=label, exact=True).click()


def test_add_two_overlapping_events_from_the_calendar_and_download_the_plan(watched, network, plan_site, tmp_path):
    page = watched
    add_from_grid(page, plan_site, "Add to plan: Tongwulang Farm-Tourism Food Carnival, Saturday, 12 December 2026")
    page.wait_for_url(f"{plan_site}/en/plan/?o={FAIR}")
    assert page.locator(".plan-count").inner_text() == " (1)"
    add_from_grid(page, plan_site, "Add to plan: Zhongfan show, Saturday, 12 December 2026")
    page.wait_for_url(f"{plan_site}/en/plan/?o={FAIR},{SHOW}")

    conflict = page.locator(".conflict")
    assert conflict.is_visible()
    assert conflict.inner_text() == ("Time conflict: “Tongwulang Farm-Tourism Food Carnival” (10:00–17:00) "
                                     "and “Zhongfan show” (14:00–15:00) overlap.")
    assert page.locator(".plan-count").inner_text() == " (2)"

    # The map of the day: both stops at the same wharf share one marker numbered "1,2".
    page.wait_for_function("window.canalPlanMaps && window.canalPlanMaps['2026-12-12']")
    assert page.locator(".plan-map .plan-marker").all_inner_texts() == ["1,2"]
    page.wait_for_function("document.querySelectorAll('.plan-map .leaflet-tile-loaded').length > 0")
    assert network["tiles"] and all("tile.openstreetmap.org" in url for url in network["tiles"])

    with page.expect_download() as caught:
        page.get_by_role("link", name="Download calendar file (.ics)").click()
    path = tmp_path / "plan.ics"
    caught.value.save_as(path)
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    starts = {str(e["UID"]): e.decoded("DTSTART").isoformat() for e in cal.walk("VEVENT")}
    assert starts == {"farm-food-festival-20261212@canal.test": "2026-12-12T10:00:00+08:00",
                      "zhongfan-show-20261212@canal.test": "2026-12-12T14:00:00+08:00"}


def test_the_saved_plan_comes_back_and_removing_empties_it(watched, plan_site):
    page = watched
    page.goto(f"{plan_site}/plan/?o={SHOW}")
    page.goto(plan_site + "/events/")
    assert page.locator(".plan-nav").get_attribute("href") == f"/plan/?o={SHOW}"
    page.goto(plan_site + "/plan/")  # a bare address opens the saved plan
    page.wait_for_url(f"{plan_site}/plan/?o={SHOW}")
    page.get_by_role("link", name="移除：中幡表演").click()
    page.wait_for_url(f"{plan_site}/plan/?o=")
    assert page.get_by_text("你的行程还是空的。").is_visible()
    page.goto(plan_site + "/plan/")
    assert page.url == plan_site + "/plan/"  # nothing saved any more: no redirect
    assert page.locator(".plan-count").inner_text() == ""


def test_a_plain_add_link_merges_with_the_saved_plan(watched, plan_site):
    page = watched
    page.goto(f"{plan_site}/en/plan/?o={FAIR}")
    # As if opened from a cached page or a shared link: only the new item in the address.
    page.goto(f"{plan_site}/en/plan/?add=museum-talk@2026-12-12")
    page.wait_for_url(f"{plan_site}/en/plan/?o={FAIR},museum-talk@2026-12-12")
    assert "Tight: only 60 min between the two." in page.locator("main").inner_text()


def test_add_from_the_map_popup(watched, plan_site):
    page = watched
    page.goto(plan_site + "/en/")
    wait_for_map(page)
    page.evaluate("""() => new Promise(done => {
        const h = window.canalMaps.map_home;
        h.cluster.zoomToShowLayer(h.markers['canal-museum'], () => { h.markers['canal-museum'].openPopup(); done(); });
    })""")
    # Each "+ Add to plan" link is named for its event and date, not just "+ Add to plan".
    page.locator(".canal-popup").get_by_role("link", name=re.compile(r"^Add to plan: Museum talk, .*12")).first.click()
    page.wait_for_url(f"{plan_site}/en/plan/?o=museum-talk@2026-12-12")
    assert page.locator(".plan-title").inner_text() == "Museum talk"


def test_print_layout_hides_the_tools(watched, plan_site):
    page = watched
    page.goto(f"{plan_site}/en/plan/?o={FAIR},{SHOW}")
    assert page.get_by_role("button", name="Print").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".plan-tools").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert page.locator(".plan-stops").is_visible()
