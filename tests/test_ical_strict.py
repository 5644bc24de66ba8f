"""Every feed read by the strict `ical` parser from PyPI (issue 19), as test_ical_parsers does
with the JavaScript readers: no parse error, no warning, and a year of occurrences equal to
`canal.recurrence.occurrences()`. `ical` validates each property with pydantic and rejects
what RFC 5545 does not allow (its lenient compat mode is off unless asked for); the
VTIMEZONE's COMMENT that icalendar adds, which RFC 5545 allows only inside STANDARD and
DAYLIGHT, is checked for separately (canal.ical drops it, issue 13).
"""
from __future__ import annotations

import logging
from datetime import datetime

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from canal import ical, revisions
from canal.loader import load
from ical_support import hostile_catalog, odd_text_catalog, write_feeds
from test_ical_parsers import CATALOGS, FROM, TO, all_feed, expected_starts, local_text

KINDS = {**{name: name for name in CATALOGS}, "hostile": "hostile", "odd-text": "odd-text"}


@pytest.fixture(scope="module", params=list(KINDS))
def feeds(request, tmp_path_factory):
    """(catalog, {file: (lang, kind, id)}) with every feed of the catalog written out."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "hostile":
        catalog, ledger = hostile_catalog(), revisions.Ledger()
    elif request.param == "odd-text":
        catalog, ledger = odd_text_catalog(), revisions.Ledger()
    else:
        path = CATALOGS[request.param]
        catalog, ledger = load(path), revisions.read(revisions.default_path(path))
    return catalog, write_feeds(catalog, ledger, folder)


def strict_parse(path, caplog):
    """The calendar as `ical` reads it; any parse error raises, any warning fails."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="ical"):
        calendar = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
    assert [r.getMessage() for r in caplog.records if r.name.startswith("ical")] == [], path
    return calendar


def test_the_strict_ical_parser_reads_every_feed_without_an_error(feeds, caplog):
    catalog, files = feeds
    assert files
    for path, (lang, _kind, _id) in files.items():
        calendar = strict_parse(path, caplog)
        assert [tz.tz_id for tz in calendar.timezones] == ["Asia/Shanghai"], path
        for event in calendar.events:
            model = catalog.events[ical.event_id_of(event.uid, catalog)]
            assert event.summary == model.title.get(lang).replace("\r\n", "\n"), path


def test_the_strict_ical_parser_finds_our_occurrences_for_a_year(feeds, caplog):
    catalog, files = feeds
    calendar = strict_parse(all_feed(files), caplog)
    timeline = calendar.timeline_tz(catalog.tz)
    got: dict[str, list[str]] = {event_id: [] for event_id in catalog.events}
    start = datetime.combine(FROM, datetime.min.time(), catalog.tz)
    end = datetime.combine(TO, datetime.min.time(), catalog.tz)
    for event in timeline.overlapping(start, end):
        event_id = ical.event_id_of(event.uid, catalog)
        if event.status and event.status.value == "CANCELLED" and not catalog.events[event_id].cancelled:
            continue  # an excepted lunar occurrence, kept as cancelled for a while
        if local_text(event.dtstart) >= FROM.isoformat():
            got[event_id].append(local_text(event.dtstart))
    assert {k: sorted(v) for k, v in got.items()} == expected_starts(catalog)


def test_no_vtimezone_carries_a_comment_of_its_own(feeds):
    """RFC 5545 §3.6.5 allows COMMENT only in STANDARD/DAYLIGHT; Ruby's strict parser and
    libical's restriction check reject it directly in VTIMEZONE."""
    _, files = feeds
    for path in files:
        for zone in icalendar.Calendar.from_ical(path.read_bytes()).walk("VTIMEZONE"):
            assert "COMMENT" not in zone, path
