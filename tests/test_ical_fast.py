"""The fast VEVENT writer gives exactly icalendar's bytes, for every event we have."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from canal import ical
from canal.loader import load, parse
from canal.revisions import Ledger, Revision
from datetime import datetime, timezone

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
    revision = Revision(7, datetime(2026, 11, 27, 8, 30, tzinfo=timezone.utc))
    for event in catalog.events.values():
        for lang in ("zh", "en"):
            reference = ical.vevent_for(event, catalog, lang, revision).to_ical()
            assert ical.vevent_bytes(event, catalog, lang, revision) == reference, (path.name, event.id, lang)


def test_fast_writer_on_a_synthetic_catalog():
    catalog = parse(catalog_toml(300))
    ledger = Ledger()
    for event in catalog.events.values():
        revision = ledger.revision_of(event, catalog)
        assert ical.vevent_bytes(event, catalog, "en", revision) == \
            ical.vevent_for(event, catalog, "en", revision).to_ical()


def test_assembled_feed_equals_icalendar_calendar(catalog):
    ledger = Ledger()
    for kind, id in [("all", None), ("sites", "xianghe-wharf"), ("categories", "food")]:
        selection = ical.select(catalog, kind, id)
        feed = ical.build_feed(catalog, "zh", selection, ledger)
        vevents = [ical.vevent_for(e, catalog, "zh", ledger.revision_of(e, catalog)) for e in selection.events]
        whole = ical.calendar(catalog, "zh", vevents, ical.calendar_name(catalog, selection, "zh"),
                              catalog.meta.description.get("zh"))
        assert feed.body == whole.to_ical()


def test_folding_matches_icalendar_on_random_lines():
    import random
    from icalendar.parser.string import _foldline as reference  # icalendar's own folding
    rng = random.Random(20261127)
    alphabet = "ab\\^;,: " + "运河码头" + "é" + "😀"
    for _ in range(5000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 400)))
        assert ical._line("X", line) == reference("X:" + line).encode() + b"\r\n", line
