"""iCalendar feeds: Catalog + language + selection -> bytes (no Flask).

A lunar event (`RSCALE=CHINESE`) is the exception to one VEVENT per event: no client
expands RSCALE correctly, so it is written as one plain VEVENT per occurrence (see
`lunar_vevents` and ../shared/data/lunar-notes.md, form A).

Written for subscriptions that last years (see ../shared/data/ical-notes.md):
one VEVENT per event with RRULE/EXDATE, UIDs `<event-id>@<host>`, TZID'd times
(never floating), exclusive all-day DTEND, UNTIL in UTC, and SEQUENCE/DTSTAMP
from the revision ledger so the same content always gives the same bytes.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import icalendar
from icalendar import vCategory, vDuration, vRecur, vText

from . import feedwindow, links, rules
from .model import Catalog, Event, Occurrence, Text
from .recurrence import lunar_rule, occurrence_on
from .revisions import EPOCH, Ledger, Revision
from .rule import GregorianRule, Rule, parse_until
from .text import punctuation

PRODID = "-//North Canal Events//canal-events//EN"
# Content changes a few times a month; clients that honour a hint poll four times a day.
REFRESH = timedelta(hours=6)
LABELS = {
    "zh": {"price": "费用", "organiser": "主办", "more": "详情", "page": "活动页面"},
    "en": {"price": "Price", "organiser": "Organiser", "more": "More", "page": "Event page"},
}

# RFC 5545 has no "postponed": a postponed event's date is not firm (TENTATIVE); a
# rescheduled one is confirmed at its new time (the ledger raises SEQUENCE for the move).
ICAL_STATUS = {"confirmed": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE",
               "rescheduled": "CONFIRMED"}


# JavaScript's "." does not match U+2028/U+2029, so node-ical silently drops any property
# holding one (an event without a title). They mean a line break: write them as one.
_LINE_SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})


def feed_text(value: str) -> str:
    """Content text as an iCalendar TEXT value: Unicode line separators become line breaks."""
    if "\u2028" in value or "\u2029" in value:  # rare: looking is much cheaper than translating
        return value.translate(_LINE_SEPARATORS)
    return value


def _label(lang: str) -> dict:
    return LABELS["en" if lang == "en" else "zh"]


@dataclass(frozen=True)
class Selection:
    """Which events a feed holds, and what the subset is called (None: all events)."""

    kind: str
    id: str | None
    events: tuple[Event, ...]
    name: Text | None


@dataclass(frozen=True)
class Feed:
    """A serialized calendar with its HTTP validators."""

    body: bytes
    last_modified: datetime
    filename: str
    etag: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "etag", hashlib.sha256(self.body).hexdigest())


def select(catalog: Catalog, kind: str, id: str | None = None) -> Selection:
    """The events of one feed; KeyError for an unknown kind or id."""
    if kind == "all":
        return Selection(kind, None, tuple(catalog.events.values()), None)
    if id is None:
        raise KeyError(kind)  # every other kind names one area, site, category or event
    if kind == "areas":
        return Selection(kind, id, tuple(catalog.events_in_area(id)), catalog.areas[id].name)
    if kind == "sites":
        return Selection(kind, id, tuple(catalog.events_at(id)), catalog.sites[id].name)
    if kind == "categories":
        return Selection(kind, id, tuple(catalog.events_in_category(id)),
                         catalog.categories[id].name)
    if kind == "events":
        event = catalog.events[id]
        return Selection(kind, id, (event,), event.title)
    raise KeyError(kind)


def feed_path(kind: str, id: str | None, lang: str) -> str:
    """The public path of a feed: /feeds/all.ics, /en/feeds/sites/<id>.ics, /events/<id>.ics."""
    if kind == "all":
        return f"{links.prefix(lang)}/feeds/all.ics"
    if kind == "events":
        return f"{links.prefix(lang)}/events/{id}.ics"
    return f"{links.prefix(lang)}/feeds/{kind}/{id}.ics"


def event_page_url(catalog: Catalog, event: Event, lang: str) -> str:
    """The absolute URL of the event's page, from meta.base_url (never the request host)."""
    return f"{catalog.meta.base_url}{links.prefix(lang)}/events/{event.id}/"


def location_text(catalog: Catalog, event: Event, lang: str) -> str:
    """Site name, area and address, in one line for calendar apps and map lookups."""
    site = catalog.site_of(event)
    parts = [site.name.get(lang), catalog.area_of(event).name.get(lang)]
    if site.address is not None:
        parts.append(site.address.get(lang))
    return punctuation(lang)["comma"].join(parts)


def description_text(catalog: Catalog, event: Event, lang: str) -> str:
    """The event's description, price, organiser and links; ends with the event page URL."""
    label, colon = _label(lang), punctuation(lang)["colon"]
    lines = []
    if event.description is not None:
        lines.append(event.description.get(lang))
    for key, value in (("price", event.price), ("organiser", event.organiser)):
        if value is not None:
            lines.append(f"{label[key]}{colon}{value.get(lang)}")
    if event.url:
        lines.append(f"{label['more']}{colon}{event.url}")
    lines.append(f"{label['page']}{colon}{event_page_url(catalog, event, lang)}")
    return "\n".join(lines)


def rrule_text(event: Event, catalog: Catalog) -> str:
    """The event's `repeat` as an RRULE value for a feed: a bounded series as COUNT.

    Editors write UNTIL as a local last day (inclusive) or local date-time. rrule.js (inside
    many web calendars) loses the last date of an UNTIL-bounded series whose DTSTART has a
    TZID, so the feed says how many dates instead: the same series, as the loader makes sure
    DTSTART is the rule's first date (RFC 5545 counts DTSTART, and EXDATEs are taken out
    after COUNT). Lunar rules keep UNTIL: they are published as single dates anyway.
    """
    assert event.rule is not None, "rrule_text is for recurring events"
    return _rrule_for_feed(event.rule, event.all_day, catalog.tz)


@lru_cache(maxsize=4096)
def _rrule_for_feed(rule: Rule, all_day: bool, tz: ZoneInfo) -> str:
    parts = []
    for name, value in rule.parts:
        if name == "UNTIL" and isinstance(rule, GregorianRule):
            name, value = "COUNT", str(rule.number_of_dates())
        elif name == "UNTIL":
            # RFC 5545 wants UNTIL in UTC when DTSTART has a TZID, a DATE when it is a DATE.
            local, bare_date = parse_until(value, tz)
            if all_day:
                value = f"{local:%Y%m%d}"
            else:
                if bare_date:
                    local = local.replace(hour=23, minute=59, second=59)
                utc = local.replace(tzinfo=tz).astimezone(UTC)
                value = f"{utc:%Y%m%dT%H%M%SZ}"
        parts.append(f"{name}={value}")
    return ";".join(parts)


def _exdates(event: Event) -> list[date | datetime]:
    """Skipped dates in DTSTART's form: dates for all-day, TZID'd start times otherwise."""
    clock = event.when.clock
    if clock is None:
        return list(event.except_dates)
    return [datetime.combine(day, clock[0].time(), clock[0].tzinfo) for day in event.except_dates]


def vevent_for(event: Event, catalog: Catalog, lang: str, revision: Revision,
               occurrence: Occurrence | None = None) -> icalendar.Event:
    """One VEVENT: the whole series, or with `occurrence` just that date (for trip plans).

    A single-occurrence VEVENT has its own UID `<event-id>-<yyyymmdd>@<host>` and no
    RRULE, so it can sit in a calendar of hand-picked dates without clashing with
    the series in a subscription.
    """
    host = catalog.meta.host
    stamp = revision.modified.astimezone(UTC)
    vevent = icalendar.Event()
    if occurrence is None:
        vevent.add("UID", f"{event.id}@{host}")
        when = event.when
    else:
        vevent.add("UID", f"{event.id}-{occurrence.day:%Y%m%d}@{host}")
        when = occurrence.when
    vevent.add("DTSTAMP", stamp)
    vevent.add("LAST-MODIFIED", stamp)
    vevent.add("SEQUENCE", revision.sequence)
    vevent.add("SUMMARY", _Text(event.title.get(lang)))
    vevent.add("DTSTART", when.start)
    # All-day `end` is the last day inclusive; iCalendar's DTEND is exclusive.
    vevent.add("DTEND", when.exclusive_end)
    if occurrence is None and event.recurring:
        vevent.add("RRULE", vRecur.from_ical(rrule_text(event, catalog)))
        if event.except_dates:
            vevent.add("EXDATE", _exdates(event))
    if event.all_day:
        vevent.add("TRANSP", "TRANSPARENT")
    vevent.add("STATUS", ICAL_STATUS[event.status])
    vevent.add("LOCATION", _Text(location_text(catalog, event, lang)))
    site = catalog.site_of(event)
    vevent.add("GEO", (site.lat, site.lon))
    vevent.add("URL", event_page_url(catalog, event, lang))
    vevent.add("CATEGORIES", _Categories([catalog.categories[c].name.get(lang) for c in event.categories]))
    vevent.add("DESCRIPTION", _Text(description_text(catalog, event, lang)))
    return vevent


# Lunar occurrences are published from the event's start up to this many years after the
# current one (or the rule's end): later dates are uncertain (lunar-notes.md: 2057, 2089)
# and the feed stays small. The horizon moves on 1 January, when the feed changes.
HORIZON_YEARS = 3
# An excepted lunar occurrence stays in the feed as STATUS:CANCELLED until the end of the
# year after its own, so clients that had it remove it instead of keeping a stale copy.
CANCELLED_GRACE_YEARS = 1


def lunar_uid(event: Event, catalog: Catalog, lunar_year: int, day: date,
              kept_day: date | None) -> str:
    """`<event-id>-<lunar year>@<host>`; `<event-id>@<host>` for the occurrence on
    `kept_day` (the one subscribers had before the event's rule became lunar).

    Keyed by lunar year, not date, so a date that moves is an update, not a new event."""
    host = catalog.meta.host
    if day == kept_day:
        return f"{event.id}@{host}"
    return f"{event.id}-{lunar_year}@{host}"


def lunar_published(event: Event, catalog: Catalog, horizon_year: int | None,
                    kept_day: date | None = None,
                    window: feedwindow.Window | None = None) -> list[tuple[str, Occurrence, bool]]:
    """(UID, occurrence, cancelled) of each VEVENT a lunar event puts in the feeds.

    `horizon_year` is the current year (None: every date of the rule). Past occurrences
    stay; future ones go up to HORIZON_YEARS after it; an `except` date stays, cancelled,
    for CANCELLED_GRACE_YEARS. With a `window`, only the occurrences inside it (each
    VEVENT is judged by its own date)."""
    rule = lunar_rule(event)
    assert rule is not None, "lunar_published is for lunar events"
    skipped = set(event.except_dates)
    found = []
    for lunar_year, day in rule.dates(rule.first):
        if horizon_year is not None and day.year > horizon_year + HORIZON_YEARS:
            break
        excepted = day in skipped
        if excepted and horizon_year is not None and day.year < horizon_year - CANCELLED_GRACE_YEARS:
            continue
        occurrence = occurrence_on(event, day, catalog.tz)
        if window is not None and not window.keeps(occurrence):
            continue
        found.append((lunar_uid(event, catalog, lunar_year, day, kept_day),
                      occurrence, excepted or event.cancelled))
    return found


def lunar_vevents(event: Event, catalog: Catalog, lang: str, revision: Revision,
                  horizon_year: int | None, kept_day: date | None = None,
                  window: feedwindow.Window | None = None) -> list[icalendar.Event]:
    """A lunar event as plain VEVENTs, one per occurrence: no RRULE, RDATE or RSCALE.

    Every one carries the event's SEQUENCE and stamps (the ledger's schedule fingerprint
    covers the expanded dates), and its DESCRIPTION starts with the rule in words."""
    repeats = rules.describe(event, lang)
    vevents = []
    for uid, occurrence, cancelled in lunar_published(event, catalog, horizon_year, kept_day, window):
        vevent = vevent_for(event, catalog, lang, revision, occurrence)
        vevent["UID"] = vText(uid)
        vevent["STATUS"] = vText("CANCELLED" if cancelled else "CONFIRMED")
        vevent["DESCRIPTION"] = _Text(repeats + "\n" + description_text(catalog, event, lang))
        vevents.append(vevent)
    return vevents


def uids_of(event: Event, catalog: Catalog, ledger: Ledger, horizon_year: int | None = None) -> list[str]:
    """The UIDs of the VEVENTs the event puts in a feed: one, or one per lunar occurrence."""
    if lunar_rule(event) is None:
        return [f"{event.id}@{catalog.meta.host}"]
    kept = ledger.kept_uid_day(event, catalog)
    return [uid for uid, _, _ in lunar_published(event, catalog, horizon_year, kept)]


def event_id_of(uid: str, catalog: Catalog) -> str:
    """The event id in one of our UIDs (`<id>@host`, `<id>-<lunar year>@host`)."""
    name = uid.rsplit("@", 1)[0]
    if name in catalog.events:
        return name
    return name.rsplit("-", 1)[0]


def _text(value: str) -> str:
    """Content as RFC 5545 TEXT: `feed_text`, then `\\ ; ,` and line breaks escaped.

    As icalendar's vText does, but for one thing: vText first reads a backslash and
    capital N in its input as a line break, while content is plain text, where the
    two characters mean themselves (they are written `\\\\N`)."""
    return (feed_text(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


class _Text(vText):
    """An icalendar TEXT value escaped by `_text`, for the components built with icalendar."""

    def to_ical(self) -> bytes:
        return _text(str(self)).encode("utf-8")


class _Categories(vCategory):
    def to_ical(self) -> bytes:
        return ",".join(_text(str(category)) for category in self.cats).encode("utf-8")


def _line(name: str, value: str) -> bytes:
    """One content line, UTF-8, folded as icalendar folds it, ending in CRLF."""
    line = f"{name}:{value}".encode()
    return line + b"\r\n" if len(line) < 75 else _fold(line) + b"\r\n"


_CONTINUATION = 0b1000_0000  # UTF-8 bytes 10xxxxxx continue a character
_BACKSLASH, _CARET = ord("\\"), ord("^")


def _fold(line: bytes) -> bytes:
    """Fold a content line: at most 74 octets before each break, never inside a UTF-8
    character, and never inside an escape (`\\,` `\\;` `\\n` `\\\\`).

    icalendar folds the same way but for one case: it also moves a break that follows
    a complete `\\\\` back by one, splitting that escape, and Google then drops the event
    (icalendar#1501, ical-notes.md). Here a break moves back only after an odd run of
    backslashes, whose last one escapes the next character. Cuts are found on the
    encoded bytes, a few per line, rather than by counting octets per character."""
    pieces, start = [], 0
    while len(line) - start > 74:
        cut = start + 74
        while line[cut] & 0b1100_0000 == _CONTINUATION:
            cut -= 1
        backslashes = 0
        while cut - 1 - backslashes >= start and line[cut - 1 - backslashes] == _BACKSLASH:
            backslashes += 1
        if backslashes % 2 or (line[cut - 1] == _CARET and cut - 1 > start):
            cut -= 1  # the ^ rule is icalendar's (RFC 6868 parameter escapes); kept for identity
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)


def serialize(component: icalendar.cal.Component) -> bytes:
    """`component.to_ical()`, folded by `_fold`: icalendar's folding can split an escape."""
    lines = component.to_ical().replace(b"\r\n ", b"").split(b"\r\n")[:-1]
    return b"".join((_fold(line) if len(line) > 74 else line) + b"\r\n" for line in lines)


@lru_cache(maxsize=4096)
def _rrule_line(rule: str) -> bytes:
    # icalendar orders a rule's parts its own way; reuse its writer (few distinct rules).
    return _line("RRULE", vRecur.from_ical(rule).to_ical().decode())


def _when(value: date | datetime) -> tuple[str, str]:
    """(parameters, value) of a DTSTART-like property: a DATE, or a local time with TZID."""
    # %-formatting: four times faster than strftime, and years are 2000-2100 (the loader).
    if isinstance(value, datetime):
        return (f";TZID={_zone_key(value)}", f"{value.year:04d}{value.month:02d}{value.day:02d}T"
                f"{value.hour:02d}{value.minute:02d}{value.second:02d}")
    return ";VALUE=DATE", f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _zone_key(value: datetime) -> str:
    # Event times carry the catalog's ZoneInfo (the loader gives every time one).
    zone = value.tzinfo
    if not isinstance(zone, ZoneInfo):
        raise ValueError(f"{value.isoformat()} has no IANA time zone")
    return zone.key


@lru_cache(maxsize=1024)
def _utc_stamp(moment: datetime) -> str:
    # Cached: a ledger holds few distinct stamps (one per `flask canal revisions` run).
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


@dataclass(frozen=True)
class _SharedLines:
    """The lines of a VEVENT that every language shares, serialized.

    icalendar writes properties in a fixed order, in which these come in three runs
    between the translated ones (SUMMARY | DTSTART…EXDATE | CATEGORIES DESCRIPTION |
    GEO LAST-MODIFIED | LOCATION | STATUS TRANSP | URL).
    """

    schedule: bytes  # DTSTART, DTEND, DTSTAMP, UID, SEQUENCE, RRULE, EXDATE
    stamps: bytes  # GEO, LAST-MODIFIED
    status: bytes  # STATUS, TRANSP


def _shared_lines(event: Event, catalog: Catalog, revision: Revision) -> _SharedLines:
    stamp = _utc_stamp(revision.modified)
    start_params, start = _when(event.start)
    end_params, end = _when(event.when.exclusive_end)
    schedule = [_line("DTSTART" + start_params, start), _line("DTEND" + end_params, end),
                f"DTSTAMP:{stamp}\r\n".encode(), _line("UID", f"{event.id}@{catalog.meta.host}"),
                f"SEQUENCE:{revision.sequence}\r\n".encode()]
    if event.recurring:
        schedule.append(_rrule_line(rrule_text(event, catalog)))
        if event.except_dates:
            skipped = [_when(day) for day in _exdates(event)]
            schedule.append(_line("EXDATE" + skipped[0][0], ",".join(value for _, value in skipped)))
    site = catalog.site_of(event)
    stamps = f"GEO:{site.lat};{site.lon}\r\nLAST-MODIFIED:{stamp}\r\n".encode()
    status = f"STATUS:{ICAL_STATUS[event.status]}\r\n".encode()
    if event.all_day:
        status += b"TRANSP:TRANSPARENT\r\n"
    return _SharedLines(b"".join(schedule), stamps, status)


def _location_line(catalog: Catalog, event: Event, lang: str) -> bytes:
    return _line("LOCATION", _text(location_text(catalog, event, lang)))


def _categories_line(catalog: Catalog, event: Event, lang: str) -> bytes:
    return _line("CATEGORIES", ",".join(_text(catalog.categories[c].name.get(lang))
                                        for c in event.categories))


def _vevent_bytes(event: Event, catalog: Catalog, lang: str, shared: _SharedLines,
                  location: bytes, categories: bytes) -> bytes:
    """A VEVENT from its lines: the shared ones, LOCATION and CATEGORIES given, the rest made."""
    return b"".join((
        b"BEGIN:VEVENT\r\n", _line("SUMMARY", _text(event.title.get(lang))), shared.schedule,
        categories, _line("DESCRIPTION", _text(description_text(catalog, event, lang))),
        shared.stamps, location, shared.status,
        _line("URL", event_page_url(catalog, event, lang)), b"END:VEVENT\r\n"))


def vevent_bytes(event: Event, catalog: Catalog, lang: str, revision: Revision) -> bytes:
    """`serialize(vevent_for(event, …))`, written directly: about 15 times faster.

    Feeds of a large catalog serialize every event once per language; icalendar's
    general machinery made that the slowest part of start-up. The output is the same
    to the byte (tests compare them for every event of several catalogs), so icalendar
    stays the reference for what goes into a VEVENT, in which order and form; TEXT
    escaping (`_text`) and folding (`_fold`) are ours in both, each tested on its own.
    """
    return _vevent_bytes(event, catalog, lang, _shared_lines(event, catalog, revision),
                         _location_line(catalog, event, lang), _categories_line(catalog, event, lang))


@cache
def _vtimezone_bytes(tzid: str) -> bytes:
    # From 2000 on, Shanghai is one +0800 STANDARD block (no 1986-91 DST RDATEs, which
    # Outlook mishandles); computing it takes ~0.1 s, so it is done once per zone.
    zone = icalendar.Timezone.from_tzid(tzid, first_date=date(2000, 1, 1))
    # icalendar adds a COMMENT ("only works from 2000 to 2038") that RFC 5545 does not allow
    # in a VTIMEZONE itself: libical's restriction check fails every feed on it. (Shanghai's
    # one STANDARD block has no end, so the note does not even apply here.)
    zone.pop("COMMENT", None)
    return zone.to_ical()


def vtimezone(tzid: str) -> icalendar.Timezone:
    """A fresh VTIMEZONE component for `tzid`, valid from 2000."""
    zone = icalendar.Timezone.from_ical(_vtimezone_bytes(tzid))
    if not isinstance(zone, icalendar.Timezone):  # from_ical is typed for any component
        raise ValueError(f"no VTIMEZONE for {tzid}")
    return zone


def calendar(catalog: Catalog, lang: str, vevents, name: str, description: str) -> icalendar.Calendar:
    """A VCALENDAR holding `vevents`, with names, refresh hints and the Shanghai VTIMEZONE."""
    cal = icalendar.Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    # No METHOD:PUBLISH: it requires an ORGANIZER (an address) on every event, which
    # the content does not have; without METHOD the file is a plain published calendar.
    # Text values throughout: icalendar 7 writes NAME and X-WR-* unescaped otherwise, and
    # a newline in an event title would then break the file (ical-notes.md).
    cal.add("NAME", _Text(name))
    cal.add("X-WR-CALNAME", _Text(name))
    cal.add("DESCRIPTION", _Text(description))
    cal.add("X-WR-CALDESC", _Text(description))
    cal.add("X-WR-TIMEZONE", vText(catalog.tz.key))
    cal.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    cal.add_component(vtimezone(catalog.tz.key))
    for vevent in vevents:
        cal.add_component(vevent)
    return cal


def calendar_name(catalog: Catalog, selection: Selection, lang: str) -> str:
    """"北运河文旅活动 · 香河中心码头": the site's name, then the subset's."""
    name = catalog.meta.name.get(lang)
    return name if selection.name is None else f"{name} · {selection.name.get(lang)}"


END_CALENDAR = b"END:VCALENDAR\r\n"
_NAME_LINES = b"\r\nNAME:\r\nX-WR-CALNAME:\r\n"


def _name_lines(name: str) -> bytes:
    """NAME and X-WR-CALNAME as serialized lines, as `calendar()` writes them."""
    text = _text(name)
    return _line("NAME", text) + _line("X-WR-CALNAME", text)


def _shell(catalog: Catalog, lang: str) -> tuple[bytes, bytes]:
    """The calendar around the events, split where the feed's name goes."""
    whole = serialize(calendar(catalog, lang, [], "", catalog.meta.description.get(lang)))
    cut = whole.index(_NAME_LINES) + 2
    return whole[:cut], whole[cut + len(_NAME_LINES) - 2:-len(END_CALENDAR)]


class FeedPieces:
    """Serialized pieces shared by every feed of one catalog and ledger.

    An event sits in up to five feeds per language (all, area, site, category, its own);
    most of its VEVENT is the same in both languages; events at one site share their
    LOCATION, and a few sets of CATEGORIES serve all events; every feed shares the
    calendar's header and VTIMEZONE. Kept here, building every feed costs one
    fingerprint per event and one serialization per event and language.
    """

    def __init__(self, catalog: Catalog, ledger: Ledger, horizon_year: int | None = None,
                 window: feedwindow.Window | None = None):
        self.catalog = catalog
        self.ledger = ledger
        self.horizon_year = horizon_year  # for lunar events' rolling horizon
        self.window = window  # lunar VEVENTs are kept or dropped one by one
        self._revisions: dict[str, Revision] = {}
        self._shared: dict[str, _SharedLines] = {}
        self._locations: dict[tuple[str, str], bytes] = {}  # by site id and language
        self._categories: dict[tuple[tuple[str, ...], str], bytes] = {}
        self._vevents: dict[str, dict[str, bytes]] = {}  # by language, then event id
        self._shells: dict[str, tuple[bytes, bytes]] = {}

    def revision(self, event: Event) -> Revision:
        # A ledger lookup fingerprints the event: once per catalog.
        return self._revisions.get(event.id) or _kept(
            self._revisions, event.id, lambda: self.ledger.revision_of(event, self.catalog))

    def vevents(self, events, lang: str) -> list[bytes]:
        """The serialized VEVENTs of `events` in `lang`."""
        made = self._vevents.setdefault(lang, {})
        return [made.get(event.id) or self._vevent(event, lang, made) for event in events]

    def _vevent(self, event: Event, lang: str, made: dict[str, bytes]) -> bytes:
        catalog = self.catalog
        if lunar_rule(event) is not None:
            # Few events and one VEVENT per year each: icalendar's writer is fast enough.
            made[event.id] = b"".join(serialize(v) for v in lunar_vevents(
                event, catalog, lang, self.revision(event), self.horizon_year,
                self.ledger.kept_uid_day(event, catalog), self.window))
            return made[event.id]
        shared = _kept(self._shared, event.id,
                       lambda: _shared_lines(event, catalog, self.revision(event)))
        location = _kept(self._locations, (event.site, lang),
                         lambda: _location_line(catalog, event, lang))
        categories = _kept(self._categories, (event.categories, lang),
                           lambda: _categories_line(catalog, event, lang))
        made[event.id] = _vevent_bytes(event, catalog, lang, shared, location, categories)
        return made[event.id]

    def shell(self, lang: str) -> tuple[bytes, bytes]:
        return _kept(self._shells, lang, lambda: _shell(self.catalog, lang))


def _kept(store: dict, key, make):
    """store[key], made and stored on first use."""
    value = store.get(key)
    if value is None:
        value = store[key] = make()
    return value


def build_feed(catalog: Catalog, lang: str, selection: Selection, ledger: Ledger,
               pieces: FeedPieces | None = None) -> Feed:
    """Serialize one feed; the same catalog, ledger and language always give the same bytes.

    The bytes are exactly `serialize(calendar(…))`, assembled from pieces; pass the same
    `pieces` (one per catalog and ledger) to share them between feeds.
    """
    pieces = FeedPieces(catalog, ledger) if pieces is None else pieces
    before, after = pieces.shell(lang)
    body = b"".join([before, _name_lines(calendar_name(catalog, selection, lang)), after,
                     *pieces.vevents(selection.events, lang), END_CALENDAR])
    last_modified = max((pieces.revision(event).modified for event in selection.events), default=EPOCH)
    stem = "all" if selection.id is None else f"{selection.kind}-{selection.id}"
    filename = f"{stem}-en.ics" if lang == "en" else f"{stem}.ics"
    return Feed(body, last_modified, filename)


class FeedCache:
    """Feeds built on first request and kept: they hold no "now", so they never go stale.

    The exceptions are the year, which moves lunar events' horizon, and the local date,
    which moves the feed window (canal.feedwindow): `get` takes both (from the view's
    clock), and feeds are kept per year and day, so they change at most once a day.
    """

    def __init__(self, catalog: Catalog, ledger: Ledger, window_days: int = feedwindow.DEFAULT_DAYS):
        self.catalog = catalog
        self.ledger = ledger
        self.window_days = window_days
        self._feeds: dict[tuple, Feed] = {}
        self._pieces: dict[tuple, FeedPieces] = {}
        self._window: feedwindow.Window | None = None  # the latest day asked for
        self._lock = threading.Lock()

    def get(self, lang: str, kind: str, id: str | None = None, year: int | None = None,
            today: date | None = None) -> Feed:
        """The feed for (lang, kind, id) in `year` (None: lunar events without a horizon)
        on local date `today` (None: no window, every event); KeyError for an unknown kind or id."""
        window = None if today is None else feedwindow.Window(today, self.window_days)
        if window is not None and (self._window is None or window.today > self._window.today):
            with self._lock:
                # A new day: yesterday's feeds will not be asked for again (those without a
                # window, which tests and the benchmark ask for, stay). dict() copies in one
                # step, so a thread adding a feed meanwhile cannot break the filtering.
                feeds, pieces = dict(self._feeds), dict(self._pieces)
                self._feeds = {k: v for k, v in feeds.items() if k[-1] is None or k[-1] == window}
                self._pieces = {k: v for k, v in pieces.items() if k[-1] is None or k[-1] == window}
                self._window = window
        key = (lang, kind, id, year, window)
        feed = self._feeds.get(key)
        if feed is None:
            # Two threads may both build it once; the bytes are identical, so that is harmless.
            pieces = _kept(self._pieces, (year, window),
                           lambda: FeedPieces(self.catalog, self.ledger, year, window))
            selection = select(self.catalog, kind, id)
            left = None
            if window is not None:
                events, left = window.narrow(selection.events, self.catalog.tz)
                selection = replace(selection, events=events)
            feed = build_feed(self.catalog, lang, selection, self.ledger, pieces)
            if left is not None and left > feed.last_modified:
                # The bytes changed when the window dropped something: so does Last-Modified.
                feed = Feed(feed.body, left, feed.filename)
            self._feeds[key] = feed
        return feed
