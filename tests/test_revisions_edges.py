"""The revision ledger at its edges: what counts as a schedule change and what as content
only, the stamp's form, the file's mistakes named, and the UID kept by an event whose
rule became lunar.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from borax.calendars.lunardate import LunarDate

from canal import revisions
from canal.revisions import EPOCH, Ledger, LedgerError, Revision
from edges import HEAD, catalog_of, event_toml

NOW = datetime(2027, 1, 5, 11, 30, 15, 999999, tzinfo=timezone(timedelta(hours=8)))
STAMP = datetime(2027, 1, 5, 3, 30, 15, tzinfo=UTC)
DRAGON_BOAT = LunarDate(2027, 5, 5).to_solar_date()
LUNAR = '"RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT=3"'


def catalog(**fields: str):
    fields = {"start": "2027-01-09T09:00:00", "end": "2027-01-09T10:00:00", **fields}
    return catalog_of(event_toml(**fields))


def recorded(cat) -> Ledger:
    return Ledger().updated(cat, NOW)[0]


def test_a_new_event_is_recorded_at_sequence_zero_in_whole_utc_seconds():
    cat = catalog()
    ledger, changed = Ledger().updated(cat, NOW)
    assert changed == ["e"]
    entry = ledger.entries["e"]
    assert (entry.sequence, entry.modified, entry.kept_uid) == (0, STAMP, "")
    assert (entry.schedule, entry.content) == revisions.fingerprints(cat.events["e"], cat)
    assert ledger.revision_of(cat.events["e"], cat) == entry
    assert ledger.stale(cat) == []
    again, changed = ledger.updated(cat, NOW + timedelta(days=1))
    assert changed == [] and again.entries == ledger.entries


@pytest.mark.parametrize("fields, schedule", [
    ({"end": "2027-01-09T11:00:00"}, True),
    ({"site": "museum"}, True),
    ({"status": '"cancelled"'}, True),
    ({"repeat": '"FREQ=WEEKLY;COUNT=2"'}, True),
    ({"description": '{ zh = "新的说明" }'}, False),
    ({"url": '"https://canal.test/more"'}, False),
    ({"price": '{ zh = "免费" }'}, False),
    ({"organiser": '{ zh = "主办方" }'}, False),
    ({"source": '"https://canal.test/source"'}, False),  # not shown in feeds: no change at all
])
def test_what_raises_the_sequence_and_what_only_moves_the_stamp(fields, schedule):
    before = catalog()
    ledger = recorded(before)
    after = catalog(**fields)
    later = NOW + timedelta(days=3)
    updated, changed = ledger.updated(after, later)
    entry = updated.entries["e"]
    if fields == {"source": '"https://canal.test/source"'}:
        assert changed == [] and entry == ledger.entries["e"]
        return
    assert changed == ["e"]
    assert entry.sequence == (1 if schedule else 0)
    assert entry.modified == (later.astimezone(UTC)).replace(microsecond=0)
    # Before the command runs, the site already tells calendars of a schedule change, with the old stamp.
    provisional = ledger.revision_of(after.events["e"], after)
    assert (provisional.sequence, provisional.modified) == ((1, STAMP) if schedule else (0, STAMP))
    assert ledger.stale(after) == ["e"]


def test_a_site_moved_or_renamed_is_a_schedule_change_of_its_events():
    before = catalog()
    ledger = recorded(before)
    moved = catalog_of(event_toml(start="2027-01-09T09:00:00", end="2027-01-09T10:00:00"),
                       head=HEAD.replace("lon = 116.70", "lon = 116.71", 1))
    assert ledger.updated(moved, NOW)[0].entries["e"].sequence == 1
    renamed = catalog_of(event_toml(start="2027-01-09T09:00:00", end="2027-01-09T10:00:00"),
                         head=HEAD.replace('name = { zh = "码头", en = "Wharf" }',
                                           'name = { zh = "码头", en = "Pier" }', 1))
    assert ledger.updated(renamed, NOW)[0].entries["e"].sequence == 1
    rebased = catalog_of(event_toml(start="2027-01-09T09:00:00", end="2027-01-09T10:00:00"),
                         head=HEAD.replace("https://canal.test", "https://canal.example"))
    entry = ledger.updated(rebased, NOW + timedelta(hours=1))[0].entries["e"]
    assert entry.sequence == 0 and entry.modified == STAMP + timedelta(hours=1)


def test_an_unknown_event_is_untracked():
    cat = catalog()
    assert Ledger().revision_of(cat.events["e"], cat) == Revision(0, EPOCH)
    assert Ledger().stale(cat) == ["e"]


def test_the_file_form_with_and_without_a_kept_uid(tmp_path):
    ledger = Ledger({"b": Revision(3, STAMP, "s" * 16, "c" * 16, "none"),
                     "a": Revision(0, datetime(2026, 12, 1, 17, tzinfo=timezone(timedelta(hours=8))), "x", "y")})
    text = ledger.dumps()
    assert text == (revisions.HEADER +
                    '\n[events.a]\nsequence = 0\nmodified = 2026-12-01T09:00:00Z\nschedule = "x"\ncontent = "y"\n'
                    f'\n[events.b]\nsequence = 3\nmodified = 2027-01-05T03:30:15Z\nschedule = "{"s" * 16}"\n'
                    f'content = "{"c" * 16}"\nkept_uid = "none"\n')
    path = tmp_path / "events.revisions.toml"
    revisions.write(ledger, path)
    back = revisions.read(path)
    assert back.entries["b"] == Revision(3, STAMP, "s" * 16, "c" * 16, "none")
    assert back.entries["a"].modified == datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert back.entries["a"].kept_uid == ""


def test_a_missing_ledger_is_empty_and_sits_next_to_the_events_file(tmp_path):
    assert revisions.read(tmp_path / "nothing.toml").entries == {}
    assert revisions.default_path(tmp_path / "events.toml") == tmp_path / "events.revisions.toml"
    assert revisions.default_path("content/autumn.toml") == revisions.default_path("content/autumn.toml")
    assert str(revisions.default_path("content/autumn.toml")).endswith("autumn.revisions.toml")


@pytest.mark.parametrize("body, message", [
    ('[events.a]\nsequence = 1\nmodified = 2027-01-05T03:30:15\nschedule = "x"\ncontent = "y"\n',
     "events.a: modified must be a UTC date-time such as 2026-12-01T09:00:00Z"),
    ('[events.a]\nsequence = 1\nmodified = "2027-01-05"\nschedule = "x"\ncontent = "y"\n',
     "events.a: modified must be a UTC date-time such as 2026-12-01T09:00:00Z"),
    ('[events.a]\nsequence = 1\nschedule = "x"\ncontent = "y"\n', "events.a: 'modified'"),
    ('[events.a]\nmodified = 2027-01-05T03:30:15Z\nschedule = "x"\ncontent = "y"\n', "events.a: 'sequence'"),
    ('[events.a]\nsequence = "one"\nmodified = 2027-01-05T03:30:15Z\nschedule = "x"\ncontent = "y"\n',
     "events.a: invalid literal for int() with base 10: 'one'"),
    ('[events.a]\nsequence = 1\nmodified = 2027-01-05T03:30:15Z\ncontent = "y"\n', "events.a: 'schedule'"),
    ('[events.a]\nsequence = 1\nmodified = 2027-01-05T03:30:15Z\nschedule = "x"\n', "events.a: 'content'"),
])
def test_a_broken_ledger_names_the_file_and_the_entry(tmp_path, body, message):
    path = tmp_path / "events.revisions.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(LedgerError) as caught:
        revisions.read(path)
    assert str(caught.value) == f"{path}: {message}"


def test_a_ledger_that_is_not_toml_or_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "events.revisions.toml"
    path.write_text("[events.a\n", encoding="utf-8")
    with pytest.raises(LedgerError) as caught:
        revisions.read(path)
    assert str(caught.value).startswith(f"{path}: ")
    path.write_bytes(b'[events.a]\nschedule = "\xff"\n')
    with pytest.raises(LedgerError) as caught:
        revisions.read(path)
    assert str(caught.value).startswith(f"{path}: ") and "utf-8" in str(caught.value)


def test_an_offset_stamp_in_the_file_is_read_as_utc(tmp_path):
    path = tmp_path / "events.revisions.toml"
    path.write_text('[events.a]\nsequence = 2\nmodified = 2027-01-05T11:30:15+08:00\nschedule = "x"\ncontent = "y"\n'
                    'kept_uid = "2027-06-11"\n', encoding="utf-8")
    entry = revisions.read(path).entries["a"]
    assert entry == Revision(2, STAMP, "x", "y", "2027-06-11")
    assert entry.modified.tzinfo == UTC


# --- Lunar events: the UID subscribers already have --------------------------------------------

def lunar_catalog(start: date = DRAGON_BOAT):
    return catalog_of(event_toml(start=start.isoformat(), end=start.isoformat(), repeat=LUNAR))


def test_an_event_that_becomes_lunar_keeps_its_uid_for_its_hand_dated_day():
    hand_dated = catalog(start=DRAGON_BOAT.isoformat(), end=DRAGON_BOAT.isoformat())
    ledger = recorded(hand_dated)
    assert ledger.entries["e"].kept_uid == ""
    lunar = lunar_catalog()
    assert ledger.kept_uid_day(lunar.events["e"], lunar) == DRAGON_BOAT  # before the command runs
    updated, changed = ledger.updated(lunar, NOW)
    assert changed == ["e"] and updated.entries["e"].kept_uid == DRAGON_BOAT.isoformat()
    assert updated.stale(lunar) == []
    # Later edits keep the day first recorded, whatever the start becomes.
    later = lunar_catalog(LunarDate(2028, 5, 5).to_solar_date())
    assert updated.kept_uid_day(later.events["e"], later) == DRAGON_BOAT
    assert updated.updated(later, NOW)[0].entries["e"].kept_uid == DRAGON_BOAT.isoformat()


def test_an_event_lunar_from_the_start_keeps_no_uid():
    lunar = lunar_catalog()
    ledger = recorded(lunar)
    assert ledger.entries["e"].kept_uid == "none"
    assert ledger.kept_uid_day(lunar.events["e"], lunar) is None
    assert Ledger().kept_uid_day(lunar.events["e"], lunar) is None
    assert ledger.stale(lunar) == []


def test_a_gregorian_event_has_no_kept_uid_day_and_keeps_what_was_recorded():
    cat = catalog()
    ledger = Ledger({"e": Revision(1, STAMP, *revisions.fingerprints(cat.events["e"], cat), "2027-06-11")})
    assert ledger.kept_uid_day(cat.events["e"], cat) is None
    assert ledger.stale(cat) == []
    assert ledger.updated(cat, NOW)[1] == []


def test_a_kept_uid_out_of_date_makes_the_ledger_stale_and_is_recorded():
    lunar = lunar_catalog()
    schedule, content = revisions.fingerprints(lunar.events["e"], lunar)
    ledger = Ledger({"e": Revision(4, STAMP, schedule, content, "")})
    assert ledger.stale(lunar) == ["e"]
    updated, changed = ledger.updated(lunar, NOW + timedelta(days=1))
    assert changed == ["e"]
    assert updated.entries["e"] == Revision(4, STAMP + timedelta(days=1), schedule, content, DRAGON_BOAT.isoformat())


def test_lunar_dates_are_part_of_the_schedule():
    lunar = lunar_catalog()
    fast = revisions.schedule_fingerprint(lunar.events["e"], lunar)
    assert fast == revisions.fingerprints(lunar.events["e"], lunar)[0]
    fewer = catalog_of(event_toml(start=DRAGON_BOAT.isoformat(), end=DRAGON_BOAT.isoformat(),
                                  repeat=LUNAR.replace("COUNT=3", "COUNT=2")))
    assert revisions.schedule_fingerprint(fewer.events["e"], fewer) != fast


def test_an_empty_ledger_round_trips(tmp_path):
    path = tmp_path / "events.revisions.toml"
    revisions.write(Ledger(), path)
    assert path.read_text(encoding="utf-8") == revisions.HEADER
    assert revisions.read(path).entries == {}
