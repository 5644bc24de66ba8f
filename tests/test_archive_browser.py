"""The archive pages in Chromium (issue 19): from an ended event to its year, its next
edition and back, in both languages and on a 375 px phone; hostile titles stay text."""
from __future__ import annotations

import pytest

from canal import create_app
from conftest import DATA, NOW, Watch

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def archive_server(serve):
    return serve(create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "archive.toml"), "CANAL_NOW": NOW}))


def test_from_an_ended_event_to_its_year_and_its_next_edition(page, archive_server, network):
    watch = Watch(page)
    page.set_viewport_size(PHONE)
    page.goto(archive_server + "/en/events/canal-festival-2026/")
    assert page.get_by_role("status").filter(has_text="This event has ended.").is_visible()
    page.get_by_role("link", name="Past events in 2026").click()
    page.wait_for_url(archive_server + "/en/events/archive/2026/")
    assert page.locator("h1").inner_text() == "Past events in 2026"
    june = page.locator("section", has=page.get_by_role("heading", name="June 2026"))
    assert june.get_by_role("link", name="Spring canal walk").is_visible()
    # The hostile title is shown as text, never run.
    assert page.get_by_text("<img src=x onerror=alert('en')> old event").is_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name="← 2025").click()
    page.wait_for_url(archive_server + "/en/events/archive/2025/")
    page.get_by_role("link", name="Beijing Canal Culture Festival 2025").click()
    page.get_by_role("link", name="Beijing Canal Culture Festival 2026").first.click()
    page.wait_for_url(archive_server + "/en/events/canal-festival-2026/")
    page.get_by_role("link", name="Beijing Canal Culture Festival 2027").first.click()
    page.wait_for_url(archive_server + "/en/events/canal-festival-2027/")
    assert not page.get_by_text("This event has ended.").count()
    assert watch.errors == [] and watch.dialogs == [] and network["blocked"] == []


def test_the_chinese_archive_from_the_events_list(page, archive_server, network):
    watch = Watch(page)
    page.goto(archive_server + "/events/")
    page.get_by_role("link", name="往期活动存档").click()
    page.wait_for_url(archive_server + "/events/archive/")
    assert page.locator("h1").inner_text() == "往期活动"
    page.get_by_role("link", name="2026年6月").click()
    page.wait_for_url(archive_server + "/events/archive/2026/#m-06")
    assert page.get_by_role("heading", name="2026年6月").is_visible()
    assert page.get_by_text("<script>alert('zh')</script>旧活动").is_visible()
    assert watch.errors == [] and watch.dialogs == [] and network["blocked"] == []
