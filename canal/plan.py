"""A visitor's day plan: chosen occurrences, in order, with distances and clashes.

The plan lives in the URL as `o=<event-id>@<yyyy-mm-dd>,…`; this module turns
that text into a checked plan and never raises on bad input: what it cannot use
comes back as notices naming the item and the reason.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .model import Catalog, Occurrence, Site
from .recurrence import occurrences

MAX_ITEMS = 50
KEY_PATTERN = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)@(\d{4}-\d{2}-\d{2})$")
EARTH_RADIUS_KM = 6371.0088
# Roads along the canal wind; straight-line distance times this is a fair guess of
# the road distance, and 30 km/h is a typical door-to-door speed by taxi or bus.
DETOUR_FACTOR = 1.3
TRAVEL_KMH = 30.0
NEARBY_KM = 5.0


@dataclass(frozen=True)
class Notice:
    """An item of the plan's URL that was left out, and why ("malformed", "unknown", …)."""

    item: str
    reason: str


@dataclass(frozen=True)
class Stop:
    """One chosen occurrence. `occurrence` is None when the event does not happen that day."""

    key: str
    event_id: str
    day: date
    occurrence: Occurrence | None
    position: int  # index in the visitor's list, to keep their order where time does not decide

    @property
    def cancelled(self) -> bool:
        return self.occurrence is not None and self.occurrence.cancelled

    @property
    def missing(self) -> bool:
        return self.occurrence is None


@dataclass(frozen=True)
class Leg:
    """Getting from one stop's site to the next: straight-line and an approximate time."""

    origin: Stop
    destination: Stop
    km: float
    minutes: int
    too_tight: bool  # the gap between the two is shorter than the travel estimate


@dataclass(frozen=True)
class Conflict:
    first: Stop
    second: Stop


@dataclass(frozen=True)
class Day:
    day: date
    stops: list[Stop]
    legs: list[Leg]
    conflicts: list[Conflict]
    nearby: list[Occurrence] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    keys: list[str]  # the cleaned plan, in the visitor's order: what the URL should say
    days: list[Day]
    notices: list[Notice]

    @property
    def stops(self) -> list[Stop]:
        return [stop for day in self.days for stop in day.stops]

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for day in self.days for c in day.conflicts]


def distance_km(a: Site, b: Site) -> float:
    """Great-circle (haversine) distance between two sites, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def travel_minutes(km: float) -> int:
    """A rough door-to-door estimate, rounded up to 5 minutes; 0 for the same place."""
    if km < 0.05:
        return 0
    return int(math.ceil(km * DETOUR_FACTOR / TRAVEL_KMH * 60 / 5) * 5)


def parse_keys(values: list[str], catalog: Catalog, limit: int = MAX_ITEMS) -> tuple[list[str], list[Notice]]:
    """Split `o` values into valid, distinct keys (in order) and notices for the rest."""
    keys: list[str] = []
    notices: list[Notice] = []
    items = [item.strip() for value in values for item in value.split(",")]
    for item in items:
        if not item:
            continue
        match = KEY_PATTERN.match(item)
        if not match:
            notices.append(Notice(item[:80], "malformed"))
            continue
        event_id, day_text = match.groups()
        try:
            date.fromisoformat(day_text)
        except ValueError:
            notices.append(Notice(item, "malformed"))
            continue
        if event_id not in catalog.events:
            notices.append(Notice(item, "unknown"))
        elif item in keys:
            notices.append(Notice(item, "duplicate"))
        elif len(keys) >= limit:
            notices.append(Notice(item, "too-many"))
        else:
            keys.append(item)
    return keys, notices


def _stop(catalog: Catalog, key: str, position: int) -> Stop:
    event_id, day_text = key.split("@")
    day = date.fromisoformat(day_text)
    event = catalog.events[event_id]
    found = [o for o in occurrences(catalog, day, day + timedelta(days=1), [event]) if o.day == day]
    return Stop(key, event_id, day, found[0] if found else None, position)


def _order(stop: Stop, catalog: Catalog) -> tuple:
    # Timed stops by their start; all-day ones and missing ones keep the visitor's order first.
    if stop.occurrence is None or stop.occurrence.event.all_day:
        return (0, stop.position)
    return (1, stop.occurrence.span(catalog.tz)[0], stop.position)


def _conflicts(stops: list[Stop], catalog: Catalog) -> list[Conflict]:
    timed = [s for s in stops if s.occurrence and not s.occurrence.event.all_day and not s.cancelled]
    found = []
    for i, first in enumerate(timed):
        begin1, end1 = first.occurrence.span(catalog.tz)
        for second in timed[i + 1:]:
            begin2, end2 = second.occurrence.span(catalog.tz)
            if begin1 < end2 and begin2 < end1:
                found.append(Conflict(first, second))
    return found


def _legs(stops: list[Stop], catalog: Catalog) -> list[Leg]:
    legs = []
    for origin, destination in zip(stops, stops[1:]):
        a = catalog.sites[catalog.events[origin.event_id].site]
        b = catalog.sites[catalog.events[destination.event_id].site]
        km = distance_km(a, b)
        minutes = travel_minutes(km)
        tight = False
        if (origin.occurrence and destination.occurrence
                and not origin.occurrence.event.all_day and not destination.occurrence.event.all_day):
            gap = destination.occurrence.start - origin.occurrence.end
            tight = gap < timedelta(minutes=minutes)
        legs.append(Leg(origin, destination, round(km, 1), minutes, tight))
    return legs


def _nearby(stops: list[Stop], day: date, catalog: Catalog, radius_km: float) -> list[Occurrence]:
    chosen = {s.event_id for s in stops}
    sites = {catalog.events[s.event_id].site for s in stops}
    found = []
    for occurrence in occurrences(catalog, day, day + timedelta(days=1)):
        event = occurrence.event
        if event.id in chosen or occurrence.cancelled:
            continue
        here = catalog.sites[event.site]
        if any(distance_km(here, catalog.sites[s]) <= radius_km for s in sites):
            found.append(occurrence)
    return found


def build_plan(catalog: Catalog, values: list[str], nearby_km: float = NEARBY_KM,
               limit: int = MAX_ITEMS) -> Plan:
    """The plan for the raw `o` parameter values; never raises on bad input."""
    keys, notices = parse_keys(values, catalog, limit)
    stops = [_stop(catalog, key, position) for position, key in enumerate(keys)]
    days = []
    for day in sorted({s.day for s in stops}):
        todays = sorted((s for s in stops if s.day == day), key=lambda s: _order(s, catalog))
        days.append(Day(day, todays, _legs(todays, catalog), _conflicts(todays, catalog),
                        _nearby(todays, day, catalog, nearby_km)))
    return Plan(keys, days, notices)


def with_item(keys: list[str], key: str) -> list[str]:
    """The plan with `key` added (once)."""
    return keys if key in keys else [*keys, key]


def without_item(keys: list[str], key: str) -> list[str]:
    return [k for k in keys if k != key]


def moved(keys: list[str], key: str, step: int) -> list[str]:
    """The plan with `key` moved `step` places (-1 earlier, +1 later) in the visitor's order."""
    if key not in keys:
        return keys
    i = keys.index(key)
    j = max(0, min(len(keys) - 1, i + step))
    reordered = list(keys)
    reordered[i], reordered[j] = reordered[j], reordered[i]
    return reordered
