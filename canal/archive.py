"""Past events: when an event's last date is, whether it has ended, its next edition, and
the archive of past dates by year and month (issue 19). Domain module: no Flask.

The archive lists past *occurrences*, not only events that are over: last spring's
festival is in the archive even while its yearly series goes on. Each event appears once
per month, with the dates it had that month.

Editions: an ended event links to its next edition. An editor can say so in events.toml
(`next = "<id>"` on the old event, or `previous = "<id>"` on the new one: either is
enough). Without an editor's link the next edition is found by title family: the events
whose Chinese title is the same once ASCII digits and spaces are taken out ("2027年运河
文化节" and "2028年运河文化节"), the earliest one that starts after this one's last date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from . import recurrence
from .agenda import BadParameter
from .lunar import LunarRule
from .model import FIRST_YEAR, LAST_YEAR, Catalog, Event, Occurrence
from .rule import Rule


def last_occurrence(event: Event, tz: ZoneInfo) -> Occurrence | None:
    """The event's last occurrence (skipped dates left out); None for an endless series."""
    if event.rule is None:
        return Occurrence.of(event, event.when)
    day = _last_day_of_rule(event.rule, event.except_dates)
    return None if day is None else recurrence.occurrence_on(event, day, tz)


@lru_cache(maxsize=8192)
def _last_day_of_rule(rule: Rule, except_dates: tuple[date, ...]) -> date | None:
    # Cached: the catalog is immutable, and a bounded rule has at most a few thousand dates.
    if rule.count is None and rule.until_day is None:
        return None  # an endless series never ends
    if isinstance(rule, LunarRule):
        days = [day for _, day in rule.dates(rule.first)]
    else:
        days = [moment.date() for moment in rule.expansion]
    skipped = set(except_dates)
    return next((day for day in reversed(days) if day not in skipped), None)


def last_day(occurrence: Occurrence) -> date:
    """The last local date an occurrence touches."""
    return occurrence.days()[-1]


def last_year(event: Event, tz: ZoneInfo) -> int | None:
    """The year of the event's last date (its page in the archive); None for an endless series."""
    last = last_occurrence(event, tz)
    return None if last is None else last_day(last).year


def has_ended(event: Event, catalog: Catalog, now: datetime) -> bool:
    """Whether every occurrence of the event is over at `now`."""
    last = last_occurrence(event, catalog.tz)
    return last is not None and last.span(catalog.tz)[1] <= now


_NOT_FAMILY = re.compile(r"[0-9\s]+")


def family(event: Event) -> str:
    """The title family: the Chinese title without ASCII digits and spaces."""
    return _NOT_FAMILY.sub("", event.title.zh)


def next_edition(catalog: Catalog, event: Event) -> Event | None:
    """The event's next edition: the editor's `next` (or an event naming it `previous`),
    else the earliest event of its title family starting after its last date."""
    if event.next is not None:
        return catalog.events[event.next]
    named = [other for other in catalog.events.values() if other.previous == event.id]
    if named:
        return min(named, key=lambda other: _first_day(other))
    last = last_occurrence(event, catalog.tz)
    if last is None:
        return None
    after = last_day(last)
    key = family(event)
    later = [other for other in catalog.events.values()
             if other.id != event.id and family(other) == key and _first_day(other) > after]
    return min(later, key=lambda other: (_first_day(other), other.id), default=None)


def previous_edition(catalog: Catalog, event: Event) -> Event | None:
    """The edition before this one (the editor's `previous`, or an event naming it `next`,
    else the latest event of its title family that ended before this one starts)."""
    if event.previous is not None:
        return catalog.events[event.previous]
    named = [other for other in catalog.events.values() if other.next == event.id]
    if named:
        return max(named, key=lambda other: _first_day(other))
    first = _first_day(event)
    key = family(event)
    earlier = []
    for other in catalog.events.values():
        last = last_occurrence(other, catalog.tz) if other.id != event.id and family(other) == key else None
        if last is not None and last_day(last) < first:
            earlier.append((last_day(last), other.id, other))
    return max(earlier, key=lambda found: found[:2])[2] if earlier else None


def _first_day(event: Event) -> date:
    return recurrence.first_day(event)


@dataclass(frozen=True)
class Entry:
    """One event in one month of the archive, with its dates that month."""

    event: Event
    occurrences: tuple[Occurrence, ...]


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    entries: tuple[Entry, ...]


def past_occurrences(catalog: Catalog, now: datetime, year: int | None = None) -> list[Occurrence]:
    """Occurrences over by `now` (of `year`, by start day, when given), in time order."""
    first_year = year if year is not None else FIRST_YEAR
    start = datetime.combine(date(first_year, 1, 1), datetime.min.time(), catalog.tz)
    end = now if year is None else min(now, datetime.combine(date(year + 1, 1, 1),
                                                             datetime.min.time(), catalog.tz))
    if end <= start:
        return []
    found = recurrence.occurrences(catalog, start, end)
    return [o for o in found if o.span(catalog.tz)[1] <= now and o.day.year >= first_year
            and (year is None or o.day.year == year)]


def months(catalog: Catalog, now: datetime, year: int) -> list[Month]:
    """The archive of `year`: months in order, each event once with its past dates."""
    by_month: dict[int, dict[str, list[Occurrence]]] = {}
    for occurrence in past_occurrences(catalog, now, year):
        by_month.setdefault(occurrence.day.month, {}).setdefault(occurrence.event.id, []).append(occurrence)
    return [Month(year, month, tuple(Entry(found[0].event, tuple(found)) for found in events.values()))
            for month, events in sorted(by_month.items())]


def years(catalog: Catalog, now: datetime) -> list[tuple[int, int]]:
    """(year, number of events with a past date that year), newest year first."""
    counted: dict[int, set[str]] = {}
    for occurrence in past_occurrences(catalog, now):
        counted.setdefault(occurrence.day.year, set()).add(occurrence.event.id)
    return sorted(((year, len(ids)) for year, ids in counted.items()), reverse=True)


def parse_year(text: str) -> int:
    """A four-digit year FIRST_YEAR..LAST_YEAR from a URL, or BadParameter (a 400 page)."""
    if not (text.isascii() and text.isdigit() and len(text) == 4) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise BadParameter("year", text, "year", min=FIRST_YEAR, max=LAST_YEAR)
    return int(text)


def first_past_month(catalog: Catalog, today: date) -> tuple[int, int] | None:
    """The month of the earliest occurrence that began before `today` (the archive's
    first month), or None when nothing has."""
    earliest = None
    for event in catalog.events.values():
        first = _first_day(event)
        if first < today and (earliest is None or first < earliest):
            earliest = first
    return None if earliest is None else (earliest.year, earliest.month)

