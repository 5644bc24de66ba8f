"""Expand events into concrete occurrences inside a time window.

Rules are expanded in naive local wall-clock time and then given the catalog's
time zone, which is what RFC 5545 means by a rule with a TZID'd DTSTART.
"Now" and "today" are always arguments: nothing here reads the clock.
"""
from __future__ import annotations

import re
from functools import lru_cache
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Iterator
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from . import lunar
from .lunar import LunarRule
from .model import FIRST_YEAR, LAST_YEAR, Catalog, Event, Occurrence

RULE_PARTS = {
    "FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH",
    "BYSETPOS", "BYWEEKNO", "BYYEARDAY", "WKST",
}
# Larger counts or intervals make no sense for a site planning a few years ahead.
MAX_RULE_NUMBER = 1000
# Events on this site happen at most daily; sub-daily rules are almost always typos.
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
UNTIL_FORMS = (
    (re.compile(r"^\d{8}$"), "%Y%m%d"),
    (re.compile(r"^\d{8}T\d{6}$"), "%Y%m%dT%H%M%S"),
    (re.compile(r"^\d{8}T\d{6}Z$"), "%Y%m%dT%H%M%SZ"),
)


class RuleError(ValueError):
    """A `repeat` text that is not a usable RRULE; the message says why."""


def _local_start(event_start: date | datetime) -> datetime:
    if isinstance(event_start, datetime):
        return event_start.replace(tzinfo=None)
    return datetime.combine(event_start, time())


def parse_until(value: str, tz: ZoneInfo) -> tuple[datetime, bool]:
    """Read an UNTIL value as a naive local datetime; say whether it was a bare date.

    Editors write a local date (the last day, inclusive) or a local date-time;
    a UTC `...Z` value is accepted too and moved into local time.
    """
    for pattern, fmt in UNTIL_FORMS:
        if pattern.match(value):
            try:
                parsed = datetime.strptime(value, fmt)
            except ValueError:
                break
            if fmt.endswith("Z"):
                parsed = parsed.replace(tzinfo=timezone.utc).astimezone(tz).replace(tzinfo=None)
            return parsed, fmt == "%Y%m%d"
    raise RuleError(f"UNTIL={value} is not a date: write YYYYMMDD (the last day, local time)")


@lru_cache(maxsize=None)
def parse_rule(text: str, start: date | datetime, tz: ZoneInfo) -> rrule | LunarRule:
    """Turn an editor's `repeat` text into a dateutil rule over naive local time, or for
    an `RSCALE=CHINESE` rule (RFC 7529) into a `LunarRule`.

    Cached: the catalog is immutable, so each rule is parsed once per process.
    """
    if lunar.is_lunar(text):
        try:
            return lunar.parse(text, start, lambda value: parse_until(value, tz))
        except lunar.LunarRuleError as err:
            raise RuleError(str(err)) from None
    parts: dict[str, str] = {}
    for chunk in text.strip().strip(";").split(";"):
        name, sep, value = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not value.strip():
            raise RuleError(f"'{chunk}' is not NAME=VALUE (example: FREQ=MONTHLY;BYDAY=2SA)")
        if name == "SKIP":
            # RFC 7529: SKIP only means something with RSCALE.
            raise RuleError("SKIP needs RSCALE=CHINESE (a lunar rule); a Gregorian rule has no SKIP")
        if name not in RULE_PARTS:
            raise RuleError(f"unknown rule part {name} (allowed: {', '.join(sorted(RULE_PARTS))})")
        if name in parts:
            raise RuleError(f"{name} is given twice")
        parts[name] = value.strip().upper()
    if "FREQ" not in parts:
        raise RuleError("FREQ is missing (example: FREQ=MONTHLY;BYDAY=2SA)")
    if parts["FREQ"] not in FREQUENCIES:
        raise RuleError(f"FREQ={parts['FREQ']} is not one of {', '.join(sorted(FREQUENCIES))}")
    if "COUNT" in parts and "UNTIL" in parts:
        raise RuleError("give COUNT or UNTIL, not both")
    weekdays = [day.strip() for day in parts.get("BYDAY", "").split(",") if day.strip()]
    if any(day[0] in "+-0123456789" for day in weekdays) and parts["FREQ"] not in ("MONTHLY", "YEARLY"):
        # RFC 5545 forbids it, and clients would silently repeat every week instead.
        raise RuleError(f"BYDAY={parts['BYDAY']} numbers a weekday, which needs FREQ=MONTHLY or "
                        f"FREQ=YEARLY (the 2nd Saturday of each month: FREQ=MONTHLY;BYDAY=2SA)")
    for name in ("COUNT", "INTERVAL"):
        # INTERVAL=0 would make expansion loop for ever; huge values break iCalendar.
        if name in parts and not (parts[name].isdigit() and 1 <= int(parts[name]) <= MAX_RULE_NUMBER):
            raise RuleError(f"{name}={parts[name]} must be a whole number from 1 to {MAX_RULE_NUMBER}")
    until = None
    if "UNTIL" in parts:
        until, bare_date = parse_until(parts.pop("UNTIL"), tz)
        if not FIRST_YEAR <= until.year <= LAST_YEAR:
            raise RuleError(f"UNTIL {until:%Y-%m-%d} is not between {FIRST_YEAR} and {LAST_YEAR}")
        if bare_date:
            # A bare date means "up to and including that day".
            until = until.replace(hour=23, minute=59, second=59)
    dtstart = _local_start(start)
    rule_text = ";".join(f"{k}={v}" for k, v in parts.items())
    try:
        rule = rrulestr(rule_text, dtstart=dtstart)
    except (ValueError, TypeError) as err:
        raise RuleError(f"not a valid RRULE: {err}") from None
    if until is not None:
        if until < dtstart:
            raise RuleError(f"UNTIL {until:%Y-%m-%d} is before the start {dtstart:%Y-%m-%d}")
        rule = rule.replace(until=until)
    first = next(iter(rule), None)
    if first is None:
        raise RuleError("the rule gives no dates at all")
    if first != dtstart:
        raise RuleError(
            f"start {dtstart:%Y-%m-%d} is not a date of the rule; "
            f"start on its first date ({first:%Y-%m-%d})"
        )
    return rule


def lunar_rule(event: Event, tz: ZoneInfo) -> LunarRule | None:
    """The event's parsed lunar rule, or None for a one-off or Gregorian event."""
    if not lunar.is_lunar(event.repeat):
        return None
    return parse_rule(event.repeat, event.start, tz)


def first_day(event: Event) -> date:
    """The local date the event's first occurrence begins on."""
    return event.start.date() if isinstance(event.start, datetime) else event.start


def is_rule_date(rule: rrule | LunarRule, day: date, start: date | datetime | None = None) -> bool:
    """Whether the rule has an occurrence starting on local date `day` (a lunar rule
    needs the event's `start`)."""
    if isinstance(rule, LunarRule):
        first = start.date() if isinstance(start, datetime) else start
        return rule.is_date(first, day)
    begin = datetime.combine(day, time())
    return any(d.date() == day for d in rule.between(begin, begin + timedelta(days=1), inc=True))


def _window(value: date | datetime, tz: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    return datetime.combine(value, time(), tz)


def occurrence_on(event: Event, day: date, tz: ZoneInfo) -> Occurrence:
    """The event's occurrence beginning on local date `day`, at its usual time and length."""
    return _occurrence(event, datetime.combine(day, _local_start(event.start).time()), tz)


def _occurrence(event: Event, local_start: datetime, tz: ZoneInfo) -> Occurrence:
    if event.all_day:
        first = local_start.date()
        return Occurrence(event, first, first + (event.end - event.start))
    start = local_start.replace(tzinfo=tz)
    return Occurrence(event, start, start + event.duration)


def event_occurrences(
    event: Event, start: date | datetime, end: date | datetime, tz: ZoneInfo
) -> Iterator[Occurrence]:
    """Occurrences of one event overlapping [start, end), in time order."""
    lo, hi = _window(start, tz), _window(end, tz)
    if event.recurring:
        rule = parse_rule(event.repeat, event.start, tz)
        # Reach back one duration so that an occurrence already running at `lo` is found.
        search_from = (lo - event.duration).replace(tzinfo=None)
        if isinstance(rule, LunarRule):
            at = _local_start(event.start).time()
            local_starts = [moment for _, day in rule.dates(first_day(event))
                            if search_from <= (moment := datetime.combine(day, at)) <= hi.replace(tzinfo=None)]
        else:
            local_starts = rule.between(search_from, hi.replace(tzinfo=None), inc=True)
    else:
        local_starts = [_local_start(event.start)]
    skipped = set(event.except_dates)
    for local_start in local_starts:
        if local_start.date() in skipped:
            continue
        occurrence = _occurrence(event, local_start, tz)
        begin, finish = occurrence.span(tz)
        if begin < hi and finish > lo:
            yield occurrence


def sort_key(occurrence: Occurrence, tz: ZoneInfo) -> tuple:
    """Time order; all-day before timed on the same day; then by id so order is stable."""
    return (occurrence.span(tz)[0], not occurrence.event.all_day, occurrence.event.id)


def occurrences(
    catalog: Catalog,
    start: date | datetime,
    end: date | datetime,
    events: Iterable[Event] | None = None,
) -> list[Occurrence]:
    """Every occurrence overlapping [start, end), sorted; cancelled ones kept and flagged."""
    chosen = catalog.events.values() if events is None else events
    found = [o for e in chosen for o in event_occurrences(e, start, end, catalog.tz)]
    return sorted(found, key=lambda o: sort_key(o, catalog.tz))


def upcoming(
    catalog: Catalog,
    now: datetime,
    days: int = 366,
    events: Iterable[Event] | None = None,
) -> list[Occurrence]:
    """Occurrences that have not finished by `now`, up to `days` ahead."""
    return occurrences(catalog, now, now + timedelta(days=days), events)
