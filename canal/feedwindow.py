"""The feed window (issue 19): which events the calendar feeds still carry. No Flask.

A feed that kept every event for ever would pass Google Calendar's ~1 MB limit within
a few years (beyond it Google silently stops updating the subscription); one that kept
only future events would delete subscribers' history. So a feed carries everything
upcoming and what ended within the last `days` days (180 unless the operator sets
CANAL_FEED_WINDOW_DAYS):

- a one-off event stays while its last day is on or after the cutoff (`today - days`);
- a recurring series stays whole, RRULE and all, while its last occurrence does (an
  endless series always stays): a subscriber's calendar keeps every past date of it;
- a lunar event, published as one VEVENT per year (ical.lunar_vevents), is judged per
  VEVENT, each by its own occurrence.

The cutoff is computed from the calendar date in the catalog's zone (Beijing), never
from the time of day, so a feed's bytes change at most once a day, at local midnight.
When the window drops something, the feed's Last-Modified becomes the midnight it left
(`left_at`): the validators move with the bytes, also for a feed whose newest remaining
event was edited long before.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import archive, recurrence
from .model import Event, Occurrence

DEFAULT_DAYS = 180
MAX_DAYS = 3660  # ten years: beyond that the window would not keep feeds small
SETTING = "CANAL_FEED_WINDOW_DAYS"


def parse_days(text: str | None) -> int:
    """The operator's CANAL_FEED_WINDOW_DAYS (empty: DEFAULT_DAYS); ValueError saying why."""
    text = (text or "").strip()
    if not text:
        return DEFAULT_DAYS
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_DAYS:
        raise ValueError(f"{SETTING} = {text!r}: give how many days after an event ends the "
                         f"feeds keep it, a whole number from 0 to {MAX_DAYS} (default {DEFAULT_DAYS})")
    return int(text)


@dataclass(frozen=True)
class Window:
    """The feeds' window on local date `today`: from `cutoff` on, and everything upcoming."""

    today: date
    days: int = DEFAULT_DAYS

    @property
    def cutoff(self) -> date:
        """The earliest last day an occurrence may have and stay in the feeds."""
        return self.today - timedelta(days=self.days)

    def keeps(self, occurrence: Occurrence) -> bool:
        """Whether the occurrence (its last day) is inside the window."""
        return archive.last_day(occurrence) >= self.cutoff

    def keeps_event(self, event: Event, tz: ZoneInfo) -> bool:
        """Whether the whole event stays: its last occurrence is inside (endless: always).
        Lunar events always pass here: their VEVENTs are judged one by one."""
        if recurrence.lunar_rule(event, tz) is not None:
            return True
        last = archive.last_occurrence(event, tz)
        return last is None or self.keeps(last)

    def left_at(self, occurrence: Occurrence, tz: ZoneInfo) -> datetime:
        """The local midnight the occurrence left (or leaves) the window."""
        return datetime.combine(archive.last_day(occurrence) + timedelta(days=self.days + 1), time(), tz)

    def narrow(self, events: Iterable[Event], tz: ZoneInfo) -> tuple[tuple[Event, ...], datetime | None]:
        """(the events that stay, when the window last dropped one of them or a lunar
        occurrence: None when it dropped nothing)."""
        kept, left = [], None
        for event in events:
            rule = recurrence.lunar_rule(event, tz)
            if rule is not None:
                kept.append(event)
                for _, day in rule.dates(recurrence.first_day(event)):
                    occurrence = recurrence.occurrence_on(event, day, tz)
                    if self.keeps(occurrence):
                        break  # later dates are later still
                    left = _later(left, self.left_at(occurrence, tz))
                continue
            last = archive.last_occurrence(event, tz)
            if last is None or self.keeps(last):
                kept.append(event)
            else:
                left = _later(left, self.left_at(last, tz))
        return tuple(kept), left


def _later(first: datetime | None, second: datetime) -> datetime:
    return second if first is None or second > first else first
