"""The archive of past events (issue 19): ended event pages, /events/archive/ and
/events/archive/<yyyy>/ in both languages, editions, the loader's checks, sitemap and export.

tests/data/archive.toml is dated against the tests' "now" (2026-12-01).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from canal import archive, create_app
from canal.export import freeze_site
from canal.loader import LoadError, parse
from conftest import DATA, NOW
from pages_html import Page

HEAD = (DATA / "archive.toml").read_text(encoding="utf-8").split("[events.")[0]


@pytest.fixture
def app():
    return create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "archive.toml"), "CANAL_NOW": NOW})


@pytest.fixture
def client(app):
    return app.test_client()


def page(client, url: str) -> Page:
    response = client.get(url)
    assert response.status_code == 200, url
    return Page(response.get_data(as_text=True))


def test_an_ended_event_page_says_so_in_both_languages_and_links_the_next_edition(client):
    zh = page(client, "/events/canal-festival-2026/")
    assert "本活动已结束。" in zh.text
    assert "下一届： 2027 北京运河文化节" in zh.text
    assert "/events/canal-festival-2027/" in zh.links and "/events/archive/2026/" in zh.links
    en = page(client, "/en/events/canal-festival-2026/")
    assert "This event has ended." in en.text
    assert "Next edition: Beijing Canal Culture Festival 2027" in en.text
    assert "/en/events/archive/2026/" in en.links
    assert "Previous edition: Beijing Canal Culture Festival 2025" in en.text


def test_an_event_still_to_come_does_not_say_it_has_ended(client):
    upcoming = page(client, "/en/events/canal-festival-2027/")
    assert "has ended" not in upcoming.text
    assert "Previous edition: Beijing Canal Culture Festival 2026" in upcoming.text
    # A yearly series with dates to come has not ended, though last year's date is past.
    assert "has ended" not in page(client, "/en/events/moon-night/").text


def test_an_ended_event_offers_sharing_but_nothing_to_put_in_a_calendar(client):
    # Its dates are over, and 180 days after the end its feed is empty (the feed window).
    for url in ("/events/canal-festival-2026/", "/en/events/canal-festival-2026/"):
        ended = client.get(url).get_data(as_text=True)
        assert 'class="action subscribe-series"' not in ended and 'class="action add-once"' not in ended
        assert "canal-festival-2026.ics" not in ended
        assert 'class="action share"' in ended
    upcoming = client.get("/en/events/canal-festival-2027/").get_data(as_text=True)
    assert 'class="action subscribe-series"' in upcoming and 'class="action add-once"' in upcoming
    assert "/en/events/canal-festival-2027.ics" in upcoming


def test_the_editors_next_link_wins_over_the_title_family(client):
    ended = page(client, "/en/events/riverside-concert/")
    assert "Next edition: Canal summer music season" in ended.text
    # The link works backwards too: the new edition names its previous one.
    assert "Previous edition: Riverside concert" in page(client, "/en/events/summer-music-season/").text


def test_an_ended_event_without_a_next_edition_links_only_its_year(client):
    walk = page(client, "/en/events/spring-walk/")
    assert "This event has ended." in walk.text and "Next edition" not in walk.text
    assert "/en/events/archive/2026/" in walk.links


def test_the_archive_lists_years_and_months_in_both_languages(client):
    zh = page(client, "/events/archive/")
    assert "往期活动" in zh.text and "2026" in zh.text
    assert "/events/archive/2026/" in zh.links and "/events/archive/2025/" in zh.links
    assert "/events/archive/2026/#m-06" in zh.links
    en = page(client, "/en/events/archive/")
    assert "Archive of past events" in en.text
    assert re.search(r"2026 6 events: March 2026, April 2026, May 2026, June 2026, August 2026, "
                     r"September 2026, October 2026", en.text), en.text
    assert en.links.index("/en/events/archive/2026/") < en.links.index("/en/events/archive/2025/")


def test_a_year_page_lists_past_dates_by_month(client):
    year = page(client, "/en/events/archive/2026/")
    assert "Past events in 2026" in year.text
    headings = re.findall(r"((?:January|February|March|April|May|June|July|August|September|"
                          r"October|November|December) 2026)", year.text)
    assert headings[:3] == ["March 2026", "April 2026", "May 2026"]
    june = year.text.split("June 2026", 1)[1].split("August 2026", 1)[0]
    assert "Beijing Canal Culture Festival 2026" in june and "Spring canal walk" in june
    # Only what is over: the 2027 dates of the yearly series are not in any archive yet.
    assert "Mid-autumn night on the canal" in year.text
    assert client.get("/en/events/archive/2027/").status_code == 404
    assert "/en/events/archive/2025/" in year.links and "/en/events/archive/" in year.links
    zh = page(client, "/events/archive/2025/")
    assert "2025年往期活动" in zh.text and "2025 北京运河文化节" in zh.text


@pytest.mark.parametrize("year", ["20x6", "1999", "2101", "26", "02026", "２０２６"])
def test_a_malformed_year_gets_the_400_page_saying_what_it_should_be(client, year):
    response = client.get(f"/en/events/archive/{year}/")
    assert response.status_code == 400
    text = Page(response.get_data(as_text=True)).text
    assert f"The parameter “year” has the value “{year}”; expected a year from 2000 to 2100." in text


def test_a_year_without_past_events_is_not_found(client):
    for url in ("/events/archive/2024/", "/en/events/archive/2030/"):
        assert client.get(url).status_code == 404


def test_the_archive_when_nothing_has_ended_yet():
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": NOW})
    text = page(app.test_client(), "/en/events/archive/").text
    assert "No event has taken place yet." in text


def test_the_events_list_links_the_archive(client):
    assert "/events/archive/" in page(client, "/events/").links
    assert "/en/events/archive/" in page(client, "/en/events/").links


def test_hostile_text_stays_inert_on_the_archive_pages(client):
    for url in ("/events/archive/2026/", "/en/events/archive/2026/", "/events/hostile-past/",
                "/en/events/hostile-past/"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in body and "<img src=x" not in body and "<svg onload" not in body
        assert "onerror=alert" not in body.replace("onerror=alert(&#39;en&#39;)", "")
    archived = client.get("/events/archive/2026/").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;zh&#39;)&lt;/script&gt;旧活动" in archived


def test_the_month_grid_goes_back_to_the_first_past_month(client):
    may = page(client, "/en/calendar/2025/05/")
    assert "/en/calendar/2025/04/" in may.links  # the grid still links back (live)
    assert "Sunday boats" in may.text


def test_the_sitemap_lists_the_archive_and_the_past_months(client):
    root = ET.fromstring(client.get("/sitemap.xml").data)
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    for path in ("/events/archive/", "/events/archive/2025/", "/events/archive/2026/", "/calendar/2025/05/"):
        assert f"https://canal.test{path}" in locs and f"https://canal.test/en{path}" in locs
    assert "https://canal.test/events/archive/2027/" not in locs
    assert "https://canal.test/calendar/2025/04/" not in locs  # before the first past event
    assert len(locs) == len(set(locs))


def test_the_static_export_includes_the_archive(app, tmp_path):
    freeze_site(app, tmp_path / "out", "https://cdn.example.org/canal/")
    out = tmp_path / "out"
    for path in ("events/archive/index.html", "en/events/archive/index.html",
                 "events/archive/2026/index.html", "en/events/archive/2025/index.html",
                 "calendar/2025/05/index.html"):
        assert (out / path).is_file(), path
    exported = (out / "en/calendar/2025/05/index.html").read_text(encoding="utf-8")
    assert 'href="/canal/en/calendar/2025/06/"' in exported
    assert not (out / "calendar/2025/04/index.html").exists()


def test_the_title_family_rule():
    catalog = parse(HEAD + '''
[events.fair-2025]
title = { zh = "2025年 运河庙会" }
site = "caoyun-wharf"
categories = ["festival"]
start = 2025-02-01

[events.fair-2026]
title = { zh = "2026年运河庙会" }
site = "caoyun-wharf"
categories = ["festival"]
start = 2026-02-01

[events.fair-2027]
title = { zh = "2027年运河庙会" }
site = "canal-museum"
categories = ["festival"]
start = 2027-02-01

[events.other-fair]
title = { zh = "运河灯会" }
site = "caoyun-wharf"
categories = ["festival"]
start = 2026-03-01
''')
    events = catalog.events
    assert archive.family(events["fair-2025"]) == archive.family(events["fair-2027"]) == "年运河庙会"
    assert archive.next_edition(catalog, events["fair-2025"]).id == "fair-2026"
    assert archive.next_edition(catalog, events["fair-2026"]).id == "fair-2027"
    assert archive.next_edition(catalog, events["fair-2027"]) is None
    assert archive.previous_edition(catalog, events["fair-2027"]).id == "fair-2026"
    assert archive.next_edition(catalog, events["other-fair"]) is None
    now = datetime(2026, 12, 1, tzinfo=catalog.tz)
    assert archive.has_ended(events["fair-2026"], catalog, now)
    assert not archive.has_ended(events["fair-2027"], catalog, now)


def _problems(text: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        parse(HEAD + text, "events.toml")
    return [str(p) for p in caught.value.problems]


def _line(text: str, needle: str) -> int:
    return (HEAD + text).splitlines().index(needle) + 1


def test_the_loader_checks_edition_links_with_file_and_line():
    text = '''
[events.old]
title = { zh = "旧" }
site = "caoyun-wharf"
categories = ["festival"]
start = 2026-02-01
next = "nwe"

[events.new]
title = { zh = "新" }
site = "caoyun-wharf"
categories = ["festival"]
start = 2027-02-01
previous = "new"

[events.both]
title = { zh = "两" }
site = "caoyun-wharf"
categories = ["festival"]
start = 2027-03-01
next = "old"
previous = "old"

[events.odd]
title = { zh = "怪" }
site = "caoyun-wharf"
categories = ["festival"]
start = 2027-04-01
next = 3
'''
    lines = [_line(text, needle) for needle in ('next = "nwe"', 'previous = "new"', 'previous = "old"', 'next = 3')]
    assert _problems(text) == [
        f"events.toml:{lines[0]}: events.old.next: unknown event 'nwe' (did you mean 'new'?)",
        f"events.toml:{lines[1]}: events.new.previous: names the event itself: "
        "'previous' is the id of another edition of it",
        f"events.toml:{lines[2]}: events.both.previous: 'old' cannot be both the "
        "next and the previous edition",
        f"events.toml:{lines[3]}: events.odd.next: expected the id of event, got a number",
    ]


def test_the_loader_refuses_the_id_archive():
    text = '''
[events.archive]
title = { zh = "存档" }
site = "caoyun-wharf"
categories = ["festival"]
start = 2027-02-01
'''
    assert _problems(text) == [
        f"events.toml:{_line(text, '[events.archive]')}: events.archive: the id 'archive' is taken by the "
        "address of the archive of past events (/events/archive/): choose another id"]


def test_a_past_month_links_the_archive_of_its_year(client):
    assert "/en/events/archive/2025/" in page(client, "/en/calendar/2025/05/").links
    assert "/events/archive/2026/" in page(client, "/calendar/2026/06/").links
    assert not any("/events/archive/" in href for href in page(client, "/calendar/2024/05/").links)
    assert not any("/events/archive/" in href for href in page(client, "/calendar/2026/12/").links)


def test_ended_event_pages_announce_nothing_to_search_engines(client):
    # JSON-LD is for what is coming (test_jsonld_google): an ended event's page carries none.
    for url in ("/events/canal-festival-2026/", "/en/events/spring-walk/"):
        assert page(client, url).jsonld == []
    [items] = page(client, "/en/events/canal-festival-2027/").jsonld
    assert items[0]["startDate"] == "2027-06-05"
