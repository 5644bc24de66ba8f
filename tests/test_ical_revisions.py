"""Change tracking: SEQUENCE, DTSTAMP and LAST-MODIFIED follow the revision ledger."""
from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from canal import ical, revisions
from canal.cli import canal
from canal.loader import load, parse
from ical_support import ROOT

DATA = Path(__file__).parent / "data"
LATER = datetime(2027, 1, 5, 3, 0, tzinfo=UTC)


def minimal_text() -> str:
    return (DATA / "minimal.toml").read_text(encoding="utf-8")


def vevents(catalog, ledger) -> dict[str, icalendar.Event]:
    body = ical.build_feed(catalog, "zh", ical.select(catalog, "all"), ledger).body
    return {str(e["UID"]).split("@")[0]: e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


@pytest.mark.parametrize("events_file", [ROOT / "events.toml", DATA / "minimal.toml",
                                         DATA / "ical-edges.toml"])
def test_committed_ledger_is_current(events_file):
    ledger = revisions.read(revisions.default_path(events_file))
    stale = ledger.stale(load(events_file))
    assert not stale, (f"{revisions.default_path(events_file).name} is behind {events_file.name} "
                       f"for {stale}: run `flask --app app canal revisions {events_file}` and commit it")


def test_changing_one_events_time_raises_only_its_sequence():
    ledger = revisions.read(DATA / "minimal.revisions.toml")
    before = vevents(load(DATA / "minimal.toml"), ledger)
    moved = parse(minimal_text().replace("start = 2027-05-01T09:00:00", "start = 2027-05-01T10:00:00"))
    updated, changed = ledger.updated(moved, LATER)
    assert changed == ["boat-trip"]
    after = vevents(moved, updated)
    for event_id, vevent in after.items():
        if event_id == "boat-trip":
            assert vevent["SEQUENCE"] == before[event_id]["SEQUENCE"] + 1
            assert vevent["DTSTAMP"].dt == vevent["LAST-MODIFIED"].dt == LATER
        else:
            assert vevent.to_ical() == before[event_id].to_ical()


@pytest.mark.parametrize("old, new", [
    ('site = "canal-museum"', 'site = "caoyun-wharf"'),            # place
    ('start = 2027-01-01\nstatus = "cancelled"', "start = 2027-01-01"),  # status
    ("except = [2027-02-13]", "except = [2027-03-13]"),            # dates
])
def test_place_status_and_dates_count_as_schedule_changes(old, new):
    ledger = revisions.read(DATA / "minimal.revisions.toml")
    changed_text = minimal_text().replace(old, new)
    assert changed_text != minimal_text()
    updated, changed = ledger.updated(parse(changed_text), LATER)
    assert len(changed) == 1
    assert updated.entries[changed[0]].sequence == ledger.entries[changed[0]].sequence + 1


def test_text_change_moves_the_stamp_but_not_the_sequence():
    ledger = revisions.read(DATA / "minimal.revisions.toml")
    retitled = parse(minimal_text().replace('title = { zh = "运河夜话" }', 'title = { zh = "运河夜话（新）" }'))
    updated, changed = ledger.updated(retitled, LATER)
    assert changed == ["night-lecture"]
    entry = updated.entries["night-lecture"]
    assert entry.sequence == ledger.entries["night-lecture"].sequence
    assert entry.modified == LATER
    # Running it again finds nothing to record: stamps move only when content did.
    assert updated.updated(retitled, datetime(2030, 1, 1, tzinfo=UTC))[1] == []


def test_unrecorded_event_gets_sequence_zero_and_a_fixed_stamp():
    vevent = vevents(load(DATA / "minimal.toml"), revisions.Ledger())["boat-trip"]
    assert vevent["SEQUENCE"] == 0
    assert vevent["DTSTAMP"].dt == revisions.EPOCH


def test_ledger_round_trips_through_its_file(tmp_path):
    ledger = revisions.read(DATA / "minimal.revisions.toml")
    revisions.write(ledger, tmp_path / "copy.toml")
    assert revisions.read(tmp_path / "copy.toml").entries == ledger.entries
    assert (tmp_path / "copy.toml").read_text(encoding="utf-8") == \
        (DATA / "minimal.revisions.toml").read_text(encoding="utf-8")


def test_revisions_command_records_an_edit_and_check_proves_it(tmp_path):
    events = tmp_path / "events.toml"
    shutil.copy(DATA / "minimal.toml", events)
    shutil.copy(DATA / "minimal.revisions.toml", tmp_path / "events.revisions.toml")
    runner = CliRunner()
    assert runner.invoke(canal, ["revisions", "--check", str(events)]).exit_code == 0
    events.write_text(minimal_text().replace("end = 2027-05-01T13:00:00", "end = 2027-05-01T14:00:00"),
                      encoding="utf-8")
    stale = runner.invoke(canal, ["revisions", "--check", str(events)])
    assert stale.exit_code == 1 and "boat-trip" in stale.output
    recorded = runner.invoke(canal, ["revisions", str(events)])
    assert recorded.exit_code == 0 and "1 event(s) recorded" in recorded.output
    assert runner.invoke(canal, ["revisions", "--check", str(events)]).exit_code == 0
    ledger = revisions.read(tmp_path / "events.revisions.toml")
    old = revisions.read(DATA / "minimal.revisions.toml")
    assert ledger.entries["boat-trip"].sequence == old.entries["boat-trip"].sequence + 1
    assert {k: v for k, v in ledger.entries.items() if k != "boat-trip"} == \
        {k: v for k, v in old.entries.items() if k != "boat-trip"}


def test_deleted_event_keeps_its_entry_so_a_return_continues_the_sequence():
    ledger = revisions.read(DATA / "minimal.revisions.toml")
    text = minimal_text()
    without = parse(text[:text.index("[events.cancelled-fair]")])
    updated, _ = ledger.updated(without, LATER)
    assert "cancelled-fair" in updated.entries


# Every catalog we ship or test with (hostile text included), but the ledgers and the broken one.
FINGERPRINTED = [ROOT / "events.toml"] + sorted(
    p for p in DATA.glob("*.toml") if not p.name.endswith(".revisions.toml") and p.name != "broken.toml")


def reference_fingerprint(event, catalog) -> str:
    """The schedule fingerprint the generic way: the form every ledger was written with."""
    return revisions._digest(revisions._schedule(event, catalog))


@pytest.mark.parametrize("path", FINGERPRINTED, ids=lambda p: p.name)
def test_fast_schedule_fingerprint_equals_the_generic_one(path):
    catalog = load(path)
    for event in catalog.events.values():
        assert revisions.schedule_fingerprint(event, catalog) == reference_fingerprint(event, catalog), event.id


def test_fast_schedule_fingerprint_on_synthetic_events():
    import sys
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import catalog_toml
    catalog = parse(catalog_toml(300))
    for event in catalog.events.values():
        assert revisions.schedule_fingerprint(event, catalog) == reference_fingerprint(event, catalog), event.id


@given(name=st.text(), address=st.one_of(st.none(), st.text()), english=st.one_of(st.none(), st.text()),
       lat=st.floats(-90, 90), repeat=st.one_of(st.none(), st.text()), status=st.text(),
       skipped=st.lists(st.dates(), max_size=4))
@settings(max_examples=300, deadline=None)
def test_fast_schedule_fingerprint_on_any_text(name, address, english, lat, repeat, status, skipped):
    """Whatever characters names and rules hold, both ways write the same JSON."""
    from dataclasses import replace

    from canal.model import Catalog, Text
    catalog = load(DATA / "minimal.toml")
    event = next(e for e in catalog.events.values() if e.except_dates)
    site = replace(catalog.site_of(event), name=Text(name, english), lat=lat,
                   address=None if address is None else Text(address, english))
    event = replace(event, repeat=repeat, status=status, except_dates=tuple(skipped))
    changed = Catalog(catalog.meta, catalog.areas, catalog.categories,
                      {**catalog.sites, site.id: site}, {**catalog.events, event.id: event})
    assert revisions.schedule_fingerprint(event, changed) == reference_fingerprint(event, changed)
