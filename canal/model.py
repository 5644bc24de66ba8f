"""The content of the site as immutable values: areas, categories, sites, events.

Nothing here knows about files, HTTP or Flask. A `Catalog` is built once by
`canal.loader` and then only read.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .span import TimeSpan

if TYPE_CHECKING:  # canal.rule reads FIRST_YEAR/LAST_YEAR from here
    from .holidays import Holidays
    from .rule import Rule

# The years the site deals in: content, URLs and filters outside them are mistakes.
FIRST_YEAR, LAST_YEAR = 2000, 2100
STATUSES = ("confirmed", "cancelled", "postponed", "rescheduled")
# Statuses that move an event: the editor records where it was (`previous_start`).
MOVED_STATUSES = ("postponed", "rescheduled")


@dataclass(frozen=True)
class Text:
    """A bilingual text; English falls back to Chinese when it is missing."""

    zh: str
    en: str | None = None

    def get(self, lang: str) -> str:
        """The text in `lang` ("zh" or "en"), falling back to Chinese."""
        if lang == "en" and self.en:
            return self.en
        return self.zh

    def __str__(self) -> str:
        return self.zh


@dataclass(frozen=True)
class Meta:
    name: Text
    description: Text
    timezone: ZoneInfo
    base_url: str
    bbox: tuple[float, float, float, float]  # min_lat, min_lon, max_lat, max_lon
    # Set only for a copy served at another address (see served_at).
    identity_host: str | None = None
    # Sites allowed to frame /embed/… pages (canal.embed.frame_ancestors); empty: only us.
    embed_origins: tuple[str, ...] = ()

    @property
    def host(self) -> str:
        """The host that makes feed UIDs and Atom ids unique in the world: base_url's,
        or for a copy served elsewhere, the original's (ids never change)."""
        return self.identity_host or self.base_url.split("://", 1)[-1].split("/", 1)[0]

    def served_at(self, base_url: str) -> Meta:
        """This meta for a copy of the site at `base_url` (a static export on a CDN):
        links point there, while event identities stay those of the original."""
        return replace(self, base_url=base_url.rstrip("/"), identity_host=self.host)


@dataclass(frozen=True)
class Area:
    id: str
    name: Text


@dataclass(frozen=True)
class Category:
    id: str
    name: Text


@dataclass(frozen=True)
class Sourced:
    """A bilingual visitor fact (how to get there, parking) and where it comes from."""

    text: Text
    source: str | None = None

    def get(self, lang: str) -> str:
        return self.text.get(lang)


@dataclass(frozen=True)
class Entrance:
    """A named way in with its own point (a museum gate, a pier), WGS-84."""

    name: Text
    lat: float
    lon: float
    source: str | None = None


# OSM-style accessibility keys and the values each one takes.
ACCESSIBILITY_KEYS = {
    "wheelchair": ("yes", "limited", "no"),
    "toilets_wheelchair": ("yes", "no"),
    "step_free": ("yes", "limited", "no"),
    "hearing_loop": ("yes", "no"),
}


@dataclass(frozen=True)
class Accessibility:
    """What a visitor with a wheelchair, a pram or a hearing aid can count on."""

    values: tuple[tuple[str, str], ...]  # (key, value) in ACCESSIBILITY_KEYS order
    note: Text | None = None
    source: str | None = None

    def value(self, key: str) -> str | None:
        return dict(self.values).get(key)


@dataclass(frozen=True)
class Booking:
    """How to book: required or not, and every channel known (phone for those without a smartphone)."""

    required: bool = False
    url: str | None = None
    miniprogram: Text | None = None       # WeChat mini-program name (search it in WeChat)
    official_account: Text | None = None  # WeChat official account (公众号) name
    phone: str | None = None
    opens: Text | None = None             # when booking opens, as the organiser says it
    note: Text | None = None
    source: str | None = None

    @property
    def channels(self) -> bool:
        return bool(self.url or self.miniprogram or self.official_account or self.phone)


@dataclass(frozen=True)
class Site:
    id: str
    name: Text
    area: str
    kind: Text
    lat: float
    lon: float
    precision_m: int
    description: Text
    address: Text | None = None
    url: str | None = None
    source: str | None = None
    position_source: str | None = None  # the evidence for lat/lon (data/SITES.md)
    off_canal: str | None = None        # why a site on the water is away from the canal line
    opening_hours: str | None = None  # OpenStreetMap opening_hours syntax, checked by canal.hours
    last_entry: time | int | None = None  # a clock time, or minutes before closing
    hours_source: str | None = None
    entrances: tuple[Entrance, ...] = ()
    transport: Sourced | None = None
    parking: Sourced | None = None
    accessibility: Accessibility | None = None
    booking: Booking | None = None
    phone: str | None = None

    # From a kilometre the point is a neighbourhood, not a doorstep: say so to visitors.
    # Below it (150–800 m in data/SITES.md) a plain marker is honest at the zooms we use.
    APPROXIMATE_FROM_M = 1000

    @property
    def approximate(self) -> bool:
        return self.precision_m >= self.APPROXIMATE_FROM_M


@dataclass(frozen=True)
class Event:
    """One event as the editor wrote it.

    `start`/`end` are both `date` (all-day; `end` is the last day, inclusive) or
    both aware `datetime` in the catalog's time zone (`end` exclusive, as clocks are);
    `when` is the two as a TimeSpan, which answers every question about them.
    `rule` is `repeat` as the loader read it (canal.rule), None for a one-off event.
    """

    id: str
    title: Text
    site: str
    categories: tuple[str, ...]
    start: date | datetime
    end: date | datetime
    repeat: str | None = None
    except_dates: tuple[date, ...] = ()
    status: str = "confirmed"
    description: Text | None = None
    url: str | None = None
    organiser: Text | None = None
    price: Text | None = None
    source: str | None = None
    booking: Booking | None = None
    previous_start: date | datetime | None = None  # where a postponed/rescheduled event was
    ends_at: str | None = None  # the site a boat trip or walk ends at (None: where it starts)
    rule: Rule | None = None

    # Editions (issue 19): the ids of the next / previous edition, when the editor names them.
    next: str | None = None
    previous: str | None = None

    def __post_init__(self) -> None:
        if self.repeat is None:
            object.__setattr__(self, "rule", None)
        elif self.rule is None or (self.rule.text, self.rule.start) != (self.repeat, self.start):
            # A copy with another `repeat` or `start` (dataclasses.replace: tools, tests) gets
            # its rule from the same parser, in the zone the first one was read in, so `rule`
            # never disagrees with `repeat`. Only the loader judges an editor's rule (with
            # file and line, strictly); here a text it cannot read leaves no rule at all.
            from .rule import RuleError, parse
            zone = getattr(self.rule, "tz", None) or getattr(self.start, "tzinfo", None) or ZoneInfo("UTC")
            try:
                object.__setattr__(self, "rule", parse(self.repeat, self.start, zone, strict=False))
            except RuleError:
                object.__setattr__(self, "rule", None)

    @cached_property
    def when(self) -> TimeSpan:
        return TimeSpan(self.start, self.end)

    @property
    def moved(self) -> bool:
        return self.status in MOVED_STATUSES

    @property
    def all_day(self) -> bool:
        return self.when.all_day

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def recurring(self) -> bool:
        return self.rule is not None

    @property
    def duration(self) -> timedelta:
        """How long one occurrence lasts (all-day: whole days, last day included)."""
        return self.when.duration

    @property
    def first_day(self) -> date:
        """The local date the event (its first occurrence) begins on."""
        return self.when.first_day


@dataclass(frozen=True)
class Occurrence:
    """One concrete time an event happens.

    For all-day events `start`/`end` are dates and `end` is the last day,
    inclusive; for timed events they are aware datetimes.
    """

    event: Event
    start: date | datetime
    end: date | datetime

    @classmethod
    def of(cls, event: Event, when: TimeSpan) -> Occurrence:
        occurrence = cls(event, when.start, when.end)
        occurrence.__dict__["when"] = when  # the cached_property below, already known
        return occurrence

    @cached_property
    def when(self) -> TimeSpan:
        return TimeSpan(self.start, self.end)

    @property
    def cancelled(self) -> bool:
        return self.event.cancelled

    @property
    def day(self) -> date:
        """The local date the occurrence begins on."""
        return self.when.first_day

    @property
    def key(self) -> str:
        """`<event-id>@<yyyy-mm-dd>`: names this occurrence in URLs (the trip plan)."""
        return f"{self.event.id}@{self.day.isoformat()}"

    def span(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The occurrence as a half-open interval of aware datetimes."""
        return self.when.interval(tz)

    def days(self) -> list[date]:
        """Every local date this occurrence touches (a festival shows on each day)."""
        return self.when.days()


@dataclass(frozen=True)
class Catalog:
    """Everything in events.toml, validated. Mappings keep the file's order."""

    meta: Meta
    areas: Mapping[str, Area]
    categories: Mapping[str, Category]
    sites: Mapping[str, Site]
    events: Mapping[str, Event]
    path: str = "events.toml"
    # China's public holidays as announced (none when not given).
    holidays: Holidays = None  # type: ignore[assignment]  # None only until __post_init__ sets EMPTY

    def __post_init__(self) -> None:
        for name in ("areas", "categories", "sites", "events"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        if self.holidays is None:
            from .holidays import EMPTY  # holidays imports this module
            object.__setattr__(self, "holidays", EMPTY)

    @property
    def tz(self) -> ZoneInfo:
        return self.meta.timezone

    def served_at(self, base_url: str) -> Catalog:
        """The same content for a copy of the site at `base_url` (see Meta.served_at)."""
        return replace(self, meta=self.meta.served_at(base_url))

    def site_of(self, event: Event) -> Site:
        return self.sites[event.site]

    def end_site_of(self, event: Event) -> Site:
        """Where the visitor is when the event is over (a boat's arrival wharf)."""
        return self.sites[event.ends_at or event.site]

    def area_of(self, event: Event) -> Area:
        return self.areas[self.sites[event.site].area]

    def events_at(self, site_id: str) -> list[Event]:
        return list(self._index["sites"].get(site_id, ()))

    def events_in_area(self, area_id: str) -> list[Event]:
        return list(self._index["areas"].get(area_id, ()))

    def events_in_category(self, category_id: str) -> list[Event]:
        return list(self._index["categories"].get(category_id, ()))

    @cached_property
    def _index(self) -> dict[str, dict[str, list[Event]]]:
        # Built once: per-site and per-area pages and feeds would otherwise scan every
        # event for each of a thousand sites.
        index: dict[str, dict[str, list[Event]]] = {"sites": {}, "areas": {}, "categories": {}}
        for event in self.events.values():
            index["sites"].setdefault(event.site, []).append(event)
            index["areas"].setdefault(self.sites[event.site].area, []).append(event)
            for category in event.categories:
                index["categories"].setdefault(category, []).append(event)
        return index
