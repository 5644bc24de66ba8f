"""The feeds' size budget (issue 19): five years of content, the shipped catalog's mix
repeated forward (bench/synth.py `years_forward`), every feed under 512 KB and 1,000
VEVENTs on a day in the fifth year, as the site serves them (with the feed window)."""
from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar

from canal import ical, revisions
from canal.loader import load
from ical_support import every_selection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from synth import years_forward  # noqa: E402

MAX_BYTES = 512 * 1024
MAX_VEVENTS = 1000
FIFTH_YEAR = date(2031, 6, 1)  # the shipped content begins in December 2026


def test_every_feed_of_five_years_stays_under_512_kb_and_1000_vevents():
    catalog = years_forward(load(ROOT / "events.toml"), 5)
    assert max(e.start for e in catalog.events.values() if e.all_day).year >= 2031
    ledger, _ = revisions.Ledger().updated(catalog, datetime(2026, 11, 27, tzinfo=UTC))
    feeds = ical.FeedCache(catalog, ledger)
    over = {}
    for lang in ("zh", "en"):
        for kind, id in every_selection(catalog):
            body = feeds.get(lang, kind, id, FIFTH_YEAR.year, today=FIFTH_YEAR).body
            count = len(icalendar.Calendar.from_ical(body).walk("VEVENT"))
            if len(body) >= MAX_BYTES or count >= MAX_VEVENTS:
                over[(lang, kind, id)] = (len(body), count)
    assert over == {}
    # The feeds measured hold a fifth year's worth: the last year's events and what is coming.
    all_ics = icalendar.Calendar.from_ical(feeds.get("zh", "all", None, FIFTH_YEAR.year, today=FIFTH_YEAR).body)
    starts = {v.decoded("DTSTART").year if isinstance(v.decoded("DTSTART"), date) else None
              for v in all_ics.walk("VEVENT")}
    assert {2030, 2031} <= starts
    assert len(all_ics.walk("VEVENT")) >= 30
