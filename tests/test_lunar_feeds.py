"""Lunar events in the feeds: one plain VEVENT per occurrence, UIDs per lunar year, SEQUENCE
from the ledger over the expanded dates, cancelled leftovers, and the migration of events
subscribers already have."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar

from canal import create_app, ical, lunar, revisions
from canal.loader import load, parse
from canal.recurrence import parse_rule

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
HOST = "canal.test"
T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
T1 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def feed(catalog, ledger, kind="all", id=None, lang="zh", year=None):
    return ical.FeedCache(catalog, ledger).get(lang, kind, id, year).body


def vevents(body: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def by_uid(body: bytes) -> dict[str, icalendar.Event]:
    return {str(v["UID"]): v for v in vevents(body)}


def start_of(vevent) -> str:
    value = vevent["DTSTART"].dt
    return value.isoformat()


def test_a_lunar_event_is_plain_vevents_one_per_lunar_year():
    catalog = load(DATA / "lunar.toml")
    body = feed(catalog, revisions.Ledger(), "events", "dragon-boat")
    unfolded = body.replace(b"\r\n ", b"")
    for word in (b"RRULE", b"RDATE", b"RSCALE", b"EXDATE", b"SKIP"):
        assert word not in unfolded
    found = {uid: (start_of(v), str(v["STATUS"])) for uid, v in by_uid(body).items()}
    assert found == {
        f"dragon-boat-2027@{HOST}": ("2027-06-09T09:00:00+08:00", "CONFIRMED"),
        f"dragon-boat-2028@{HOST}": ("2028-05-28T09:00:00+08:00", "CONFIRMED"),
        # The excepted year stays, cancelled, so calendars that have it remove it.
        f"dragon-boat-2029@{HOST}": ("2029-06-16T09:00:00+08:00", "CANCELLED"),
        f"dragon-boat-2030@{HOST}": ("2030-06-05T09:00:00+08:00", "CONFIRMED"),
        f"dragon-boat-2031@{HOST}": ("2031-06-24T09:00:00+08:00", "CONFIRMED"),
    }
    for vevent in vevents(body):
        assert str(vevent["DESCRIPTION"]).startswith("每年农历五月初五（端午节），共4次（2029年6月16日除外）\n")
        assert vevent["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert vevent["DTEND"].dt - vevent["DTSTART"].dt == datetime(1, 1, 1, 12) - datetime(1, 1, 1, 9)
    english = vevents(feed(catalog, revisions.Ledger(), "events", "dragon-boat", "en"))[0]
    assert str(english["DESCRIPTION"]).startswith(
        "every year on the 5th day of the 5th lunar month (Dragon Boat Festival), 4 times")


def test_all_day_multi_day_lunar_occurrences_keep_their_length():
    catalog = load(DATA / "lunar.toml")
    body = feed(catalog, revisions.Ledger(), "events", "spring-fair")
    spans = sorted((v["DTSTART"].dt, v["DTEND"].dt) for v in vevents(body))
    assert spans[:2] == [(date(2027, 2, 6), date(2027, 2, 21)), (date(2028, 1, 26), date(2028, 2, 10))]
    assert all((end - start).days == 15 for start, end in spans)  # DTEND exclusive


def test_the_horizon_rolls_with_the_year_and_drops_old_cancelled_years():
    catalog = load(DATA / "lunar.toml")
    ledger = revisions.Ledger()
    # Seen from 2026: up to 2029 (HORIZON_YEARS = 3).
    assert sorted(by_uid(feed(catalog, ledger, "events", "double-ninth", year=2026))) == [
        f"double-ninth-{y}@{HOST}" for y in (2027, 2028, 2029)]
    assert sorted(by_uid(feed(catalog, ledger, "events", "double-ninth", year=2028))) == [
        f"double-ninth-{y}@{HOST}" for y in (2027, 2028, 2029, 2030, 2031)]
    # The cancelled 2029 race stays through 2030, then goes.
    assert f"dragon-boat-2029@{HOST}" in by_uid(feed(catalog, ledger, "events", "dragon-boat", year=2030))
    assert f"dragon-boat-2029@{HOST}" not in by_uid(feed(catalog, ledger, "events", "dragon-boat", year=2031))


def test_the_site_serves_feeds_with_the_horizon_of_its_clock(tmp_path):
    app = create_app({"CANAL_EVENTS": str(DATA / "lunar.toml"), "CANAL_NOW": "2026-12-01T09:00:00",
                      "TESTING": True})
    body = app.test_client().get("/feeds/all.ics").data
    assert {start_of(v)[:4] for v in vevents(body)} == {"2027", "2028", "2029"}


def test_a_moved_lunar_date_raises_that_events_sequence_and_no_other(monkeypatch):
    catalog = load(ROOT / "events.toml")
    ledger = revisions.read(ROOT / "events.revisions.toml")
    before = by_uid(feed(catalog, ledger))
    # A library upgrade that moves 端午 2029 by a day (as 2057 and 2089 might move).
    real = lunar._to_gregorian

    def moved(year, month, leap, day):
        found = real(year, month, leap, day)
        return date(2029, 6, 17) if found == date(2029, 6, 16) else found

    monkeypatch.setattr(lunar, "_to_gregorian", moved)
    lunar._expand.cache_clear()
    parse_rule.cache_clear()
    try:
        moved_catalog = load(ROOT / "events.toml")
        after = by_uid(feed(moved_catalog, ledger))
        changed = {uid for uid in before if before[uid]["SEQUENCE"] != after[uid]["SEQUENCE"]}
        assert changed == {uid for uid in before if ical.event_id_of(uid, catalog) == "dragon-boat-race"}
        race = "dragon-boat-race-2029@beiyunhe.example.org"
        assert start_of(after[race]) == "2029-06-17T09:00:00+08:00"  # same UID: an update
        assert after[race]["SEQUENCE"] == before[race]["SEQUENCE"] + 1
        updated, ids = ledger.updated(moved_catalog, T1)
        assert ids == ["dragon-boat-race"]
    finally:
        monkeypatch.undo()
        lunar._expand.cache_clear()
        parse_rule.cache_clear()


def test_an_added_except_cancels_that_year_with_a_higher_sequence():
    text = (DATA / "lunar.toml").read_text(encoding="utf-8")
    catalog = parse(text)
    ledger, _ = revisions.Ledger().updated(catalog, T0)
    before = by_uid(feed(catalog, ledger, "events", "double-ninth"))
    edited = parse(text.replace('UNTIL=20311231"', 'UNTIL=20311231"\nexcept = [2028-10-26]'))
    ledger2, changed = ledger.updated(edited, T1)
    assert changed == ["double-ninth"]
    after = by_uid(feed(edited, ledger2, "events", "double-ninth"))
    assert set(after) == set(before)
    uid = f"double-ninth-2028@{HOST}"
    assert (str(before[uid]["STATUS"]), str(after[uid]["STATUS"])) == ("CONFIRMED", "CANCELLED")
    assert after[uid]["SEQUENCE"] == before[uid]["SEQUENCE"] + 1


# --- Migration: events already published keep their UID for the date subscribers have -------

def hand_dated(text: str) -> str:
    """The shipped events file as it was before its festivals followed the lunar calendar."""
    return re.sub(r'^repeat = "RSCALE=CHINESE[^\n]*\n', "", text, flags=re.M)


def test_no_existing_subscriber_sees_a_duplicate_after_the_migration():
    text = (ROOT / "events.toml").read_text(encoding="utf-8")
    old_catalog, new_catalog = parse(hand_dated(text)), parse(text)
    lunar_ids = {e.id for e in new_catalog.events.values() if e.repeat and "RSCALE" in e.repeat}
    assert lunar_ids == {"grand-canal-spring-fair", "lantern-night-hexiwu", "dragon-boat-race",
                         "mid-autumn-night"}
    old_ledger, _ = revisions.Ledger().updated(old_catalog, T0)
    # The subscriber's calendar before, and after the migration: with the ledger updated by
    # `flask canal revisions`, and before the editor ran it.
    old = by_uid(feed(old_catalog, old_ledger))
    new_ledger, changed = old_ledger.updated(new_catalog, T1)
    assert sorted(changed) == sorted(lunar_ids)
    for ledger in (new_ledger, old_ledger):
        new = by_uid(feed(new_catalog, ledger))
        assert set(old) <= set(new)  # every event they have is still there, under its UID
        shown = [(str(v["SUMMARY"]), start_of(v)) for v in new.values()]
        assert len(shown) == len(set(shown))  # nothing twice
        for uid, vevent in old.items():
            assert start_of(new[uid]) == start_of(vevent)
            if ical.event_id_of(uid, new_catalog) in lunar_ids:
                assert new[uid]["SEQUENCE"] == vevent["SEQUENCE"] + 1  # the rule changed
                assert "RRULE" not in new[uid]
                # Later years are new events, with new UIDs, on later dates.
                later = [u for u in new if u.startswith(uid.split("@")[0] + "-")]
                assert len(later) == 4 and all(start_of(new[u]) > start_of(vevent) for u in later)
    # The committed ledger records which date keeps the old UID.
    shipped = revisions.read(ROOT / "events.revisions.toml")
    assert shipped.entries["dragon-boat-race"].kept_uid == "2027-06-09"
    assert new_ledger.entries["dragon-boat-race"].kept_uid == "2027-06-09"
    # A new lunar event has no old UID to keep.
    assert new_ledger.entries["dragon-boat-race"].kept_uid != "none"
    fresh, _ = revisions.Ledger().updated(new_catalog, T1)
    assert fresh.entries["dragon-boat-race"].kept_uid == "none"
    assert "dragon-boat-race@beiyunhe.example.org" not in by_uid(feed(new_catalog, fresh))


def test_the_kept_uid_survives_the_ledger_file(tmp_path):
    catalog = load(ROOT / "events.toml")
    ledger = revisions.read(ROOT / "events.revisions.toml")
    path = tmp_path / "events.revisions.toml"
    revisions.write(ledger, path)
    again = revisions.read(path)
    assert again.entries == ledger.entries
    assert feed(catalog, again) == feed(catalog, ledger)
    shipped = by_uid(feed(catalog, ledger))
    assert start_of(shipped["dragon-boat-race@beiyunhe.example.org"]) == "2027-06-09T09:00:00+08:00"
    assert start_of(shipped["dragon-boat-race-2028@beiyunhe.example.org"]) == "2028-05-28T09:00:00+08:00"


def test_google_add_link_is_not_offered_for_a_lunar_event():
    from canal import calendar_links
    catalog = load(DATA / "lunar.toml")
    links = calendar_links.add_event(catalog, catalog.events["double-ninth"], "zh")
    assert links["google"] is None and links["outlook"] is None
    assert links["ics"] == "/events/double-ninth.ics"
