"""Every feed read back by three independent parsers, and their dates checked against ours.

ical.js is the parser inside Thunderbird; node-ical is a second JavaScript reader;
recurring-ical-events expands rules in Python. For a year ahead each must find exactly
the occurrence start times that `canal.recurrence.occurrences()` gives the site's pages.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from canal import ical, revisions
from canal.loader import load
from canal.recurrence import occurrences
from ical_support import (
    HOSTILE_TITLE,
    ODD_DESCRIPTION,
    ODD_TITLE,
    ROOT,
    hostile_catalog,
    odd_text_catalog,
    run_node,
    write_feeds,
)

DATA = Path(__file__).parent / "data"
CATALOGS = {
    "minimal": DATA / "minimal.toml",
    "shipped": ROOT / "events.toml",
    "edges": DATA / "ical-edges.toml",
    "lunar": DATA / "lunar.toml",
}
# A year ahead of the tests' fixed "now" (conftest.NOW).
FROM, TO = date(2026, 12, 1), date(2027, 12, 2)


@pytest.fixture(scope="module", params=list(CATALOGS))
def feeds(request, tmp_path_factory):
    """(catalog, {file: (lang, kind, id)}) with every feed of the catalog written out."""
    path = CATALOGS[request.param]
    catalog = load(path)
    ledger = revisions.read(revisions.default_path(path))
    folder = tmp_path_factory.mktemp(request.param)
    return catalog, write_feeds(catalog, ledger, folder)


def local_text(value) -> str:
    """An occurrence start as ical.js prints it: 2027-04-17 or 2027-05-01T09:00:00."""
    if isinstance(value, datetime):
        return value.astimezone(timezone(timedelta(hours=8))).replace(tzinfo=None).isoformat()
    return value.isoformat()


def expected_starts(catalog) -> dict[str, list[str]]:
    """Our own occurrence starts in [FROM, TO), by event id."""
    found: dict[str, list[str]] = {event_id: [] for event_id in catalog.events}
    for occurrence in occurrences(catalog, FROM, TO):
        if occurrence.day >= FROM:
            found[occurrence.event.id].append(local_text(occurrence.start))
    return found


def all_feed(files, lang="zh") -> Path:
    return next(path for path, key in files.items() if key == (lang, "all", None))


def published(catalog) -> dict[str, tuple]:
    """Each VEVENT the feeds hold, by UID: (event, start, last day or end, cancelled).
    A lunar event has one per occurrence (ical.lunar_published), the others one."""
    ledger = revisions.read(revisions.default_path(catalog.path))
    found = {}
    for event in catalog.events.values():
        if event.repeat and "RSCALE" in event.repeat:
            for uid, occ, cancelled in ical.lunar_published(
                    event, catalog, None, ledger.kept_uid_day(event, catalog)):
                found[uid] = (event, occ.start, occ.end, cancelled)
        else:
            found[f"{event.id}@{catalog.meta.host}"] = (event, event.start, event.end, event.cancelled)
    return found


def test_icaljs_reads_every_feed_in_beijing_time(feeds):
    catalog, files = feeds
    parsed = run_node("icaljs.mjs", TO.isoformat(), *map(str, files))
    vevents = published(catalog)
    for path, (lang, _kind, _id) in files.items():
        calendar = parsed[str(path)]
        assert calendar["timezones"] == ["Asia/Shanghai"]
        assert calendar["name"].startswith(catalog.meta.name.get(lang))
        for event in calendar["events"]:
            model, start, end, cancelled = vevents[event["uid"]]
            assert event["summary"] == model.title.get(lang)
            assert event["description"].endswith(f"/events/{model.id}/")
            assert event["status"] == ("CANCELLED" if cancelled else "CONFIRMED")
            if model.all_day:
                assert event["allDay"] and event["start"] == start.isoformat()
                assert event["end"] == (end + timedelta(days=1)).isoformat()
            else:
                # Never floating: the machine runs in New York, the event in Beijing.
                assert event["tzid"] == "Asia/Shanghai"
                assert event["startUtc"] == start.astimezone(UTC).strftime(
                    "%Y-%m-%dT%H:%M:%S.000Z")


def test_icaljs_occurrences_equal_ours_for_a_year(feeds):
    catalog, files = feeds
    parsed = run_node("icaljs.mjs", TO.isoformat(), str(all_feed(files)))
    [calendar] = parsed.values()
    got: dict[str, list[str]] = {}
    for e in calendar["events"]:
        if e["status"] == "CANCELLED" and not catalog.events[ical.event_id_of(e["uid"], catalog)].cancelled:
            continue  # an excepted lunar occurrence, kept as cancelled for a while
        got.setdefault(ical.event_id_of(e["uid"], catalog), []).extend(
            s for s in e["occurrences"] if s >= FROM.isoformat())
    assert {k: sorted(v) for k, v in got.items()} == expected_starts(catalog)


def test_recurring_ical_events_occurrences_equal_ours_for_a_year(feeds):
    catalog, files = feeds
    cal = icalendar.Calendar.from_ical(all_feed(files).read_bytes())
    got: dict[str, list[str]] = {event_id: [] for event_id in catalog.events}
    for component in recurring_ical_events.of(cal).between(FROM, TO):
        if local_text(component.start) >= FROM.isoformat():
            got[ical.event_id_of(str(component["UID"]), catalog)].append(local_text(component.start))
    assert {k: sorted(v) for k, v in got.items()} == expected_starts(catalog)


def test_node_ical_reads_every_feed(feeds):
    catalog, files = feeds
    parsed = run_node("nodeical.mjs", FROM.isoformat(), TO.isoformat(), *map(str, files))
    for path, (lang, _kind, _id) in files.items():
        for event in parsed[str(path)]:
            model = catalog.events[ical.event_id_of(event["uid"], catalog)]
            assert event["summary"] == model.title.get(lang)
            assert event["location"].startswith(catalog.site_of(model).name.get(lang))
            assert event["dateOnly"] == model.all_day
    # Timed occurrences as instants: node-ical expands rules with its own zone database.
    expected = {}
    for occurrence in occurrences(catalog, FROM, TO):
        if not occurrence.event.all_day and occurrence.day >= FROM:
            expected.setdefault(occurrence.event.id, []).append(
                occurrence.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    got: dict[str, list[str]] = {}
    for event in parsed[str(all_feed(files))]:
        if not event["dateOnly"]:
            got.setdefault(ical.event_id_of(event["uid"], catalog), []).extend(event["instances"])
    assert {k: sorted(v) for k, v in got.items() if v} == expected


def test_awkward_text_round_trips_through_the_javascript_parsers(tmp_path):
    odd, hostile = odd_text_catalog(), hostile_catalog()
    (tmp_path / "odd").mkdir(), (tmp_path / "hostile").mkdir()
    files = {**write_feeds(odd, revisions.Ledger(), tmp_path / "odd"),
             **write_feeds(hostile, revisions.Ledger(), tmp_path / "hostile")}
    odd_feed = next(p for p, key in files.items() if key == ("zh", "events", "odd-text"))
    hostile_feed = next(p for p, key in files.items() if key == ("zh", "events", "hostile"))
    by_icaljs = run_node("icaljs.mjs", TO.isoformat(), str(odd_feed), str(hostile_feed))
    [odd_event] = by_icaljs[str(odd_feed)]["events"]
    assert odd_event["summary"] == ODD_TITLE
    assert odd_event["description"].startswith(ODD_DESCRIPTION + "\n")
    [hostile_event] = by_icaljs[str(hostile_feed)]["events"]
    assert hostile_event["uid"] == "hostile@canal.test"
    assert hostile_event["summary"] == HOSTILE_TITLE.replace("\r\n", "\n")
    assert hostile_event["occurrences"] == ["2027-03-02T10:00:00"]
    by_node_ical = run_node("nodeical.mjs", FROM.isoformat(), TO.isoformat(),
                            str(odd_feed), str(hostile_feed))
    assert [e["summary"] for e in by_node_ical[str(odd_feed)]] == [ODD_TITLE]
    assert [e["uid"] for e in by_node_ical[str(hostile_feed)]] == ["hostile@canal.test"]
