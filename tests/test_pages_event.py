"""Event and site pages: what a visitor reads, JSON-LD for search engines, hostile text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from canal import create_app
from conftest import DATA, NOW, set_now
from pages_html import Page


def page_of(client, url) -> Page:
    response = client.get(url)
    assert response.status_code == 200
    return Page(response.get_data(as_text=True))


def test_recurring_event_page_says_the_rule_and_next_dates(client):
    page = page_of(client, "/events/farm-food-festival/")
    assert "通武廊农旅美食嘉年华" in page.text
    assert "每月第二个周六，共11次（2027年2月13日除外）" in page.text  # COUNT=12, one skipped
    assert "2026年12月12日星期六 10:00–17:00" in page.text
    assert "2027年2月13日星期六 10:00" not in page.text
    assert "北京时间（UTC+8）" in page.text
    assert "/sites/xianghe-wharf/" in page.links
    assert "/events/farm-food-festival.ics" in page.links  # the feeds branch serves it


def test_english_event_page(client):
    page = page_of(client, "/en/events/farm-food-festival/")
    assert "every month on the 2nd Saturday, 11 times (except 13 February 2027)" in page.text
    assert "Saturday, 9 January 2027 10:00–17:00" in page.text
    assert "Langfang, Hebei" in page.text and "Food" in page.text
    assert "/en/events/farm-food-festival.ics" in page.links


def test_cancelled_event_has_a_banner(client):
    page = page_of(client, "/en/events/cancelled-fair/")
    assert "Cancelled: this event will not take place." in page.text
    # Chinese takes its own full-width colon, with no space after it.
    assert "已取消：这个活动不再举行。" in page_of(client, "/events/cancelled-fair/").text
    [item] = page.jsonld
    assert item[0]["eventStatus"] == "https://schema.org/EventCancelled"


def test_unknown_event_and_site_are_404(client):
    assert client.get("/events/no-such-event/").status_code == 404
    assert client.get("/en/sites/no-such-site/").status_code == 404


REQUIRED = ("name", "startDate", "endDate", "eventStatus", "eventAttendanceMode", "location",
            "description", "url")


def test_jsonld_carries_googles_event_fields():
    real = create_app({"TESTING": True, "CANAL_NOW": NOW,
                       "CANAL_EVENTS": str(DATA.parent.parent / "events.toml")})  # shipped content
    page = page_of(real.test_client(), "/en/events/farm-food-festival/")
    [items] = page.jsonld
    assert len(items) == 10  # the first ten upcoming dates
    first = items[0]
    assert first["@context"] == "https://schema.org" and first["@type"] == "Event"
    assert all(field in first for field in REQUIRED)
    assert first["startDate"] == "2026-12-12T10:00:00+08:00"
    assert first["endDate"] == "2026-12-12T17:00:00+08:00"
    assert first["eventStatus"] == "https://schema.org/EventScheduled"
    assert first["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    place = first["location"]
    assert place["@type"] == "Place" and place["name"]
    assert place["address"]["@type"] == "PostalAddress" and place["address"]["addressCountry"] == "CN"
    assert place["geo"]["@type"] == "GeoCoordinates" and 39 < place["geo"]["latitude"] < 41
    assert first["offers"]["price"] == "0" and first["offers"]["priceCurrency"] == "CNY"
    assert first["url"] == "https://beiyunhe.example.org/en/events/farm-food-festival/"
    organised = page_of(real.test_client(), "/events/kaicao-festival/").jsonld[0][0]
    assert organised["organizer"]["name"] == "中共北京市通州区委宣传部"


def test_past_event_has_no_jsonld(app):
    set_now(app, "2028-01-01T00:00:00")
    page = page_of(app.test_client(), "/en/events/kaicao-festival/")
    assert page.jsonld == []
    assert "This event has no upcoming dates." in page.text
    assert "17 April 2027 – Monday, 19 April 2027" in page.text


def test_sites_are_grouped_by_area_north_to_south(client):
    page = page_of(client, "/en/sites/")
    text = page.text
    assert text.index("Tongzhou, Beijing") < text.index("Langfang, Hebei")  # north first
    assert text.index("Caoyun Wharf") < text.index("Grand Canal Museum of Beijing")  # 39.890 > 39.885
    assert {"/en/sites/xianghe-wharf/", "/en/sites/caoyun-wharf/", "/en/sites/canal-museum/"} <= set(page.links)


def test_site_page(client):
    page = page_of(client, "/en/sites/xianghe-wharf/")
    assert "The main Xianghe wharf." in page.text
    assert "Approximate location" in page.text  # precision 1200 m
    assert "webcal://canal.test/en/feeds/sites/xianghe-wharf.ics" in page.links  # subscribe box
    assert "Tongwulang Farm-Tourism Food Carnival" in page.text
    assert any(a.get("class") == "map-slot" for t, a in page.elements if t == "div")
    precise = page_of(client, "/en/sites/canal-museum/")
    assert "Approximate location" not in precise.text  # precision 300 m
    assert "运河夜话" in precise.text  # no English title: Chinese shown


def test_site_falls_back_to_chinese_description(client):
    assert "开漕节会场。" in page_of(client, "/en/sites/caoyun-wharf/").text


# --- Hostile content ---------------------------------------------------------------

@pytest.fixture
def hostile():
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "hostile_pages.toml"), "CANAL_NOW": NOW})
    return app.test_client()


HOSTILE_PAGES = ["/", "/calendar/2026/12/", "/events/", "/events/evil-event/", "/sites/",
                 "/sites/evil-wharf/", "/events/?q=script"]


def assert_no_content_in_code(page: Page) -> None:
    """Inline code is only the map's generated script, which carries no content text;
    content reaches the map as JSON data, which the browser never runs."""
    for script in page.scripts:
        if script.strip().startswith("{"):
            json.loads(script)  # the map's data block: it parses as JSON, so it is data
        else:
            assert not any(mark in script for mark in ("alert", "7*7", "onerror", "<")), script


@pytest.mark.parametrize("lang", ["", "/en"])
@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_hostile_text_stays_inert(hostile, lang, url):
    response = hostile.get(lang + url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    page = Page(body)
    assert_no_content_in_code(page)
    # No element or attribute came from content.
    tags = {t for t, _ in page.elements}
    assert not tags & {"iframe", "img", "i"} and "b" not in tags
    assert not any(name.startswith("on") for _, attrs in page.elements for name in attrs)
    assert "49" not in page.text  # {{ 7*7 }} was not evaluated
    # ... and the hostile text is shown to the reader literally, not dropped.
    footer = "Test ${7*7} `x` {{ 7*7 }}" if lang else "测试 </script><script>alert('meta')</script>"
    assert footer in page.text


@pytest.mark.parametrize("lang", ["", "/en"])
def test_hostile_jsonld_cannot_end_its_script_block(hostile, lang):
    body = hostile.get(lang + "/events/evil-event/").get_data(as_text=True)
    page = Page(body)
    [block] = page.jsonld_blocks
    assert "<" not in block and ">" not in block and "&" not in block
    items = json.loads(block)
    title = {"": "活动</script><script>alert('title')</script>",
             "/en": "Event </script><script>alert(\"title\")</script> & more"}[lang]
    assert items[0]["name"] == title
    assert_no_content_in_code(page)


def test_event_page_holds_every_upcoming_date(data_path):
    from canal import create_app
    from conftest import NOW
    app = create_app({"TESTING": True, "CANAL_EVENTS": data_path("minimal.toml"), "CANAL_NOW": NOW})
    html = app.test_client().get("/en/events/boat-trip/").get_data(as_text=True)
    # Weekend trips through May 2027: all ten dates are listed.
    assert html.count('<time datetime="2027-05-') == 10
    # A weekly cruise has more than twelve: the rest are folded, not left out.
    shipped = Path(data_path("minimal.toml")).parents[2] / "events.toml"
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(shipped), "CANAL_NOW": NOW})
    page = app.test_client().get("/en/events/city-reach-cruise/").get_data(as_text=True)
    assert "more dates</summary>" in page
    assert page.count("<li><time datetime=") > 12


def test_without_javascript_the_event_map_says_only_what_is_true(client):
    html = client.get("/en/events/farm-food-festival/").get_data(as_text=True)
    assert "The map needs JavaScript." in html and "listed by area" not in html
    # On the home page the list of sites stands in the map's place (test_phone_layout).
    assert "Here are the canal sites by area." in client.get("/en/").get_data(as_text=True)
