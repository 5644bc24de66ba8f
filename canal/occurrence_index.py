"""Every occurrence of a window, expanded once and looked up by time. No Flask.

Expanding the catalog's rules is the expensive part of a request (10,000 events take
about a second for a year). The index expands them once for a window around "today";
a lookup is then two bisections and a filter, and gives exactly what
recurrence.occurrences would for any span inside the window (same items, same order).
Outside the window callers expand as before.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from .model import Catalog, Event, Occurrence
from .recurrence import occurrences
from .span import end_of, midnight

DAYS_BEFORE = 7
# The API's default year ahead, plus a month of the process's life before a rebuild.
DAYS_AFTER = 366 + 31


class OccurrenceIndex:
    """The catalog's occurrences overlapping [first day, last day), sorted as recurrence sorts them."""

    def __init__(self, catalog: Catalog, today: date,
                 days_before: int = DAYS_BEFORE, days_after: int = DAYS_AFTER):
        self.catalog = catalog
        tz = catalog.tz
        self.start = datetime.combine(today - timedelta(days=days_before), time(), tz)
        self.end = datetime.combine(today + timedelta(days=days_after), time(), tz)
        self.items = occurrences(catalog, self.start, self.end)
        self._spans = [o.span(tz) for o in self.items]
        self._begins = [span[0] for span in self._spans]
        # How far back a lookup must reach for an occurrence that began earlier and still runs.
        self._longest = max((end - begin for begin, end in self._spans), default=timedelta(0))

    def covers(self, begin: datetime, finish: datetime) -> bool:
        return self.start <= begin and finish <= self.end

    def between(self, begin: datetime, finish: datetime,
                events: Iterable[Event] | None = None) -> list[Occurrence]:
        """Occurrences overlapping [begin, finish), of `events` only when given, in order."""
        wanted = None if events is None else {e.id for e in events}
        low = bisect_left(self._begins, begin - self._longest)
        high = bisect_left(self._begins, finish)
        return [self.items[i] for i in range(low, high)
                if self._spans[i][1] > begin
                and (wanted is None or self.items[i].event.id in wanted)]

    def on_day(self, day: date, events: Iterable[Event] | None = None) -> list[Occurrence] | None:
        """The occurrences touching local date `day`, or None when the day is outside the index."""
        begin, finish = midnight(day, self.catalog.tz), end_of(day, self.catalog.tz)
        if not self.covers(begin, finish):
            return None
        return self.between(begin, finish, events)


def lookup(index: OccurrenceIndex | None, catalog: Catalog, begin: datetime, finish: datetime,
           events: Iterable[Event] | None = None) -> list[Occurrence]:
    """recurrence.occurrences, answered from the index when it holds the whole span."""
    if index is not None and index.catalog is catalog and index.covers(begin, finish):
        return index.between(begin, finish, events)
    return occurrences(catalog, begin, finish, events)
