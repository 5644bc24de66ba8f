"""The parsed rule: read once by the loader, read by recurrence, the words and the feed."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest

from canal import ical, rules
from canal.loader import load, parse
from canal.lunar import LunarRule
from canal.recurrence import occurrences
from canal.rule import CalendarRule, GregorianRule, RuleError
from canal.rule import parse as parse_rule

ROOT = Path(__file__).resolve().parent.parent

HEAD = '''[meta]
name = { zh = "北运河", en = "North Canal" }
timezone = "Asia/Shanghai"
base_url = "https://canal.test"

[areas.tongzhou]
name = { zh = "通州" }

[categories.walk]
name = { zh = "徒步", en = "Walks" }

[sites.wharf]
name = { zh = "码头" }
area = "tongzhou"
kind = { zh = "码头" }
lat = 39.88
lon = 116.70
precision_m = 1000
description = { zh = "码头。" }

[events.sunrise]
title = { zh = "日出健走", en = "Sunrise walk" }
site = "wharf"
categories = ["walk"]
'''


def catalog_with(body: str):
    return parse(HEAD + body, "events.toml")


def test_a_utc_until_is_named_by_its_local_day_as_the_site_lists_it():
    """UNTIL=20270627T230000Z is 07:00 on 28 June in Beijing: the 06:00 walk that day is the
    last one listed, so the words say 28 June, not the UTC date (27 June)."""
    catalog = catalog_with('start = 2027-06-20T06:00:00\nend = 2027-06-20T07:00:00\n'
                           'repeat = "FREQ=DAILY;UNTIL=20270627T230000Z"\n')
    event = catalog.events["sunrise"]
    listed = occurrences(catalog, date(2027, 6, 1), date(2027, 8, 1), [event])
    assert listed[-1].day == date(2027, 6, 28)
    assert rules.describe(event, "zh") == "每天，至2027年6月28日"
    assert rules.describe(event, "en") == "every day, until 28 June 2027"


def test_a_local_until_is_its_own_day():
    catalog = catalog_with('start = 2027-06-20T06:00:00\nend = 2027-06-20T07:00:00\n'
                           'repeat = "FREQ=DAILY;UNTIL=20270627"\n')
    event = catalog.events["sunrise"]
    assert occurrences(catalog, date(2027, 6, 1), date(2027, 8, 1), [event])[-1].day == date(2027, 6, 27)
    assert rules.describe(event, "en") == "every day, until 27 June 2027"


def test_the_loader_keeps_the_parsed_rule_on_the_event():
    catalog = load(ROOT / "events.toml")
    event = catalog.events["farm-food-festival"]
    rule = event.rule
    assert isinstance(rule, GregorianRule)
    assert (rule.calendar, rule.text, rule.freq, rule.byday, rule.count) == (
        "GREGORIAN", "FREQ=MONTHLY;BYDAY=2SA;COUNT=12", "MONTHLY", ((2, "SA"),), 12)
    assert rule.parts == (("FREQ", "MONTHLY"), ("BYDAY", "2SA"), ("COUNT", "12"))
    lunar_events = [e for e in catalog.events.values() if isinstance(e.rule, LunarRule)]
    assert lunar_events and all(e.rule.calendar == "CHINESE" for e in lunar_events)
    assert all(e.rule is None for e in catalog.events.values() if e.repeat is None)


def test_both_calendars_answer_the_same_questions():
    catalog = load(ROOT / "events.toml")
    for event in catalog.events.values():
        rule: CalendarRule | None = event.rule
        if rule is None:
            continue
        first = event.first_day
        begin = datetime.combine(first, time())
        starts = rule.local_starts(begin, datetime(2100, 1, 1))
        # The first date is the event's start, and every start is a date of the rule.
        assert starts[0] == event.when.local_start(), event.id
        assert all(rule.has_date(s.date()) for s in starts[:5]), event.id
        assert rule.count is None or len(starts) == rule.count, event.id
        assert rule.until_day is None or starts[-1].date() <= rule.until_day, event.id


def test_a_copy_with_another_repeat_gets_that_rule():
    catalog = load(ROOT / "events.toml")
    base = catalog.events["farm-food-festival"]
    copy = replace(base, repeat="FREQ=MONTHLY;BYDAY=2SA;UNTIL=20270612")
    assert copy.rule is not None and copy.rule.text == copy.repeat and copy.rule.count is None
    assert copy.rule.until_day == date(2027, 6, 12)
    assert replace(base, repeat=None).rule is None and not replace(base, repeat=None).recurring
    # A text no parser reads leaves no rule (only the loader reports rule mistakes).
    assert replace(base, repeat="nonsense").rule is None


def test_the_feed_writes_the_parsed_rule_with_until_as_a_count():
    catalog = catalog_with('start = 2027-06-20T06:00:00\nend = 2027-06-20T07:00:00\n'
                           'repeat = "freq=daily ; until=20270627T230000Z"\n')
    assert ical.rrule_text(catalog.events["sunrise"], catalog) == "FREQ=DAILY;COUNT=9"


def test_the_parser_refuses_with_the_loaders_words():
    tz = load(ROOT / "events.toml").tz
    with pytest.raises(RuleError, match="start 2027-06-21 is not a date of the rule"):
        parse_rule("FREQ=WEEKLY;BYDAY=SU", datetime(2027, 6, 21, 6, tzinfo=tz), tz)
    # Not strict (a copy made by code): the start need not be one of the rule's dates.
    assert parse_rule("FREQ=WEEKLY;BYDAY=SU", datetime(2027, 6, 21, 6, tzinfo=tz), tz, strict=False).byday


def test_dateutils_own_weekday_form_is_refused_with_the_rfc_form():
    """dateutil reads SA(+2) as the 2nd Saturday; no calendar app does, and the feed would
    carry it as written: the editor is told the RFC 5545 form, at the line of the rule."""
    from canal.loader import LoadError
    with pytest.raises(LoadError) as caught:
        catalog_with('start = 2027-01-09T10:00:00\nend = 2027-01-09T12:00:00\n'
                     'repeat = "FREQ=MONTHLY;BYDAY=SA(+2)"\n')
    assert [str(p) for p in caught.value.problems] == [
        "events.toml:27: events.sunrise.repeat: BYDAY=SA(+2): write each day as MO, TU, WE, TH, "
        "FR, SA or SU, with a number before it for one of the month (2SA, -1SU) "
        "(got 'FREQ=MONTHLY;BYDAY=SA(+2)')"]
