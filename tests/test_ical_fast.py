"""The fast VEVENT writer gives exactly icalendar's bytes, for every event we have."""
from __future__ import annotations

import sys
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest

from canal import ical
from canal.loader import load, parse
from canal.revisions import Ledger, Revision

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from synth import catalog_toml  # noqa: E402

# Every catalog we ship or test with, but the ledgers and the one broken on purpose.
CATALOGS = [ROOT / "events.toml"] + sorted(
    p for p in (ROOT / "tests" / "data").glob("*.toml")
    if not p.name.endswith(".revisions.toml") and p.name != "broken.toml")


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.name)
def test_fast_writer_matches_icalendar_byte_for_byte(path):
    catalog = load(path)
    revision = Revision(7, datetime(2026, 11, 27, 8, 30, tzinfo=UTC))
    for event in catalog.events.values():
        for lang in ("zh", "en"):
            reference = ical.serialize(ical.vevent_for(event, catalog, lang, revision))
            assert ical.vevent_bytes(event, catalog, lang, revision) == reference, (path.name, event.id, lang)


def test_fast_writer_on_a_synthetic_catalog():
    catalog = parse(catalog_toml(300))
    ledger = Ledger()
    for event in catalog.events.values():
        revision = ledger.revision_of(event, catalog)
        assert ical.vevent_bytes(event, catalog, "en", revision) == \
            ical.serialize(ical.vevent_for(event, catalog, "en", revision))


def test_assembled_feed_equals_icalendar_calendar(catalog):
    ledger = Ledger()
    for kind, id in [("all", None), ("sites", "xianghe-wharf"), ("categories", "food")]:
        selection = ical.select(catalog, kind, id)
        feed = ical.build_feed(catalog, "zh", selection, ledger)
        vevents = [ical.vevent_for(e, catalog, "zh", ledger.revision_of(e, catalog)) for e in selection.events]
        whole = ical.calendar(catalog, "zh", vevents, ical.calendar_name(catalog, selection, "zh"),
                              catalog.meta.description.get("zh"))
        assert feed.body == ical.serialize(whole)


def random_lines(alphabet: str, count: int = 5000):
    import random
    rng = random.Random(20261127)
    for _ in range(count):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 400)))


def test_folding_matches_icalendar_where_icalendar_is_right():
    from icalendar.parser.string import _foldline as reference  # icalendar's own folding
    # Single backslashes only: after a complete "\\\\" icalendar splits the escape (below).
    for line in random_lines("ab\\^;,: " + "运河码头" + "é" + "😀"):
        if "\\\\" not in line:
            assert ical._line("X", line) == reference("X:" + line).encode() + b"\r\n", line


def test_folding_never_splits_a_character_or_an_escape():
    for text in random_lines("ab;,: " + "运河码头" + "é" + "😀" + "\\" * 4):
        value = ical._text(text)
        folded = ical._line("X", value)
        physical = folded[:-2].split(b"\r\n ")
        assert b"".join(physical) == f"X:{value}".encode()
        for piece in physical:
            assert len(piece) <= 74
            piece.decode("utf-8")  # a split character would not decode
        for before, after in pairwise(physical):
            run = len(before) - len(before.rstrip(b"\\"))
            assert run % 2 == 0, (before, after)  # an odd run's last backslash escapes `after`[0]


def test_a_break_after_an_escaped_backslash_keeps_the_next_escape_whole():
    from icalendar.parser.string import _foldline as reference
    # "SUMMARY:" and 64 letters make 72 octets; the escaped backslash (2 octets) ends the
    # first 74, and the escaped comma after it must start the next line whole.
    value = ical._text("x" * 64 + "\\, bring scissors")
    first, second = ical._line("SUMMARY", value)[:-2].split(b"\r\n ")[:2]
    assert first.endswith(b"x\\\\") and second.startswith(b"\\, bring")
    # icalendar 7.3.2 breaks between the two backslashes instead (icalendar#1501's symptom).
    assert reference("SUMMARY:" + value).split("\r\n ")[0].endswith("x\\")


def test_a_backslash_and_capital_n_in_content_stay_two_characters():
    """Content is plain text: icalendar's vText reads a literal backslash-N as a line break."""
    import icalendar
    text = (ROOT / "tests" / "data" / "minimal.toml").read_text(encoding="utf-8")
    catalog = parse(text.replace('title = { zh = "运河夜话" }', 'title = { zh = "C:\\\\Notes 和 \\\\N 字样" }'))
    body = ical.build_feed(catalog, "zh", ical.select(catalog, "events", "night-lecture"), Ledger()).body
    assert b"SUMMARY:C:\\\\Notes \xe5\x92\x8c \\\\N" in body
    [vevent] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "C:\\Notes 和 \\N 字样"
