"""The iCalendar feeds as bytes: what every calendar app needs, parsed back with icalendar."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from canal import ical, revisions
from canal.loader import load, parse
from ical_support import (
    HOSTILE_TITLE,
    ODD_DESCRIPTION,
    ODD_TITLE,
    ROOT,
    every_selection,
    hostile_catalog,
    odd_text_catalog,
    with_event,
)

DATA = Path(__file__).parent / "data"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def feed_bytes(catalog, kind="all", id=None, lang="zh", ledger=None):
    return ical.build_feed(catalog, lang, ical.select(catalog, kind, id),
                           ledger or revisions.Ledger()).body


def shipped():
    return load(ROOT / "events.toml")


def minimal():
    return load(DATA / "minimal.toml")


def edges():
    return load(DATA / "ical-edges.toml")


def events_by_uid(body: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


@pytest.mark.parametrize("load_catalog", [minimal, shipped, edges], ids=["minimal", "shipped", "edges"])
def test_every_feed_is_crlf_folded_by_octets_and_parses(load_catalog):
    catalog = load_catalog()
    for lang in ("zh", "en"):
        for kind, id in every_selection(catalog):
            body = feed_bytes(catalog, kind, id, lang)
            assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
            assert b"\n" not in body.replace(b"\r\n", b"") and b"\r" not in body.replace(b"\r\n", b"")
            lines = body.split(b"\r\n")
            for line in lines:
                assert len(line) <= 75, line
                line.decode("utf-8")  # a fold never splits a UTF-8 character
            for line in lines[:-1]:
                # A physical line ending in an odd run of backslashes would split an escape.
                assert (len(line) - len(line.rstrip(b"\\"))) % 2 == 0, line
            assert not re.search(rb"UNTIL=\d{8}T\d{6}(?!Z)", body.replace(b"\r\n ", b""))
            cal = icalendar.Calendar.from_ical(body)
            assert not cal.get_missing_tzids()
            # A lunar event has one VEVENT per occurrence (ical.lunar_vevents).
            assert len(cal.walk("VEVENT")) == sum(len(ical.uids_of(e, catalog, revisions.Ledger()))
                                                  for e in ical.select(catalog, kind, id).events)


def test_calendar_properties_name_the_subset_in_the_feeds_language():
    catalog = minimal()
    zh = icalendar.Calendar.from_ical(feed_bytes(catalog, "sites", "xianghe-wharf"))
    en = icalendar.Calendar.from_ical(feed_bytes(catalog, "sites", "xianghe-wharf", "en"))
    assert str(zh["X-WR-CALNAME"]) == str(zh["NAME"]) == "北运河文旅活动 · 北运河香河段中心码头"
    assert str(en["X-WR-CALNAME"]) == "North Canal Events · Xianghe Central Wharf"
    assert str(zh["X-WR-CALDESC"]) == str(zh["DESCRIPTION"]) == "测试目录"
    assert str(zh["VERSION"]) == "2.0" and str(zh["PRODID"]) == ical.PRODID
    assert str(zh["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert "METHOD" not in zh  # PUBLISH would need an ORGANIZER on every event
    raw = feed_bytes(catalog)
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in raw
    assert b"\r\nX-PUBLISHED-TTL:PT6H\r\n" in raw
    [vtimezone] = zh.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Asia/Shanghai"
    assert [c.name for c in vtimezone.subcomponents] == ["STANDARD"]
    assert vtimezone.subcomponents[0]["TZOFFSETTO"].td == timedelta(hours=8)


def test_timed_recurring_event_has_tzid_a_count_and_matching_exdate():
    catalog = minimal()
    unfolded = feed_bytes(catalog).replace(b"\r\n ", b"").decode()
    assert "DTSTART;TZID=Asia/Shanghai:20261212T100000\r\n" in unfolded
    assert "EXDATE;TZID=Asia/Shanghai:20270213T100000\r\n" in unfolded
    # "UNTIL=20270531" in the file means through 31 May, Beijing time: the feed counts the
    # dates instead (rrule.js drops the last date of a TZID'd UNTIL series): the weekends
    # from Saturday 1 May to Sunday 30 May are ten dates.
    assert "RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=SA,SU\r\n" in unfolded
    assert "UNTIL" not in unfolded
    events = events_by_uid(feed_bytes(catalog))
    boat = events["boat-trip@canal.test"]
    assert boat.start == datetime(2027, 5, 1, 9, tzinfo=SHANGHAI)
    assert boat.end == datetime(2027, 5, 1, 13, tzinfo=SHANGHAI)


def test_all_day_event_has_exclusive_date_end_and_is_transparent():
    events = events_by_uid(feed_bytes(minimal()))
    festival = events["kaicao-festival@canal.test"]
    assert festival.start == date(2027, 4, 17)
    assert festival.end == date(2027, 4, 20)  # the file says the 19th is the last day
    assert str(festival["TRANSP"]) == "TRANSPARENT"
    fair = events["cancelled-fair@canal.test"]
    assert (fair.start, fair.end) == (date(2027, 1, 1), date(2027, 1, 2))
    assert str(fair["STATUS"]) == "CANCELLED"


def test_all_day_rule_until_is_written_as_a_count():
    catalog = with_event("""
[events.weekend-market]
title = { zh = "周末市集" }
site = "canal-museum"
categories = ["food"]
start = 2027-06-05
repeat = "FREQ=WEEKLY;BYDAY=SA;UNTIL=20270626"
except = [2027-06-12]
""")
    unfolded = feed_bytes(catalog, "events", "weekend-market").replace(b"\r\n ", b"").decode()
    # 5, 12, 19 and 26 June: four dates, the excepted 12th counted (EXDATE applies after COUNT).
    assert "RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=SA\r\n" in unfolded
    assert "EXDATE;VALUE=DATE:20270612\r\n" in unfolded


def test_event_fields_and_description_ending_with_the_event_page():
    catalog = shipped()
    for lang, prefix in (("zh", ""), ("en", "/en")):
        for uid, vevent in events_by_uid(feed_bytes(catalog, lang=lang)).items():
            event_id, host = ical.event_id_of(uid, catalog), uid.split("@")[1]
            event = catalog.events[event_id]
            page = f"https://beiyunhe.example.org{prefix}/events/{event_id}/"
            assert host == "beiyunhe.example.org"
            assert str(vevent["SUMMARY"]) == event.title.get(lang)
            assert str(vevent["DESCRIPTION"]).endswith(page)
            assert str(vevent["URL"]) == page
            site = catalog.site_of(event)
            assert str(vevent["LOCATION"]).startswith(site.name.get(lang))
            assert catalog.area_of(event).name.get(lang) in str(vevent["LOCATION"])
            assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (site.lat, site.lon)
            assert list(vevent.categories) == [catalog.categories[c].name.get(lang)
                                               for c in event.categories]
            assert str(vevent["STATUS"]) == ("CANCELLED" if event.cancelled else "CONFIRMED")
            assert vevent["DTSTAMP"].dt.tzinfo is not None


@pytest.mark.parametrize("load_catalog", [minimal, shipped], ids=["minimal", "shipped"])
def test_subset_feeds_hold_exactly_their_events(load_catalog):
    catalog = load_catalog()
    host = catalog.meta.host
    expected = {
        "areas": lambda id: {e for e in catalog.events.values() if catalog.sites[e.site].area == id},
        "sites": lambda id: {e for e in catalog.events.values() if e.site == id},
        "categories": lambda id: {e for e in catalog.events.values() if id in e.categories},
        "events": lambda id: {catalog.events[id]},
    }
    for kind, id in every_selection(catalog):
        uids = set(events_by_uid(feed_bytes(catalog, kind, id)))
        events = set(catalog.events.values()) if kind == "all" else expected[kind](id)
        # A lunar event has one VEVENT per occurrence (ical.lunar_vevents).
        assert uids == {uid for e in events for uid in ical.uids_of(e, catalog, revisions.Ledger())}, (kind, id)
        assert {f"{e.id}@{host}" for e in events if not e.repeat or "RSCALE" not in e.repeat} <= uids


def test_same_content_gives_the_same_bytes_and_uids():
    ledger = revisions.read(DATA / "minimal.revisions.toml")
    first = ical.FeedCache(minimal(), ledger).get("zh", "all").body
    second = ical.FeedCache(minimal(), revisions.read(DATA / "minimal.revisions.toml")).get("zh", "all").body
    assert first == second
    # Reordering events in the file changes neither UIDs nor any event's lines.
    head, *events = (DATA / "minimal.toml").read_text(encoding="utf-8").split("\n[events.")
    reordered = parse(head + "".join("\n[events." + block for block in reversed(events)))
    assert list(reordered.events) != list(minimal().events)
    again = events_by_uid(ical.FeedCache(reordered, ledger).get("zh", "all").body)
    before = events_by_uid(first)
    assert set(again) == set(before)
    assert all(again[uid].to_ical() == before[uid].to_ical() for uid in before)


def test_text_escaping_chinese_and_emoji_round_trip():
    catalog = odd_text_catalog()
    body = feed_bytes(catalog, "events", "odd-text")
    unfolded = body.replace(b"\r\n ", b"").decode()
    assert 'SUMMARY:Fish\\; chips\\, and \\\\ "more"\\n第二行 🚣🏮\r\n' in unfolded
    vevent = events_by_uid(body)["odd-text@canal.test"]
    assert str(vevent["SUMMARY"]) == ODD_TITLE
    assert str(vevent["DESCRIPTION"]).startswith(ODD_DESCRIPTION + "\n")
    english = events_by_uid(feed_bytes(catalog, "events", "odd-text", "en"))["odd-text@canal.test"]
    assert str(english["SUMMARY"]) == "Odd, text; here"


def test_hostile_text_cannot_inject_properties_or_events():
    catalog = hostile_catalog()
    assert catalog.events["hostile"].title.zh == HOSTILE_TITLE
    body = feed_bytes(catalog)
    cal = icalendar.Calendar.from_ical(body)
    events = events_by_uid(body)
    assert len(cal.walk("VEVENT")) == len(catalog.events)
    assert "evil@x" not in " ".join(events)
    hostile = events["hostile@canal.test"]
    assert str(hostile["SUMMARY"]) == HOSTILE_TITLE.replace("\r\n", "\n")
    assert hostile.start == datetime(2027, 3, 2, 10, tzinfo=SHANGHAI)
    assert "ATTACH" not in hostile
    assert not any(line.startswith((b"END:VEVENT ", b"UID:evil", b"DTSTART:1970"))
                   for line in body.replace(b"\r\n ", b"").split(b"\r\n"))


def test_single_occurrence_vevent_for_trip_plans():
    catalog = minimal()
    from canal.recurrence import occurrences
    event = catalog.events["farm-food-festival"]
    [occurrence] = occurrences(catalog, date(2027, 3, 13), date(2027, 3, 14), [event])
    vevent = ical.vevent_for(event, catalog, "en", revisions.UNTRACKED, occurrence)
    cal = ical.calendar(catalog, "en", [vevent], "My canal day", "Plan")
    [parsed] = icalendar.Calendar.from_ical(cal.to_ical()).walk("VEVENT")
    assert str(parsed["UID"]) == "farm-food-festival-20270313@canal.test"
    assert parsed.start == datetime(2027, 3, 13, 10, tzinfo=SHANGHAI)
    assert "RRULE" not in parsed and "EXDATE" not in parsed
