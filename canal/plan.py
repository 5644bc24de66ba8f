"""A visitor's day plan: chosen occurrences, in order, with distances and clashes.

The plan lives in the URL as `o=<event-id>@<yyyy-mm-dd>,…`; this module turns
that text into a checked plan and never raises on bad input: what it cannot use
comes back as notices naming the item and the reason.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise

from .geo import haversine_m
from .model import FIRST_YEAR, LAST_YEAR, Catalog, Occurrence, Site
from .recurrence import occurrences
from .span import ONE_DAY

MAX_ITEMS = 50
KEY_PATTERN = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)@(\d{4}-\d{2}-\d{2})$")
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

    @property
    def timed(self) -> bool:
        """Whether the clock decides where this stop goes (else the visitor does)."""
        return self.occurrence is not None and not self.occurrence.event.all_day

    @property
    def happens(self) -> bool:
        """Whether there is something to go to: it takes place that day and is not cancelled."""
        return self.occurrence is not None and not self.occurrence.cancelled

    @property
    def visit(self) -> Occurrence | None:
        """What goes in the visitor's calendar: the occurrence, or that one day of a longer all-day one."""
        if self.occurrence is None or not self.occurrence.event.all_day:
            return self.occurrence
        return Occurrence(self.occurrence.event, self.day, self.day)


@dataclass(frozen=True)
class Leg:
    """Getting from one stop's site to the next: straight-line and an approximate time."""

    origin: Stop
    destination: Stop
    km: float
    minutes: int
    too_tight: bool  # the gap between the two is shorter than the travel estimate
    gap_minutes: int | None = None  # from the end of one to the start of the next (both timed)


@dataclass(frozen=True)
class Conflict:
    """Two timed stops of one day whose times overlap (cancelled ones never clash)."""

    first: Stop
    second: Stop


@dataclass(frozen=True)
class Day:
    day: date
    stops: list[Stop]
    legs: list[Leg]
    conflicts: list[Conflict]
    nearby: list[Occurrence] = field(default_factory=list)

    @property
    def leg_to(self) -> dict[str, Leg]:
        """The leg arriving at each stop, by the stop's key (the first stop has none)."""
        return {leg.destination.key: leg for leg in self.legs}

    @property
    def clashing(self) -> set[str]:
        """Keys of the stops that overlap another stop of the day."""
        return {stop.key for c in self.conflicts for stop in (c.first, c.second)}


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
    return haversine_m(a.lat, a.lon, b.lat, b.lon) / 1000


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
            day = date.fromisoformat(day_text)
        except ValueError:
            notices.append(Notice(item, "malformed"))
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            notices.append(Notice(item, "out-of-range"))
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
    # A festival running 10-20 December can be visited on the 12th: any day it touches counts
    # (an occurrence overlapping the day's window touches the day).
    found = occurrences(catalog, day, day + ONE_DAY, [event])
    return Stop(key, event_id, day, found[0] if found else None, position)


def _arranged(stops: list[Stop], catalog: Catalog) -> list[Stop]:
    """The day's stops: timed ones in time order, the others where the visitor put them.

    Stops take the slots of the visitor's order; the slots held by timed stops are
    refilled in time order, so an all-day visit stays between the events it was put
    between, and moving it is a matter of swapping it with a neighbour.
    """
    in_order = sorted(stops, key=lambda s: s.position)
    timed = iter(sorted((s for s in in_order if s.timed),
                        key=lambda s: (_interval(s, catalog)[0], s.position)))
    return [next(timed) if stop.timed else stop for stop in in_order]


def _interval(stop: Stop, catalog: Catalog) -> tuple[datetime, datetime]:
    """When a stop that has an occurrence takes place, as [begin, end)."""
    if stop.occurrence is None:
        raise ValueError(f"{stop.key} has no occurrence")
    return stop.occurrence.span(catalog.tz)


def _conflicts(stops: list[Stop], catalog: Catalog) -> list[Conflict]:
    timed = [s for s in stops if s.timed and not s.cancelled]
    found = []
    for i, first in enumerate(timed):
        begin1, end1 = _interval(first, catalog)
        for second in timed[i + 1:]:
            begin2, end2 = _interval(second, catalog)
            if begin1 < end2 and begin2 < end1:
                found.append(Conflict(first, second))
    return found


def _legs(stops: list[Stop], catalog: Catalog) -> list[Leg]:
    # Only between stops one actually goes to: a cancelled or missing stop is skipped over.
    going = [s for s in stops if s.happens]
    legs = []
    for origin, destination in pairwise(going):
        # After a boat trip or a walk, the visitor is where it ends, not where it began.
        a = catalog.end_site_of(catalog.events[origin.event_id])
        b = catalog.site_of(catalog.events[destination.event_id])
        km = distance_km(a, b)
        minutes = travel_minutes(km)
        tight, gap_minutes = False, None
        if origin.timed and destination.timed:
            gap = _interval(destination, catalog)[0] - _interval(origin, catalog)[1]
            gap_minutes = int(gap.total_seconds() // 60)
            # Overlapping stops are a conflict, reported as such, not a tight connection.
            tight = timedelta(0) <= gap < timedelta(minutes=minutes)
        legs.append(Leg(origin, destination, round(km, 1), minutes, tight, gap_minutes))
    return legs


def _sites_near(catalog: Catalog, site_id: str, radius_km: float, memo: dict) -> list[str]:
    """Sites within `radius_km` of one site; a cheap latitude/longitude box first."""
    if site_id not in memo:
        centre = catalog.sites[site_id]
        # 110 km per degree is less than the haversine's 111.2, so the box holds the whole
        # circle (with 111.3, a site due east or west just inside the radius was left out).
        dlat = radius_km / 110.0
        dlon = radius_km / max(1.0, 110.0 * math.cos(math.radians(centre.lat)))
        memo[site_id] = [other_id for other_id, other in catalog.sites.items()
                         if abs(other.lat - centre.lat) <= dlat and abs(other.lon - centre.lon) <= dlon
                         and distance_km(centre, other) <= radius_km]
    return memo[site_id]


def _nearby(stops: list[Stop], day: date, catalog: Catalog, radius_km: float,
            index=None, memo: dict | None = None) -> list[Occurrence]:
    """Other events that day at sites within `radius_km` of the day's stops.

    Only events at those sites are looked at, and their occurrences come from `index`
    (an occurrence_index.OccurrenceIndex) when it holds the day: a plan's cost does not
    grow with the size of the catalog times its days."""
    chosen = {s.event_id for s in stops}
    sites = {catalog.events[s.event_id].site for s in stops}
    memo = {} if memo is None else memo
    near = sorted({near_id for s in sites for near_id in _sites_near(catalog, s, radius_km, memo)})
    candidates = [e for site_id in near for e in catalog.events_at(site_id) if e.id not in chosen]
    found = index.on_day(day, candidates) if index is not None and index.catalog is catalog else None
    if found is None:
        found = occurrences(catalog, day, day + ONE_DAY, candidates)
    return [o for o in found if not o.cancelled]


def build_plan(catalog: Catalog, values: list[str], nearby_km: float | None = NEARBY_KM,
               limit: int = MAX_ITEMS, added: Sequence[str] = (), index=None) -> Plan:
    """The plan for the raw `o` parameter values (plus `added` items); never raises on bad input.

    `nearby_km` None skips the nearby suggestions (the calendar file does not show them).

    `added` items come from "add to plan" links that do not know the plan: one already
    in it is simply not added again, rather than reported as a duplicate.
    """
    keys, notices = normalise(catalog, values, added, limit)
    stops = [_stop(catalog, key, position) for position, key in enumerate(keys)]
    days: list[Day] = []
    memo: dict[str, list[str]] = {}
    for day in sorted({s.day for s in stops}):
        todays = _arranged([s for s in stops if s.day == day], catalog)
        days.append(Day(day, todays, _legs(todays, catalog), _conflicts(todays, catalog),
                        [] if nearby_km is None else _nearby(todays, day, catalog, nearby_km, index, memo)))
    return Plan(keys, days, notices)


def normalise(catalog: Catalog, values: list[str], added: Sequence[str] = (),
              limit: int = MAX_ITEMS) -> tuple[list[str], list[Notice]]:
    """The plan's clean keys and notices: everything its page depends on besides the catalog
    (the page cache's key, so that two spellings of one plan are rendered once)."""
    present = {item.strip() for value in values for item in value.split(",")}
    fresh = [item.strip() for value in added for item in value.split(",") if item.strip() not in present]
    return parse_keys([*values, ",".join(fresh)], catalog, limit)


def with_item(keys: list[str], key: str) -> list[str]:
    """The plan with `key` added (once)."""
    return keys if key in keys else [*keys, key]


def without_item(keys: list[str], key: str) -> list[str]:
    """The plan with `key` taken out."""
    return [k for k in keys if k != key]


def swapped(keys: list[str], a: str, b: str) -> list[str]:
    """The plan with items `a` and `b` trading places (how a stop moves past its neighbour)."""
    if a not in keys or b not in keys:
        return keys
    reordered = list(keys)
    i, j = keys.index(a), keys.index(b)
    reordered[i], reordered[j] = b, a
    return reordered
