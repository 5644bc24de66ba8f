"""TimeSpan: the one place where all-day (last day inclusive) and timed (end exclusive) meet."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from canal.loader import load
from canal.span import TimeSpan, as_instant, end_of, midnight

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parent.parent


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


FESTIVAL = TimeSpan(date(2027, 12, 10), date(2027, 12, 12))  # three days, the 12th included
ONE_DAY = TimeSpan(date(2027, 12, 10), date(2027, 12, 10))
CONCERT = TimeSpan(at(2027, 12, 10, 19, 30), at(2027, 12, 10, 21, 0))
NIGHT_WALK = TimeSpan(at(2027, 12, 10, 22, 0), at(2027, 12, 11, 1, 0))
TO_MIDNIGHT = TimeSpan(at(2027, 12, 10, 20, 0), at(2027, 12, 11, 0, 0))


def test_all_day_ends_on_its_last_day_and_dtend_is_the_day_after():
    assert FESTIVAL.all_day and not CONCERT.all_day
    assert FESTIVAL.days() == [date(2027, 12, 10), date(2027, 12, 11), date(2027, 12, 12)]
    assert FESTIVAL.exclusive_end == date(2027, 12, 13)
    assert FESTIVAL.duration == timedelta(days=3) and ONE_DAY.duration == timedelta(days=1)
    assert FESTIVAL.interval(SHANGHAI) == (at(2027, 12, 10), at(2027, 12, 13))
    assert FESTIVAL.clock is None and FESTIVAL.start_time is None


def test_timed_ends_are_exclusive():
    assert CONCERT.exclusive_end == CONCERT.end and CONCERT.duration == timedelta(minutes=90)
    assert CONCERT.days() == [date(2027, 12, 10)]
    assert NIGHT_WALK.days() == [date(2027, 12, 10), date(2027, 12, 11)]
    # Ending exactly at midnight does not touch the next day.
    assert TO_MIDNIGHT.days() == [date(2027, 12, 10)] and TO_MIDNIGHT.last_day == date(2027, 12, 10)
    assert CONCERT.clock == (CONCERT.start, CONCERT.end) and CONCERT.start_time == time(19, 30)


def test_contains_is_half_open():
    assert CONCERT.contains(at(2027, 12, 10, 19, 30), SHANGHAI)
    assert CONCERT.contains(at(2027, 12, 10, 20, 59, 59), SHANGHAI)
    assert not CONCERT.contains(at(2027, 12, 10, 21, 0), SHANGHAI)
    assert not CONCERT.contains(at(2027, 12, 10, 19, 29, 59), SHANGHAI)
    assert FESTIVAL.contains(at(2027, 12, 12, 23, 59), SHANGHAI)
    assert not FESTIVAL.contains(at(2027, 12, 13), SHANGHAI)


def test_overlaps_excludes_touching_windows():
    lo, hi = at(2027, 12, 10, 21, 0), at(2027, 12, 10, 23, 0)
    assert not CONCERT.overlaps(lo, hi, SHANGHAI)  # ends exactly at the window's start
    assert not CONCERT.overlaps(at(2027, 12, 10, 18), at(2027, 12, 10, 19, 30), SHANGHAI)
    assert CONCERT.overlaps(at(2027, 12, 10, 20, 59), hi, SHANGHAI)  # under way at lo
    assert FESTIVAL.overlaps(at(2027, 12, 12, 23), at(2027, 12, 14), SHANGHAI)
    assert not FESTIVAL.overlaps(at(2027, 12, 13), at(2027, 12, 14), SHANGHAI)


def test_moving_keeps_the_length_and_the_time_of_day():
    assert FESTIVAL.on(date(2028, 1, 7), SHANGHAI) == TimeSpan(date(2028, 1, 7), date(2028, 1, 9))
    assert NIGHT_WALK.on(date(2028, 1, 7), SHANGHAI) == TimeSpan(at(2028, 1, 7, 22), at(2028, 1, 8, 1))
    assert CONCERT.local_start() == datetime(2027, 12, 10, 19, 30)
    assert FESTIVAL.local_start() == datetime(2027, 12, 10)


def test_window_helpers():
    assert midnight(date(2027, 12, 10), SHANGHAI) == at(2027, 12, 10)
    assert end_of(date(2027, 12, 10), SHANGHAI) == at(2027, 12, 11)
    assert as_instant(date(2027, 12, 10), SHANGHAI) == at(2027, 12, 10)
    assert as_instant(datetime(2027, 12, 10, 9), SHANGHAI) == at(2027, 12, 10, 9)
    assert as_instant(datetime(2027, 12, 10, 1, tzinfo=ZoneInfo("UTC")), SHANGHAI) == at(2027, 12, 10, 9)


def test_every_event_and_occurrence_answers_through_its_span():
    catalog = load(ROOT / "events.toml")
    for event in catalog.events.values():
        when = event.when
        assert (when.start, when.end, when.all_day) == (event.start, event.end, event.all_day)
        assert event.duration == when.duration and event.first_day == when.first_day
        begin, end = when.interval(catalog.tz)
        assert end - begin == when.duration or not event.all_day, event.id  # no DST in Shanghai
        assert when.days()[0] == event.first_day and when.days()[-1] == when.last_day
