"""The edges of time windows: half-open [start, end), occurrences already under way, time
zones of the window, except dates, sort order, and the UNTIL forms.

Expectations are worked out by hand from the dates (2027-01-09 is a Saturday).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from borax.calendars.lunardate import LunarDate

from canal.recurrence import (
    RuleError,
    event_occurrences,
    first_day,
    is_rule_date,
    occurrence_on,
    occurrences,
    parse_rule,
    parse_until,
    sort_key,
    upcoming,
)
from edges import catalog_of, event_toml

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 0, minute: int = 0, second: int = 0, month: int = 1) -> datetime:
    return datetime(2027, month, day, hour, minute, second, tzinfo=TZ)


@pytest.fixture(scope="module")
def catalog():
    return catalog_of(
        event_toml("once", start="2027-01-09T09:00:00", end="2027-01-09T10:00:00"),
        event_toml("weekly", start="2027-01-09T09:00:00", end="2027-01-09T17:00:00",
                   repeat='"FREQ=WEEKLY;COUNT=4"', **{"except": "[2027-01-16]"}),
        event_toml("day", start="2027-01-09", end="2027-01-09"),
        event_toml("weekend", start="2027-01-08", end="2027-01-10", repeat='"FREQ=WEEKLY;COUNT=3"'),
        event_toml("night", start="2027-01-09T22:00:00", end="2027-01-10T02:00:00", repeat='"FREQ=DAILY;COUNT=2"'),
        event_toml("cancelled", start="2027-01-09", status='"cancelled"'),
    )


def ids(found) -> list[tuple[str, object]]:
    return [(o.event.id, o.start) for o in found]


def only(catalog, event_id, start, end):
    return ids(occurrences(catalog, start, end, [catalog.events[event_id]]))


def test_an_occurrence_ending_at_the_window_start_is_not_in_it(catalog):
    assert only(catalog, "once", at(9, 10), at(10)) == []
    assert only(catalog, "once", at(9, 9, 59, 59), at(10)) == [("once", at(9, 9))]


def test_an_occurrence_starting_at_the_window_end_is_not_in_it(catalog):
    assert only(catalog, "once", at(8), at(9, 9)) == []
    assert only(catalog, "once", at(8), at(9, 9, 0, 1)) == [("once", at(9, 9))]
    assert only(catalog, "once", at(9, 9), at(9, 9, 0, 1)) == [("once", at(9, 9))]


def test_an_all_day_event_ends_at_midnight_after_its_last_day(catalog):
    assert only(catalog, "day", date(2027, 1, 10), date(2027, 1, 11)) == []
    assert only(catalog, "day", at(9, 23, 59, 59), date(2027, 1, 11)) == [("day", date(2027, 1, 9))]
    assert only(catalog, "day", date(2027, 1, 8), date(2027, 1, 9)) == []
    assert only(catalog, "day", date(2027, 1, 8), at(9, 0, 0, 1)) == [("day", date(2027, 1, 9))]


def test_a_recurring_occurrence_already_under_way_is_listed(catalog):
    weekly = [catalog.events["weekly"]]
    assert ids(upcoming(catalog, at(9, 12), events=weekly))[:1] == [("weekly", at(9, 9))]
    assert ids(upcoming(catalog, at(9, 16, 59, 59), events=weekly))[:1] == [("weekly", at(9, 9))]
    # At 17:00 it has finished; the next is two weeks on (the 16th is skipped).
    assert ids(upcoming(catalog, at(9, 17), events=weekly))[:1] == [("weekly", at(23, 9))]


def test_a_recurring_all_day_weekend_under_way_on_sunday_is_listed(catalog):
    assert only(catalog, "weekend", date(2027, 1, 10), date(2027, 1, 11)) == [("weekend", date(2027, 1, 8))]
    assert only(catalog, "weekend", at(10, 23, 59, 59), date(2027, 1, 12)) == [("weekend", date(2027, 1, 8))]
    assert only(catalog, "weekend", date(2027, 1, 11), date(2027, 1, 15)) == []
    [found] = occurrences(catalog, date(2027, 1, 10), date(2027, 1, 11), [catalog.events["weekend"]])
    assert (found.start, found.end) == (date(2027, 1, 8), date(2027, 1, 10))


def test_a_night_running_past_midnight_is_found_the_morning_after(catalog):
    assert only(catalog, "night", at(10, 1), at(10, 2)) == [("night", at(9, 22))]
    assert only(catalog, "night", at(10, 2), at(10, 22)) == []
    assert only(catalog, "night", at(11, 1), at(12)) == [("night", at(10, 22))]
    assert only(catalog, "night", at(11, 2), at(20)) == []  # COUNT=2


def test_except_dates_are_skipped_and_the_count_includes_them(catalog):
    found = only(catalog, "weekly", date(2027, 1, 1), date(2027, 3, 1))
    assert found == [("weekly", at(9, 9)), ("weekly", at(23, 9)), ("weekly", at(30, 9))]


def test_a_window_in_another_zone_is_the_same_instant(catalog):
    utc = UTC
    # 10:00 in Shanghai is 02:00 UTC: an occurrence ending then is not in a window starting then.
    assert only(catalog, "once", datetime(2027, 1, 9, 2, tzinfo=utc), datetime(2027, 1, 10, tzinfo=utc)) == []
    assert only(catalog, "once", datetime(2027, 1, 9, 1, 59, tzinfo=utc), datetime(2027, 1, 10, tzinfo=utc)) == \
        [("once", at(9, 9))]
    # A naive window is local time.
    assert only(catalog, "once", datetime(2027, 1, 9, 10), datetime(2027, 1, 10)) == []
    assert only(catalog, "once", datetime(2027, 1, 9, 9, 30), datetime(2027, 1, 10)) == [("once", at(9, 9))]


def test_all_day_first_then_time_then_id_and_cancelled_kept(catalog):
    found = occurrences(catalog, date(2027, 1, 9), date(2027, 1, 10))
    assert [o.event.id for o in found] == ["weekend", "cancelled", "day", "once", "weekly", "night"]
    assert [o.event.id for o in found if o.cancelled] == ["cancelled"]
    keys = [sort_key(o, TZ) for o in found]
    assert keys == sorted(keys)
    assert sort_key(found[2], TZ) < sort_key(found[3], TZ)  # all-day "day" before timed "once" at 09:00


def test_upcoming_looks_the_given_number_of_days_ahead(catalog):
    weekly = [catalog.events["weekly"]]
    assert ids(upcoming(catalog, at(1, 9, 0, 1), days=8, events=weekly)) == [("weekly", at(9, 9))]
    assert ids(upcoming(catalog, at(1, 9), days=8, events=weekly)) == []  # the window ends as it starts
    assert len(upcoming(catalog, at(1), events=weekly)) == 3


def test_occurrence_on_a_day_keeps_the_time_and_length(catalog):
    o = occurrence_on(catalog.events["night"], date(2027, 1, 10), TZ)
    assert (o.start, o.end) == (at(10, 22), at(11, 2))
    o = occurrence_on(catalog.events["weekend"], date(2027, 1, 15), TZ)
    assert (o.start, o.end) == (date(2027, 1, 15), date(2027, 1, 17))


def test_event_occurrences_of_one_event_in_time_order(catalog):
    found = list(event_occurrences(catalog.events["weekly"], date(2027, 1, 1), date(2027, 2, 1), TZ))
    assert [o.start for o in found] == [at(9, 9), at(23, 9), at(30, 9)]


def test_first_day_and_rule_dates(catalog):
    assert first_day(catalog.events["night"]) == date(2027, 1, 9)
    assert first_day(catalog.events["weekend"]) == date(2027, 1, 8)
    rule = parse_rule("FREQ=WEEKLY;COUNT=4", datetime(2027, 1, 9, 9, tzinfo=TZ), TZ)
    assert [is_rule_date(rule, date(2027, 1, d)) for d in (8, 9, 10, 16, 30, 31)] == [
        False, True, False, True, True, False]
    assert not is_rule_date(rule, date(2027, 2, 6))  # the fifth week: past COUNT


@pytest.mark.parametrize("value, local, bare", [
    ("20270131", datetime(2027, 1, 31), True),
    ("20270131T093000", datetime(2027, 1, 31, 9, 30), False),
    ("20270131T153000Z", datetime(2027, 1, 31, 23, 30), False),
    ("20270131T163000Z", datetime(2027, 2, 1, 0, 30), False),
])
def test_until_forms(value, local, bare):
    assert parse_until(value, TZ) == (local, bare)


@pytest.mark.parametrize("value", ["2027-01-31", "20270132", "20270131T250000", "20270131Z", "20270131T0930",
                                   "x20270131", "20270131T093000+0800"])
def test_until_mistakes(value):
    with pytest.raises(RuleError) as caught:
        parse_until(value, TZ)
    assert str(caught.value) == f"UNTIL={value} is not a date: write YYYYMMDD (the last day, local time)"


def test_a_bare_until_date_includes_that_whole_day():
    catalog = catalog_of(event_toml("late", start="2027-01-09T23:00:00", end="2027-01-09T23:30:00",
                                    repeat='"FREQ=WEEKLY;UNTIL=20270116"'))
    assert only(catalog, "late", date(2027, 1, 1), date(2027, 2, 1)) == [("late", at(9, 23)), ("late", at(16, 23))]
    catalog = catalog_of(event_toml("late", start="2027-01-09T23:00:00", end="2027-01-09T23:30:00",
                                    repeat='"FREQ=WEEKLY;UNTIL=20270116T225959"'))
    assert only(catalog, "late", date(2027, 1, 1), date(2027, 2, 1)) == [("late", at(9, 23))]


def test_lunar_occurrences_in_a_window_and_under_way():
    new_year = LunarDate(2027, 1, 1).to_solar_date()  # 2027-02-06
    catalog = catalog_of(event_toml("spring", start=new_year.isoformat(),
                                    end=(new_year + timedelta(days=2)).isoformat(),
                                    repeat='"RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1;COUNT=3"'))
    second = LunarDate(2028, 1, 1).to_solar_date()
    assert only(catalog, "spring", date(2027, 1, 1), date(2029, 1, 1)) == [
        ("spring", new_year), ("spring", second)]
    # On its third day it is still on; the day after, it is not.
    assert only(catalog, "spring", new_year + timedelta(days=2), new_year + timedelta(days=3)) == [("spring", new_year)]
    assert only(catalog, "spring", new_year + timedelta(days=3), new_year + timedelta(days=4)) == []
    # A window ending at its first day's midnight does not hold it; one a second later does.
    assert only(catalog, "spring", date(2027, 1, 1), new_year) == []
    assert only(catalog, "spring", date(2027, 1, 1),
                datetime.combine(new_year, datetime.min.time(), TZ) + timedelta(seconds=1)) == [("spring", new_year)]
    rule = parse_rule(catalog.events["spring"].repeat, new_year, TZ)
    assert is_rule_date(rule, second, new_year) and not is_rule_date(rule, second + timedelta(days=1), new_year)


def test_a_timed_lunar_event_keeps_its_time():
    day = LunarDate(2027, 5, 5).to_solar_date()
    catalog = catalog_of(event_toml("boat", start=f"{day}T09:00:00", end=f"{day}T11:00:00",
                                    repeat='"RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT=2"'))
    start = datetime.combine(day, datetime.min.time(), TZ)
    assert only(catalog, "boat", start + timedelta(hours=10), start + timedelta(hours=12)) == [
        ("boat", start + timedelta(hours=9))]
    assert only(catalog, "boat", start + timedelta(hours=11), start + timedelta(hours=12)) == []
    assert only(catalog, "boat", start, start + timedelta(hours=9)) == []


def test_an_all_day_event_comes_before_a_timed_one_starting_at_midnight():
    catalog = catalog_of(event_toml("z-day", start="2027-01-09"),
                         event_toml("a-midnight", start="2027-01-09T00:00:00", end="2027-01-09T01:00:00"))
    assert [o.event.id for o in occurrences(catalog, date(2027, 1, 9), date(2027, 1, 10))] == ["z-day", "a-midnight"]


def test_upcoming_looks_a_year_and_a_day_ahead_by_default():
    catalog = catalog_of(event_toml("last-in", start="2028-01-09T11:59:59", end="2028-01-09T12:30:00"),
                         event_toml("first-out", start="2028-01-09T12:00:00", end="2028-01-09T12:30:00"))
    assert [o.event.id for o in upcoming(catalog, at(8, 12))] == ["last-in"]  # 2027-01-08 + 366 days
