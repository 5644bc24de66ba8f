"""The feed window (issue 19): every feed keeps what ended in the last 180 days and
everything upcoming; it moves once a day, and its validators move with it.

tests/data/archive.toml is dated against the tests' "now" (2026-12-01, Beijing).
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
import pytest
from dateutil.rrule import rrulestr

from canal import create_app, feedwindow
from conftest import DATA, NOW, set_now
from ical_support import every_selection

LANGS = ("", "/en")


def make_app(now: str = NOW, **config):
    return create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "archive.toml"), "CANAL_NOW": now,
                       **config})


def feed_url(kind: str, id: str | None) -> str:
    if kind == "all":
        return "/feeds/all.ics"
    if kind == "events":
        return f"/events/{id}.ics"
    return f"/feeds/{kind}/{id}.ics"


def every_feed(app) -> dict[str, icalendar.Calendar]:
    """Every feed the site serves, both languages, parsed by icalendar."""
    client = app.test_client()
    found = {}
    for lang in LANGS:
        for kind, id in every_selection(app.extensions["canal_catalog"]):
            response = client.get(lang + feed_url(kind, id))
            assert response.status_code == 200, (kind, id)
            found[lang + feed_url(kind, id)] = icalendar.Calendar.from_ical(response.data)
    return found


def uids(cal: icalendar.Calendar) -> set[str]:
    return {str(vevent["UID"]) for vevent in cal.walk("VEVENT")}


def feeds_holding(app, event_id: str) -> list[str]:
    """The URLs of the feeds whose selection holds the event (window aside)."""
    catalog = app.extensions["canal_catalog"]
    event = catalog.events[event_id]
    site = catalog.site_of(event)
    paths = ["/feeds/all.ics", f"/feeds/areas/{site.area}.ics", f"/feeds/sites/{site.id}.ics",
             f"/events/{event_id}.ics", *(f"/feeds/categories/{c}.ics" for c in event.categories)]
    return [lang + path for lang in LANGS for path in paths]


def test_an_event_that_ended_181_days_ago_is_gone_from_every_feed_179_days_ago_is_there():
    app = make_app()
    feeds = every_feed(app)
    # spring-walk ended 2026-06-03 (181 days before 2026-12-01); the 2026 festival's last day
    # was 2026-06-05 (179 days before).
    assert all("spring-walk@canal.test" not in uids(cal) for cal in feeds.values())
    holding = feeds_holding(app, "canal-festival-2026")
    assert len(holding) == 10
    for url in holding:
        assert "canal-festival-2026@canal.test" in uids(feeds[url]), url
    # A series whose last date is long gone goes whole; the shop window of upcoming stays.
    assert all("sunday-boats@canal.test" not in uids(cal) for cal in feeds.values())
    assert "canal-festival-2027@canal.test" in uids(feeds["/feeds/all.ics"])
    # The event's own feed is an empty calendar, still a valid one (its URL is a promise).
    assert feeds["/events/spring-walk.ics"].walk("VEVENT") == []
    assert feeds["/events/spring-walk.ics"].walk("VTIMEZONE")


def test_a_recurring_series_with_one_occurrence_inside_the_window_stays_whole():
    feeds = every_feed(make_app())
    for url in ("/feeds/all.ics", "/en/feeds/sites/xianghe-wharf.ics", "/events/saturday-boats.ics"):
        (vevent,) = [v for v in feeds[url].walk("VEVENT") if str(v["UID"]) == "saturday-boats@canal.test"]
        start = vevent.decoded("DTSTART")
        assert start.date() == date(2026, 3, 7)  # the first date, 269 days before "now"
        rule = rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=start.replace(tzinfo=None))
        dates = [moment.date() for moment in rule]
        assert len(dates) == 14 and dates[-1] == date(2026, 6, 6)


def test_lunar_vevents_are_judged_each_by_its_own_occurrence():
    feeds = every_feed(make_app())
    moons = {uid for uid in uids(feeds["/feeds/all.ics"]) if uid.startswith("moon-night")}
    # 2025-10-06 is out of the window; 2026-09-25 (67 days ago) and 2027-09-15 are in.
    assert moons == {"moon-night-2026@canal.test", "moon-night-2027@canal.test"}
    assert uids(feeds["/en/events/moon-night.ics"]) == moons


def _get(app, path: str, now: str, **headers):
    set_now(app, now)
    return app.test_client().get(path, headers=headers)


def test_the_window_moves_once_a_day_and_the_validators_follow():
    app = make_app()
    # The 2026 festival's last day is 2026-06-05: it leaves on 2026-12-03, at Beijing's midnight.
    morning = _get(app, "/feeds/all.ics", "2026-12-02T00:00:01")
    evening = _get(app, "/feeds/all.ics", "2026-12-02T23:59:59")
    assert morning.data == evening.data and morning.headers["ETag"] == evening.headers["ETag"]
    assert b"canal-festival-2026@" in morning.data
    again = _get(app, "/feeds/all.ics", "2026-12-02T23:59:59",
                 **{"If-None-Match": morning.headers["ETag"]})
    assert again.status_code == 304
    # Beijing's midnight is 16:00 UTC: the window follows Beijing's date, not UTC's.
    next_day = _get(app, "/feeds/all.ics", "2026-12-03T00:00:00+08:00",
                    **{"If-None-Match": morning.headers["ETag"],
                       "If-Modified-Since": morning.headers["Last-Modified"]})
    assert next_day.status_code == 200
    assert b"canal-festival-2026@" not in next_day.data
    assert next_day.headers["ETag"] != morning.headers["ETag"]
    assert next_day.last_modified == datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
    assert morning.last_modified < next_day.last_modified
    # And a client holding the new copy is told it is current.
    assert _get(app, "/feeds/all.ics", "2026-12-03T18:00:00",
                **{"If-None-Match": next_day.headers["ETag"]}).status_code == 304


def test_a_feed_the_window_does_not_touch_keeps_its_bytes_and_validators_across_days():
    app = make_app()
    first = _get(app, "/feeds/categories/food.ics", "2026-12-01T09:00:00")
    later = _get(app, "/feeds/categories/food.ics", "2027-01-15T09:00:00")
    # hostile-past (2026-10-10) is the only food event: in the window on both days.
    assert first.data == later.data
    assert first.headers["ETag"] == later.headers["ETag"]
    assert first.headers["Last-Modified"] == later.headers["Last-Modified"]


def test_the_window_is_the_operators_setting():
    app = make_app(CANAL_FEED_WINDOW_DAYS=600)
    body = app.test_client().get("/feeds/all.ics").data
    assert b"spring-walk@" in body and b"sunday-boats@" in body
    only_upcoming = make_app(CANAL_FEED_WINDOW_DAYS=0).test_client().get("/feeds/all.ics").data
    assert uids(icalendar.Calendar.from_ical(only_upcoming)) == {
        "canal-festival-2027@canal.test", "moon-night-2027@canal.test", "summer-music-season@canal.test"}


@pytest.mark.parametrize("value", ["-1", "half a year", "3661", "１８０"])
def test_a_bad_window_setting_stops_start_up_saying_what_to_give(monkeypatch, value):
    monkeypatch.setenv("CANAL_FEED_WINDOW_DAYS", value)
    with pytest.raises(SystemExit) as stopped:
        make_app()
    assert str(stopped.value) == (f"CANAL_FEED_WINDOW_DAYS = {value!r}: give how many days after an "
                                  "event ends the feeds keep it, a whole number from 0 to 3660 (default 180)")


def test_the_setting_from_the_environment(monkeypatch):
    monkeypatch.setenv("CANAL_FEED_WINDOW_DAYS", "365")
    assert make_app().extensions["canal_settings"].feed_window_days == 365
    monkeypatch.setenv("CANAL_FEED_WINDOW_DAYS", "")
    assert make_app().extensions["canal_settings"].feed_window_days == feedwindow.DEFAULT_DAYS


def test_the_window_rule_at_its_edges():
    window = feedwindow.Window(date(2026, 12, 1))
    assert window.cutoff == date(2026, 6, 4)
    catalog = make_app().extensions["canal_catalog"]
    events = catalog.events
    kept, left = window.narrow(events.values(), catalog.tz)
    assert [e.id for e in kept] == ["canal-festival-2026", "canal-festival-2027", "saturday-boats",
                                    "moon-night", "riverside-concert", "summer-music-season",
                                    "hostile-past"]
    # The last thing to leave: spring-walk, at today's midnight.
    assert left == datetime(2026, 12, 1, tzinfo=catalog.tz)


def test_a_server_running_for_months_keeps_only_todays_feeds():
    from canal import ical, revisions
    catalog = make_app().extensions["canal_catalog"]
    cache = ical.FeedCache(catalog, revisions.Ledger())
    for day in (1, 2, 3):
        for lang in ("zh", "en"):
            cache.get(lang, "all", None, 2026, today=date(2026, 12, day))
    cache.get("zh", "all", None, 2026, today=date(2026, 12, 2))  # a late request of yesterday's
    cache.get("zh", "all", None, 2026)  # no window (tests, the benchmark)
    assert sorted({key[-1].today if key[-1] else None for key in cache._feeds}, key=str) == [
        date(2026, 12, 2), date(2026, 12, 3), None]
    cache.get("zh", "all", None, 2026, today=date(2026, 12, 4))
    assert {key[-1].today if key[-1] else None for key in cache._feeds} == {date(2026, 12, 4), None}


def test_the_subscribe_pages_say_what_the_feed_keeps():
    client = make_app(CANAL_FEED_WINDOW_DAYS=90).test_client()
    en = client.get("/en/subscribe/").get_data(as_text=True)
    assert "Each event stays in the calendar for 90 days after it ends, then leaves it" in en
    assert 'href="/en/events/archive/"' in en
    zh = client.get("/subscribe/sites/xianghe-wharf/").get_data(as_text=True)
    assert "每个活动结束后在日历中保留 90 天" in zh
