"""When something happens: one type for the two ways events.toml gives a time.

An all-day event is a pair of dates whose `end` is its last day, *inclusive* (as editors
and wall calendars say "10–20 December"); a timed event is a pair of aware datetimes
whose `end` is *exclusive* (as clocks are: 9:00–17:00). Every "+1 day" between the two
conventions lives here, so no caller converts by hand. No Flask, no files.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

ONE_DAY = timedelta(days=1)
# A timed span ending exactly at midnight does not touch the next day.
_INSTANT = timedelta(microseconds=1)


def midnight(day: date, tz: tzinfo | None) -> datetime:
    """The first instant of local date `day` in `tz`."""
    return datetime.combine(day, time(), tz)


def end_of(day: date, tz: tzinfo | None) -> datetime:
    """The instant local date `day` ends (the next day's midnight): a last day, inclusive,
    as the end of a half-open window."""
    return midnight(day + ONE_DAY, tz)


def day_of(value: date | datetime) -> date:
    """The local date a date or datetime falls on."""
    return value.date() if isinstance(value, datetime) else value


def time_of(value: date | datetime) -> time:
    """The time of day of a datetime; midnight for a date."""
    return value.time() if isinstance(value, datetime) else time()


def as_instant(value: date | datetime, tz: tzinfo) -> datetime:
    """A window bound as an aware datetime: a date means its midnight, a naive time is local."""
    if isinstance(value, datetime):
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    return midnight(value, tz)


@dataclass(frozen=True)
class TimeSpan:
    """`start`/`end` as the editor writes them: two dates (all-day, `end` the last day,
    inclusive) or two aware datetimes (`end` exclusive). The loader checks which."""

    start: date | datetime
    end: date | datetime

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def first_day(self) -> date:
        """The local date it begins on."""
        return day_of(self.start)

    @property
    def last_day(self) -> date:
        """The last local date it touches."""
        if isinstance(self.end, datetime):
            return (self.end - _INSTANT).date()
        return self.end

    def days(self) -> list[date]:
        """Every local date it touches (a festival shows on each of its days)."""
        first = self.first_day
        return [first + timedelta(days=n) for n in range((self.last_day - first).days + 1)]

    @property
    def exclusive_end(self) -> date | datetime:
        """The end as iCalendar's DTEND and half-open intervals want it: for all-day the
        day after the last one."""
        if isinstance(self.end, datetime):
            return self.end
        return self.end + ONE_DAY

    @property
    def duration(self) -> timedelta:
        """How long it lasts (all-day: whole days, the last one included)."""
        if isinstance(self.start, datetime) and isinstance(self.end, datetime):
            return self.end - self.start
        return self.last_day - self.first_day + ONE_DAY

    @property
    def clock(self) -> tuple[datetime, datetime] | None:
        """(start, end) of a timed span, the end exclusive; None for all-day."""
        if isinstance(self.start, datetime) and isinstance(self.end, datetime):
            return self.start, self.end
        return None

    @property
    def start_time(self) -> time | None:
        """The time of day it begins at; None for all-day."""
        return self.start.time() if isinstance(self.start, datetime) else None

    def interval(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """The span as a half-open interval [begin, end) of aware datetimes (timed spans
        are already: the loader gives their times the catalog's zone)."""
        if isinstance(self.start, datetime) and isinstance(self.end, datetime):
            return self.start, self.end
        return midnight(self.start, tz), midnight(self.end + ONE_DAY, tz)

    def contains(self, instant: datetime, tz: tzinfo) -> bool:
        """Whether `instant` is inside [begin, end)."""
        begin, end = self.interval(tz)
        return begin <= instant < end

    def overlaps(self, lo: datetime, hi: datetime, tz: tzinfo) -> bool:
        """Whether it shares some time with the window [lo, hi): an occurrence ending
        exactly at `lo`, or starting exactly at `hi`, does not."""
        begin, end = self.interval(tz)
        return begin < hi and end > lo

    def local_start(self) -> datetime:
        """The start as a naive local wall-clock time (all-day: midnight), as rules expand."""
        if isinstance(self.start, datetime):
            return self.start.replace(tzinfo=None)
        return midnight(self.start, None)

    def moved_to(self, local_start: datetime, tz: tzinfo) -> TimeSpan:
        """The same length starting at naive local `local_start` (another date of a rule):
        all-day keeps its number of days, timed its wall-clock length."""
        if isinstance(self.start, datetime):
            begin = local_start.replace(tzinfo=tz)
            return TimeSpan(begin, begin + self.duration)
        first = local_start.date()
        return TimeSpan(first, first + (self.last_day - self.start))

    def on(self, day: date, tz: tzinfo) -> TimeSpan:
        """The same span starting on local date `day`, at the same time of day."""
        return self.moved_to(datetime.combine(day, self.start_time or time()), tz)

    def one_day(self, day: date) -> TimeSpan:
        """Just local date `day` of an all-day span (a visit to one day of a festival)."""
        return TimeSpan(day, day)
