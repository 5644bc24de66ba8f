"""Moved events in feeds and JSON-LD, booking and hours in JSON-LD, and plan legs after a trip."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import icalendar

from canal import ical, jsonld, revisions
from canal.loader import load, parse
from canal.plan import build_plan

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
LATER = datetime(2027, 1, 5, 3, 0, tzinfo=UTC)


def vevents(catalog, ledger) -> dict[str, icalendar.Event]:
    body = ical.build_feed(catalog, "zh", ical.select(catalog, "all"), ledger).body
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def test_a_rescheduled_event_keeps_its_uid_and_raises_sequence():
    text = (DATA / "minimal.toml").read_text(encoding="utf-8")
    ledger = revisions.read(DATA / "minimal.revisions.toml")
    before = vevents(load(DATA / "minimal.toml"), ledger)
    moved = parse(text.replace('start = 2027-05-01T09:00:00\nend = 2027-05-01T13:00:00',
                               'start = 2027-05-08T09:00:00\nend = 2027-05-08T13:00:00\n'
                               'status = "rescheduled"\nprevious_start = 2027-05-01T09:00:00'))
    updated, changed = ledger.updated(moved, LATER)
    assert changed == ["boat-trip"]
    after = vevents(moved, updated)
    uid = next(u for u in before if u.startswith("boat-trip"))
    assert uid in after  # same UID: the subscriber's entry moves, no duplicate appears
    assert after[uid]["SEQUENCE"] == before[uid]["SEQUENCE"] + 1
    assert after[uid]["STATUS"] == "CONFIRMED"
    assert after[uid].decoded("DTSTART") == datetime(2027, 5, 8, 9, tzinfo=moved.tz)

    postponed = parse(text.replace('end = 2027-05-01T13:00:00\n', 'end = 2027-05-01T13:00:00\n'
                                   'status = "postponed"\n', 1))
    updated, changed = ledger.updated(postponed, LATER)
    assert changed == ["boat-trip"]
    assert vevents(postponed, updated)[uid]["STATUS"] == "TENTATIVE"


def test_json_ld_of_a_rescheduled_event_has_previous_start_and_status():
    text = (DATA / "minimal.toml").read_text(encoding="utf-8")
    catalog = parse(text.replace('start = 2027-05-01T09:00:00\nend = 2027-05-01T13:00:00',
                                 'start = 2027-05-08T09:00:00\nend = 2027-05-08T13:00:00\n'
                                 'status = "rescheduled"\nprevious_start = 2027-05-01T09:00:00\n'
                                 'booking = { required = true, url = "https://book.example.org/x" }'))
    event = catalog.events["boat-trip"]
    from canal.recurrence import upcoming
    found = upcoming(catalog, datetime(2027, 5, 1, tzinfo=catalog.tz), events=[event])
    item = jsonld.event_objects(catalog, event, found, "en")[0]
    assert item["eventStatus"] == "https://schema.org/EventRescheduled"
    assert item["previousStartDate"] == "2027-05-01T09:00:00+08:00"
    assert item["offers"]["url"] == "https://book.example.org/x"


def test_the_leg_after_a_boat_trip_starts_at_the_wharf_where_it_arrives():
    catalog = load(ROOT / "events.toml")
    # The boat from Tongzhou Wharf No. 2 (09:00-13:00) arrives at Xianghe Central Wharf;
    # the zhongfan show at 15:00 is on that wharf: the visitor is already there.
    trip = ["boat-tongzhou-xianghe@2027-05-02,zhongfan-show@2027-05-02"]
    plan = build_plan(catalog, trip, nearby_km=None)
    leg = plan.days[0].legs[0]
    assert leg.km == 0.0 and leg.minutes == 0
    # Measured from the departure wharf, as before ends_at, it was about 29 km by road.
    without = parse((ROOT / "events.toml").read_text(encoding="utf-8").replace(
        'ends_at = "xianghe-wharf"\n\n[events.tongwulang', '\n[events.tongwulang'))
    assert without.events["boat-tongzhou-xianghe"].ends_at is None
    far = build_plan(without, trip, nearby_km=None).days[0].legs[0]
    assert far.km > 20


def test_site_json_ld_lists_opening_hours(client):
    html = client.get("/en/sites/canal-museum/").get_data(as_text=True)
    assert "Open today 10:00–20:00 (last entry 19:00)" in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Place"
    days = [s["dayOfWeek"].rsplit("/", 1)[1] for s in data["openingHoursSpecification"]]
    assert days == ["Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "PublicHolidays"]
