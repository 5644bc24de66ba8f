"""Occurrences in a window, cross-checked against recurring-ical-events."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events

from canal.recurrence import occurrences, upcoming


def as_icalendar(events, tz) -> icalendar.Calendar:
    """The same events written by hand as iCalendar, independent of the site's feed code."""
    cal = icalendar.Calendar()
    for event in events:
        vevent = icalendar.Event()
        vevent.add("UID", event.id)
        vevent.add("SUMMARY", event.title.zh)
        vevent.add("DTSTART", event.start)
        vevent.add("DTEND", event.end + timedelta(days=1) if event.all_day else event.end)
        if event.repeat:
            rule = event.repeat.replace("UNTIL=20270531", "UNTIL=20270531T155959Z")
            vevent.add("RRULE", icalendar.vRecur.from_ical(rule))
        for day in event.except_dates:
            vevent.add("EXDATE", datetime.combine(day, event.start.timetz()) if not event.all_day else day)
        if event.cancelled:
            vevent.add("STATUS", "CANCELLED")
        cal.add_component(vevent)
    return cal


def reference(catalog, ids, start, end):
    cal = as_icalendar([catalog.events[i] for i in ids], catalog.tz)
    found = []
    for v in recurring_ical_events.of(cal).between(start, end):
        s, e = v["DTSTART"].dt, v["DTEND"].dt
        if not isinstance(s, datetime):
            e = e - timedelta(days=1)  # back to the site's inclusive last day
        found.append((str(v["UID"]), s, e))
    return sorted(found, key=lambda x: (x[1].isoformat(), x[0]))


def ours(catalog, ids, start, end):
    found = occurrences(catalog, start, end, [catalog.events[i] for i in ids])
    return sorted(((o.event.id, o.start, o.end) for o in found), key=lambda x: (x[1].isoformat(), x[0]))


@pytest.mark.parametrize("ids, start, end", [
    # Monthly on the 2nd Saturday, COUNT=12, with an except date in February.
    (["farm-food-festival"], date(2026, 12, 1), date(2027, 12, 31)),
    # An all-day festival over three days, and a window that starts in its middle.
    (["kaicao-festival"], date(2027, 4, 1), date(2027, 5, 1)),
    (["kaicao-festival"], date(2027, 4, 18), date(2027, 4, 19)),
    # Weekly on weekends with UNTIL, cut by the window on both sides.
    (["boat-trip"], date(2027, 5, 8), date(2027, 5, 23)),
    # An evening event that runs past midnight into the window.
    (["night-lecture"], datetime(2027, 1, 1, 0, 30), date(2027, 1, 2)),
    (["night-lecture", "farm-food-festival", "cancelled-fair"], date(2026, 12, 1), date(2027, 3, 1)),
])
def test_expansion_matches_recurring_ical_events(catalog, ids, start, end):
    tz = catalog.tz
    window = [datetime.combine(v, datetime.min.time(), tz) if type(v) is date else v.replace(tzinfo=tz)
              for v in (start, end)]
    expected = reference(catalog, ids, *window)
    assert expected, "the reference found nothing: the case would prove nothing"
    assert ours(catalog, ids, *window) == expected


def test_monthly_rule_skips_the_except_date_and_stops_after_count(catalog):
    found = occurrences(catalog, date(2026, 1, 1), date(2028, 1, 1), [catalog.events["farm-food-festival"]])
    days = [o.day for o in found]
    assert len(days) == 11  # COUNT=12 minus the Spring Festival Saturday
    assert date(2027, 2, 13) not in days
    assert all(d.weekday() == 5 and 8 <= d.day <= 14 for d in days)
    assert days[0] == date(2026, 12, 12) and days[-1] == date(2027, 11, 13)


def test_results_are_sorted_with_all_day_first_and_half_open(catalog):
    found = occurrences(catalog, date(2026, 12, 1), date(2027, 6, 1))
    spans = [o.span(catalog.tz)[0] for o in found]
    assert spans == sorted(spans)
    # [start, end): an occurrence starting exactly at `end` is not included.
    at_end = occurrences(catalog, date(2026, 12, 1), datetime(2026, 12, 12, 10, tzinfo=catalog.tz))
    assert "farm-food-festival" not in {o.event.id for o in at_end}


def test_cancelled_events_are_kept_and_flagged(catalog):
    found = occurrences(catalog, date(2027, 1, 1), date(2027, 1, 2))
    fair = [o for o in found if o.event.id == "cancelled-fair"]
    assert len(fair) == 1 and fair[0].cancelled


def test_upcoming_includes_what_is_still_running_at_now(catalog):
    now = datetime(2027, 4, 18, 15, 0, tzinfo=catalog.tz)
    ids = [o.event.id for o in upcoming(catalog, now, days=1)]
    assert ids == ["kaicao-festival"]
    later = datetime(2027, 1, 1, 0, 30, tzinfo=catalog.tz)
    assert upcoming(catalog, later, days=0)[0].event.id == "night-lecture"


def test_multi_day_occurrence_lists_every_day_it_touches(catalog):
    festival = occurrences(catalog, date(2027, 4, 1), date(2027, 5, 1), [catalog.events["kaicao-festival"]])[0]
    assert festival.days() == [date(2027, 4, 17), date(2027, 4, 18), date(2027, 4, 19)]
    lecture = occurrences(catalog, date(2026, 12, 31), date(2027, 1, 2), [catalog.events["night-lecture"]])[0]
    assert lecture.days() == [date(2026, 12, 31), date(2027, 1, 1)]
    assert lecture.key == "night-lecture@2026-12-31"


@pytest.mark.parametrize("rule", ["FREQ=WEEKLY;BYDAY=2SA", "FREQ=DAILY;BYDAY=-1FR", "FREQ=WEEKLY;BYDAY=SA,+1SU"])
def test_a_numbered_weekday_needs_a_monthly_or_yearly_rule(catalog, rule):
    """RFC 5545 forbids it; clients would repeat every week and the editor meant "2nd Saturday"."""
    from canal.recurrence import RuleError, parse_rule
    with pytest.raises(RuleError, match="needs FREQ=MONTHLY or FREQ=YEARLY"):
        parse_rule(rule, date(2027, 1, 9), catalog.tz)
    assert parse_rule("FREQ=MONTHLY;BYDAY=2SA", date(2027, 1, 9), catalog.tz)
