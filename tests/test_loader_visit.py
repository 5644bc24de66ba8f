"""The visiting fields (issue 14) are checked like every other field: file:line, path, what."""
from __future__ import annotations

from datetime import datetime, time

import pytest

from canal.loader import LoadError, parse

HEAD = '''[meta]
name = { zh = "北运河" }
timezone = "Asia/Shanghai"
base_url = "https://canal.test"

[areas.tongzhou]
name = { zh = "通州" }

[categories.boat]
name = { zh = "游船" }

[sites.pier]
name = { zh = "码头" }
area = "tongzhou"
kind = { zh = "码头" }
lat = 39.88
lon = 116.70
precision_m = 100
description = { zh = "码头。" }
'''
EVENT = '''
[events.trip]
title = { zh = "游船" }
site = "pier"
categories = ["boat"]
start = 2027-05-01T09:00:00
end = 2027-05-01T10:00:00
'''


def problems(text: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        parse(text, "events.toml")
    return [str(p) for p in caught.value.problems]


SITE_CASES = [
    ('opening_hours = "Tu-Su 10:00-20:00 sometimes"',
     "events.toml:20: sites.pier.opening_hours: 'Tu-Su 10:00-20:00 sometimes' is not an OpenStreetMap "
     "opening_hours rule (not understood from character 19, 'sometimes'); "
     "e.g. \"Tu-Su 10:00-20:00; PH 10:00-20:00\""),
    ('opening_hours = "PH Mo 10:00-12:00"',
     "events.toml:20: sites.pier.opening_hours: 'PH Mo 10:00-12:00': write PH as a day of its own rule "
     "or list, e.g. \"Tu-Su 10:00-20:00; PH off\" or \"Sa,Su,PH 09:00-17:00\""),
    ('opening_hours = "Tu-Su 10:00-20:00"\nlast_entry = 21:00:00',
     "events.toml:21: sites.pier.last_entry: last entry 21:00 is not inside the opening hours "
     "'Tu-Su 10:00-20:00' on any day"),
    ('opening_hours = "Tu-Su 10:00-20:00"\nlast_entry = "an hour before"',
     "events.toml:21: sites.pier.last_entry: expected a local time such as 19:00:00 or the minutes "
     "before closing (1 to 600), got 'an hour before'"),
    ("last_entry = 60",
     "events.toml:20: sites.pier.last_entry: 'last_entry' only makes sense with 'opening_hours'"),
    ('phone = "010-CANAL-88"',
     "events.toml:20: sites.pier.phone: '010-CANAL-88' is not a phone number: use digits, spaces, '-', "
     "'(' ')' and a leading '+' only (e.g. \"010-12345678\")"),
    ('entrances = [{ name = { zh = "东门" }, lat = 31.23, lon = 116.70 }]',
     "events.toml:20: sites.pier.entrances: entrance 1 latitude 31.23 is outside the region "
     "(39.0 to 40.2, meta.bbox); swapped with lon, or a typo?"),
    ('entrances = [{ name = { zh = "东门" }, lat = 39.88 }]',
     "events.toml:20: sites.pier.entrances.lon: required field 'lon' is missing"),
    ('transport = { zh = "地铁6号线", bus = "T116" }',
     "events.toml:20: sites.pier.transport.bus: unknown key 'bus'; allowed: zh, en, source"),
    ('parking = "yes"',
     'events.toml:20: sites.pier.parking: expected { zh = "…", en = "…", source = "https://…" }, got text'),
    ('accessibility = { wheelchair = "maybe" }',
     "events.toml:20: sites.pier.accessibility.wheelchair: wheelchair 'maybe' is not one of yes, limited, no"),
    ('accessibility = { wheelchare = "yes" }',
     "events.toml:20: sites.pier.accessibility.wheelchare: unknown key 'wheelchare' (did you mean "
     "'wheelchair'?); allowed: wheelchair, toilets_wheelchair, step_free, hearing_loop, note, source"),
    ('booking = { phone = "12301a" }',
     "events.toml:20: sites.pier.booking.phone: '12301a' is not a phone number: use digits, spaces, '-', "
     "'(' ')' and a leading '+' only (e.g. \"010-12345678\")"),
    ("booking = { required = false }",
     "events.toml:20: sites.pier.booking: says nothing: give required = true, a url, miniprogram, "
     "official_account, phone or note"),
    ('booking = { required = "yes", url = "www.example.cn" }',
     "events.toml:20: sites.pier.booking.required: expected true or false, got 'yes'"),
    ('opening_hours = "Mo-Fr 10:00-"',
     "events.toml:20: sites.pier.opening_hours: 'Mo-Fr 10:00-' is not an OpenStreetMap opening_hours "
     "rule (not understood at its end); e.g. \"Tu-Su 10:00-20:00; PH 10:00-20:00\""),
]


@pytest.mark.parametrize(("lines", "message"), SITE_CASES)
def test_bad_site_visiting_fields(lines, message):
    assert message in problems(HEAD + lines + "\n" + EVENT)


EVENT_CASES = [
    ('ends_at = "wharf"', "events.toml:27: events.trip.ends_at: unknown site 'wharf'"),
    ('ends_at = "pier"', "events.toml:27: events.trip.ends_at: ends where it starts ('pier'): leave 'ends_at' out"),
    ('status = "rescheduled"',
     "events.toml:27: events.trip.status: status 'rescheduled' needs 'previous_start', the start it had "
     "before it moved"),
    ("previous_start = 2027-04-01T09:00:00",
     "events.toml:27: events.trip.previous_start: 'previous_start' only makes sense with status "
     "'postponed' or 'rescheduled'"),
    ('status = "postponed"\nprevious_start = 2027-04-01',
     "events.toml:28: events.trip.previous_start: give 'previous_start' like 'start': both dates, or "
     "both with times"),
    ('booking = { required = true, url = "weixin://dl/business" }',
     "events.toml:27: events.trip.booking.url: 'weixin://dl/business' is not a web address: expected https://…"),
    ('booking = { required = true, phone = "call us" }',
     "events.toml:27: events.trip.booking.phone: 'call us' is not a phone number: use digits, spaces, '-', "
     "'(' ')' and a leading '+' only (e.g. \"010-12345678\")"),
]


@pytest.mark.parametrize(("lines", "message"), EVENT_CASES)
def test_bad_event_visiting_fields(lines, message):
    assert message in problems(HEAD + EVENT + lines + "\n")


def test_good_fields_load():
    text = HEAD + '''opening_hours = "Tu-Su 10:00-20:00; PH 10:00-20:00"
last_entry = 19:00:00
hours_source = "https://example.org/hours"
entrances = [{ name = { zh = "东门", en = "East gate" }, lat = 39.881, lon = 116.701 }]
transport = { zh = "地铁6号线", en = "Metro line 6", source = "https://example.org/t" }
accessibility = { wheelchair = "limited", hearing_loop = "no", note = { zh = "坡道" } }
booking = { required = true, phone = "010-12345678", miniprogram = { zh = "博物馆预约" } }
phone = "+86 10 1234 5678"

[sites.end]
name = { zh = "终点" }
area = "tongzhou"
kind = { zh = "码头" }
lat = 39.70
lon = 116.91
precision_m = 100
description = { zh = "终点。" }
''' + EVENT + '''status = "rescheduled"
previous_start = 2027-04-24T09:00:00
ends_at = "end"
booking = { required = true, url = "https://example.org/book", opens = { zh = "活动前7天" } }
'''
    catalog = parse(text, "events.toml")
    site, event = catalog.sites["pier"], catalog.events["trip"]
    assert site.last_entry == time(19) and site.entrances[0].name.en == "East gate"
    assert site.accessibility.value("wheelchair") == "limited" and site.booking.phone == "010-12345678"
    assert site.transport.get("en") == "Metro line 6" and site.transport.source == "https://example.org/t"
    assert event.moved and event.previous_start == datetime(2027, 4, 24, 9, tzinfo=catalog.tz)
    assert catalog.end_site_of(event).id == "end" and event.booking.url == "https://example.org/book"
