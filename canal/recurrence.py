"""Expand events into concrete occurrences inside a time window.

Rules are expanded in naive local wall-clock time and then given the catalog's
time zone, which is what RFC 5545 means by a rule with a TZID'd DTSTART.
"Now" and "today" are always arguments: nothing here reads the clock. The rule itself
is read once by the loader (canal.rule) and kept on the event.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .lunar import LunarRule
from .model import Catalog, Event, Occurrence
from .rule import Rule, RuleError, parse, parse_until  # noqa: F401  (RuleError, parse_until: see below)
from .span import as_instant

# The one parser lives in canal.rule; `parse_rule`, `parse_until` and `RuleError` keep
# their old home here for the tests and tools that import them from recurrence.
parse_rule = parse


def lunar_rule(event: Event, tz: ZoneInfo | None = None) -> LunarRule | None:
    """The event's lunar rule, or None for a one-off or Gregorian event."""
    return event.rule if isinstance(event.rule, LunarRule) else None


def first_day(event: Event) -> date:
    """The local date the event's first occurrence begins on."""
    return event.first_day


def is_rule_date(rule: Rule, day: date, start: date | datetime | None = None) -> bool:
    """Whether the rule has an occurrence starting on local date `day`."""
    return rule.has_date(day)


def occurrence_on(event: Event, day: date, tz: ZoneInfo) -> Occurrence:
    """The event's occurrence beginning on local date `day`, at its usual time and length."""
    return Occurrence.of(event, event.when.on(day, tz))


def event_occurrences(
    event: Event, start: date | datetime, end: date | datetime, tz: ZoneInfo
) -> Iterator[Occurrence]:
    """Occurrences of one event overlapping [start, end), in time order."""
    lo, hi = as_instant(start, tz), as_instant(end, tz)
    if event.rule is not None:
        # Reach back one duration so that an occurrence already running at `lo` is found.
        search_from = (lo - event.duration).replace(tzinfo=None)
        local_starts = event.rule.local_starts(search_from, hi.replace(tzinfo=None))
    else:
        local_starts = [event.when.local_start()]
    skipped = set(event.except_dates)
    for local_start in local_starts:
        if local_start.date() in skipped:
            continue
        when = event.when.moved_to(local_start, tz)
        if when.overlaps(lo, hi, tz):
            yield Occurrence.of(event, when)


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
