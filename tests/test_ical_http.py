"""Feeds over HTTP: URLs in both languages, headers, 404s and conditional requests."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from canal import create_app
from conftest import NOW

DATA = Path(__file__).parent / "data"
FEED_URLS = [
    "/feeds/all.ics",
    "/feeds/areas/langfang.ics",
    "/feeds/sites/xianghe-wharf.ics",
    "/feeds/categories/festival.ics",
    "/events/boat-trip.ics",
]


@pytest.mark.parametrize("url", FEED_URLS + ["/en" + url for url in FEED_URLS])
def test_feed_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == ("public, max-age=3600, s-maxage=3600, "
                                                 "stale-while-revalidate=60, stale-if-error=86400")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('inline; filename="') and disposition.isascii()
    assert response.headers["ETag"].startswith('"') and not response.headers["ETag"].startswith("W/")
    assert response.last_modified is not None
    assert icalendar.Calendar.from_ical(response.data).walk("VEVENT")


def test_english_feed_has_english_text_and_links(client):
    zh = icalendar.Calendar.from_ical(client.get("/events/boat-trip.ics").data)
    en = icalendar.Calendar.from_ical(client.get("/en/events/boat-trip.ics").data)
    [zh_event], [en_event] = zh.walk("VEVENT"), en.walk("VEVENT")
    assert str(zh_event["SUMMARY"]) == "通州—香河游船"
    assert str(en_event["SUMMARY"]) == "Tongzhou to Xianghe boat trip"
    assert str(en_event["URL"]) == "https://canal.test/en/events/boat-trip/"
    assert zh_event["UID"] == en_event["UID"] == "boat-trip@canal.test"
    lecture = icalendar.Calendar.from_ical(client.get("/en/events/night-lecture.ics").data)
    assert str(lecture.walk("VEVENT")[0]["SUMMARY"]) == "运河夜话"  # no English: Chinese


@pytest.mark.parametrize("url", [
    "/feeds/areas/nowhere.ics", "/feeds/sites/nowhere.ics", "/feeds/categories/nowhere.ics",
    "/events/nowhere.ics", "/en/feeds/sites/nowhere.ics", "/feeds/tongzhou.ics",
    "/feeds/areas/Tongzhou.ics",
])
def test_unknown_ids_are_404(client, url):
    assert client.get(url).status_code == 404


def test_if_none_match_gives_304(client):
    first = client.get("/feeds/all.ics")
    again = client.get("/feeds/all.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/feeds/all.ics", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data == first.data


def test_if_modified_since_gives_304_when_current_and_200_when_stale(client):
    first = client.get("/feeds/sites/xianghe-wharf.ics")
    current = client.get("/feeds/sites/xianghe-wharf.ics",
                         headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert current.status_code == 304
    stale = (first.last_modified - timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    old = client.get("/feeds/sites/xianghe-wharf.ics", headers={"If-Modified-Since": stale})
    assert old.status_code == 200 and old.data == first.data


def test_last_modified_is_the_latest_change_among_the_feeds_events(client):
    stamps = {str(e["UID"]): e["LAST-MODIFIED"].dt
              for e in icalendar.Calendar.from_ical(client.get("/feeds/all.ics").data).walk("VEVENT")}
    response = client.get("/feeds/all.ics")
    assert response.last_modified == max(stamps.values())


def test_two_app_instances_serve_identical_bytes():
    config = {"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": NOW}
    one, two = create_app(config).test_client(), create_app(config).test_client()
    for url in FEED_URLS + ["/en" + url for url in FEED_URLS]:
        first, second = one.get(url), two.get(url)
        assert first.data == second.data
        assert first.headers["ETag"] == second.headers["ETag"]


def test_feed_bytes_do_not_depend_on_the_requesting_host(client):
    here = client.get("/feeds/all.ics")
    there = client.get("/feeds/all.ics", base_url="http://mirror.example:8080")
    assert here.data == there.data
    assert b"mirror.example" not in there.data


def test_feeds_are_built_once_and_kept(app, client):
    client.get("/feeds/all.ics")
    feeds = app.extensions["canal_feeds"]
    kept = feeds.get("zh", "all")
    client.get("/feeds/all.ics")
    assert feeds.get("zh", "all") is kept


def test_ledger_path_from_config(tmp_path):
    ledger = tmp_path / "elsewhere.toml"
    ledger.write_text('[events.boat-trip]\nsequence = 7\nmodified = 2026-10-01T08:00:00Z\n'
                      'schedule = "x"\ncontent = "y"\n', encoding="utf-8")
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"),
                      "CANAL_REVISIONS": str(ledger)})
    [event] = icalendar.Calendar.from_ical(app.test_client().get("/events/boat-trip.ics").data).walk("VEVENT")
    # The entry is behind the content (fingerprints differ): provisionally one more.
    assert event["SEQUENCE"] == 8
    assert event["DTSTAMP"].dt == datetime(2026, 10, 1, 8, tzinfo=UTC)


def test_broken_ledger_stops_start_up_with_a_message(tmp_path):
    ledger = tmp_path / "broken.toml"
    ledger.write_text("[events.boat-trip\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"),
                    "CANAL_REVISIONS": str(ledger)})
    assert "broken.toml" in str(stopped.value) and "canal revisions" in str(stopped.value)
