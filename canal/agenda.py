"""What the agenda, the month grid and the JSON API show: filters, windows, pages.

No Flask: query parameters come in as a plain mapping of name -> list of values,
and every bad value raises `BadParameter`, which names the parameter, the value
and what is expected, so the view can answer 400 with a message a visitor reads.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from babel.dates import format_skeleton, get_day_names

from . import lunar, occurrence_index, recurrence
from .model import FIRST_YEAR, LAST_YEAR, Catalog, Event, Occurrence
from .span import ONE_DAY, end_of, midnight
from .text import locale_of

if TYPE_CHECKING:
    from .holidays import Holiday

# Long enough for any real question, short enough that expansion stays cheap.
MAX_SPAN_DAYS = 5 * 366
DEFAULT_DAYS_AHEAD = 366
MAX_QUERY_LENGTH = 100
PAGE_SIZE = 20
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{1,2})$")


class BadParameter(ValueError):
    """A query or path parameter with a value we cannot use.

    `expected` is a short kind ("area", "date", "after-from", "page", ...) that the
    view turns into a translated sentence; `details` fills that sentence in.
    """

    def __init__(self, parameter: str, value: str, expected: str, **details):
        self.parameter = parameter
        self.value = value
        self.expected = expected
        self.details = details
        super().__init__(f"{parameter}={value!r}: expected {expected} {details or ''}".strip())


@dataclass(frozen=True)
class Filter:
    """What a visitor asked the agenda for; empty fields mean "any"."""

    areas: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    start: date | None = None  # the `from` parameter
    end: date | None = None  # the `to` parameter, inclusive
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.areas or self.sites or self.categories or self.start or self.end or self.q)

    def query(self) -> list[tuple[str, str]]:
        """The filter as query parameters, in a fixed order (for links and the API)."""
        pairs = [("area", a) for a in self.areas] + [("site", s) for s in self.sites]
        pairs += [("category", c) for c in self.categories]
        if self.start:
            pairs.append(("from", self.start.isoformat()))
        if self.end:
            pairs.append(("to", self.end.isoformat()))
        if self.q:
            pairs.append(("q", self.q))
        return pairs


def _single(args: Mapping[str, Sequence[str]], name: str) -> str:
    values = [v for v in args.get(name, ()) if v.strip()]
    if len(values) > 1:
        raise BadParameter(name, ", ".join(values), "single", count=len(values))
    return values[0].strip() if values else ""


def parse_date(name: str, value: str) -> date:
    """A YYYY-MM-DD date within FIRST_YEAR..LAST_YEAR, or BadParameter naming `name`."""
    try:
        if not DATE_PATTERN.match(value):
            raise ValueError
        parsed = date.fromisoformat(value)
    except ValueError:
        raise BadParameter(name, value, "date", min=FIRST_YEAR, max=LAST_YEAR) from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise BadParameter(name, value, "date", min=FIRST_YEAR, max=LAST_YEAR)
    return parsed


def _ids(args: Mapping[str, Sequence[str]], name: str, known: Mapping) -> tuple[str, ...]:
    chosen: list[str] = []
    for value in args.get(name, ()):
        value = value.strip()
        if not value:
            continue  # the form's "any" choice
        if value not in known:
            raise BadParameter(name, value, name, choices=", ".join(known))
        if value not in chosen:
            chosen.append(value)
    return tuple(chosen)


# The query parameters parse_filter reads (pages that use it declare them: views/http.py).
FILTER_PARAMETERS = ("area", "site", "category", "from", "to", "q")


def parse_filter(args: Mapping[str, Sequence[str]], catalog: Catalog) -> Filter:
    """Read `area`, `site`, `category` (repeatable), `from`, `to`, `q` into a Filter."""
    start_text, end_text, q = _single(args, "from"), _single(args, "to"), _single(args, "q")
    start = parse_date("from", start_text) if start_text else None
    end = parse_date("to", end_text) if end_text else None
    if start and end and end < start:
        raise BadParameter("to", end_text, "after-from", start=start_text)
    if start and end and (end - start).days > MAX_SPAN_DAYS:
        raise BadParameter("to", end_text, "span", days=MAX_SPAN_DAYS)
    if len(q) > MAX_QUERY_LENGTH:
        raise BadParameter("q", q[:20] + "…", "q", max=MAX_QUERY_LENGTH)
    return Filter(
        areas=_ids(args, "area", catalog.areas),
        sites=_ids(args, "site", catalog.sites),
        categories=_ids(args, "category", catalog.categories),
        start=start,
        end=end,
        q=q,
    )


def parse_page(args: Mapping[str, Sequence[str]]) -> int:
    """The `page` parameter: a positive whole number, 1 when absent."""
    value = _single(args, "page")
    if not value:
        return 1
    if not value.isascii() or not value.isdigit() or int(value) < 1 or len(value) > 6:
        raise BadParameter("page", value, "page")
    return int(value)


def search_text(catalog: Catalog, event: Event) -> str:
    """What `q` is looked for in, casefolded: the event's title and description and its
    site's name, in both languages (a visitor may search "xianghe wharf" on the Chinese
    page). One line each, so no word is found across two of them."""
    site = catalog.site_of(event)
    texts = [event.title.zh, event.title.en, site.name.zh, site.name.en]
    if event.description:
        texts += [event.description.zh, event.description.en]
    return "\n".join(text for text in texts if text).casefold()


def search_terms(q: str) -> list[str]:
    """The words of a query: every one must be found (in any order, anywhere)."""
    return q.casefold().split()


def _has_every(text: str, terms: list[str]) -> bool:
    return all(term in text for term in terms)


def matching_events(catalog: Catalog, chosen: Filter) -> list[Event]:
    """Events passing every filter; within one parameter, any listed value matches."""
    terms = search_terms(chosen.q)
    found = []
    for event in catalog.events.values():
        if chosen.areas and catalog.sites[event.site].area not in chosen.areas:
            continue
        if chosen.sites and event.site not in chosen.sites:
            continue
        if chosen.categories and not set(chosen.categories) & set(event.categories):
            continue
        if terms and not _has_every(search_text(catalog, event), terms):
            continue
        found.append(event)
    return found


def window(chosen: Filter, now: datetime) -> tuple[datetime, datetime]:
    """The time span searched: from `from` (or now) to the end of `to` (or a year on)."""
    tz = now.tzinfo
    begin = midnight(chosen.start, tz) if chosen.start else now
    finish = (end_of(chosen.end, tz) if chosen.end
              else midnight(begin.date() + timedelta(days=DEFAULT_DAYS_AHEAD), tz))
    return begin, finish


def find(catalog: Catalog, chosen: Filter, now: datetime, index=None) -> list[Occurrence]:
    """The occurrences the agenda lists for `chosen`, in time order.

    `index` (an occurrence_index.OccurrenceIndex) answers without expanding rules again."""
    begin, finish = window(chosen, now)
    if finish <= begin:
        return []
    events: list[Event] | None = matching_events(catalog, chosen)
    if events is not None and len(events) == len(catalog.events):
        events = None  # every event: the index need not filter
    return occurrence_index.lookup(index, catalog, begin, finish, events)


def by_day(occurrences: list[Occurrence], first_day: date) -> list[tuple[date, list[Occurrence]]]:
    """Group by the day shown; something that began before `first_day` shows on it."""
    return [(day, list(items))
            for day, items in groupby(occurrences, key=lambda o: max(o.day, first_day))]


@dataclass(frozen=True)
class Page:
    """One page of a longer list."""

    items: list
    number: int
    count: int  # how many pages in all (at least 1)
    total: int  # how many items in all

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None


def paginate(items: list, number: int, size: int = PAGE_SIZE) -> Page:
    """Cut `items` into pages; a page past the last raises BadParameter("page")."""
    count = max(1, -(-len(items) // size))
    if number > count:
        raise BadParameter("page", str(number), "page-max", pages=count)
    return Page(items[(number - 1) * size:number * size], number, count, len(items))


# --- Month grid ------------------------------------------------------------------

@dataclass(frozen=True)
class Day:
    """One cell of the month grid."""

    date: date
    in_month: bool
    today: bool
    occurrences: list[Occurrence] = field(default_factory=list)
    # The lunar day, festival and solar term (lunar.DayNote), and the public holiday or
    # make-up working day (holidays.Holiday) it is part of.
    note: lunar.DayNote | None = None
    holiday: Holiday | None = None
    workday_for: Holiday | None = None
    # Multi-day occurrences, drawn once per week as a bar: one entry per lane of the week,
    # a Span (starting here when span.first == date, else running through) or None (free lane).
    lanes: tuple = ()
    # For each of `occurrences`: the other days of this week the same event is on at the same
    # time (listed at its first one), or None where this is such a later day. The phone's list
    # of weeks says "Sat, Sun 14:00" once instead of repeating the line.
    again: tuple = ()

    @property
    def starts(self) -> list[Span]:
        """The spans whose bar this cell draws (it is their first day in the week)."""
        return [lane for lane in self.lanes if lane is not None and lane.first == self.date]

    @property
    def empty(self) -> bool:
        """Nothing begins here: the phone's list of weeks leaves the day out."""
        return not self.occurrences and not self.starts

    @property
    def only_repeats(self) -> bool:
        """Everything on is already listed at an earlier day of the week (on the phone)."""
        return bool(self.occurrences) and not self.starts and all(a is None for a in self.again)

    @property
    def notable(self) -> bool:
        """A festival, solar term, holiday or make-up day: worth showing even with no events."""
        note = self.note
        return bool(self.holiday or self.workday_for or (note and (note.festival or note.term)))


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    weeks: list[list[Day]]

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def previous(self) -> tuple[int, int] | None:
        year, month = (self.year, self.month - 1) if self.month > 1 else (self.year - 1, 12)
        return (year, month) if year >= FIRST_YEAR else None

    @property
    def next(self) -> tuple[int, int] | None:
        year, month = (self.year, self.month + 1) if self.month < 12 else (self.year + 1, 1)
        return (year, month) if year <= LAST_YEAR else None


@dataclass(frozen=True)
class Span:
    """A multi-day occurrence within one week row: drawn once, across `length` day cells."""

    occurrence: Occurrence
    first: date  # its first day in this week
    last: date   # its last day in this week
    lane: int

    @property
    def length(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def continues_before(self) -> bool:
        return self.occurrence.day < self.first

    @property
    def continues_after(self) -> bool:
        return self.occurrence.days()[-1] > self.last


def is_span(occurrence: Occurrence) -> bool:
    """A festival over several days is one thing on: one bar, not a copy in every cell.
    A timed event under 24 hours that runs past midnight (a night walk) stays on both days."""
    when = occurrence.when
    if len(when.days()) < 2:
        return False
    return when.all_day or when.duration >= timedelta(hours=24)


def _week_lanes(week: list[date], spans: list[Occurrence]) -> dict[date, tuple]:
    """Give each span of the week the lowest lane free on all its days (longest first, so the
    long festivals sit on top and lanes stay few), and list every day's lanes in order."""
    taken: dict[date, dict[int, Span]] = {d: {} for d in week}
    ordered = sorted(spans, key=lambda o: (max(o.day, week[0]), -len(o.days()), o.event.id))
    for occurrence in ordered:
        days = [d for d in occurrence.days() if week[0] <= d <= week[-1]]
        lane = next(n for n in range(len(spans) + 1) if all(n not in taken[d] for d in days))
        span = Span(occurrence, days[0], days[-1], lane)
        for d in days:
            taken[d][lane] = span
    count = max((max(t) + 1 for t in taken.values() if t), default=0)
    return {d: tuple(taken[d].get(n) for n in range(count)) for d in week}


def _week_repeats(week: list[date], cells: dict[date, list[Occurrence]]) -> dict[date, tuple]:
    """Group an event's occurrences of one week that start at the same time of day."""
    first_seen: dict[tuple, list[date]] = {}
    for d in week:
        for occurrence in cells[d]:
            if occurrence.day == d:
                key = (occurrence.event.id, occurrence.when.start_time)
                first_seen.setdefault(key, []).append(d)
    result = {}
    for d in week:
        again = []
        for occurrence in cells[d]:
            key = (occurrence.event.id, occurrence.when.start_time)
            days = first_seen.get(key, [d]) if occurrence.day == d else [d]
            again.append(tuple(days[1:]) if days[0] == d else None)
        result[d] = tuple(again)
    return result


def parse_month(year: str, month: str) -> tuple[int, int]:
    """Path parts of /calendar/<yyyy>/<mm>/ as numbers, or BadParameter."""
    if not (year.isascii() and year.isdigit() and len(year) == 4) or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise BadParameter("year", year, "year", min=FIRST_YEAR, max=LAST_YEAR)
    if not (month.isascii() and month.isdigit() and len(month) <= 2) or not 1 <= int(month) <= 12:
        raise BadParameter("month", month, "month")
    return int(year), int(month)


def parse_month_field(value: str) -> tuple[int, int]:
    """The jump-to-month form's `month=YYYY-MM` value, or BadParameter("month")."""
    matched = MONTH_PATTERN.match(value.strip())
    if not matched:
        raise BadParameter("month", value, "month-field")
    try:
        return parse_month(matched.group(1), matched.group(2))
    except BadParameter:
        raise BadParameter("month", value, "month-field") from None


def month_label(year: int, month: int, lang: str) -> str:
    """2027年4月 / April 2027."""
    return format_skeleton("yMMMM", date(year, month, 1), locale=locale_of(lang))


def weekday_labels(lang: str) -> list[tuple[str, str]]:
    """(short, full) weekday names, Monday first: (周一, 星期一) / (Mon, Monday)."""
    short = get_day_names("abbreviated", locale=locale_of(lang))
    full = get_day_names("wide", locale=locale_of(lang))
    return [(short[n], full[n]) for n in range(7)]


def month_grid(catalog: Catalog, year: int, month: int, today: date) -> Month:
    """Weeks (Monday first) of the month, each day with the occurrences it touches."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    cells: dict[date, list[Occurrence]] = {d: [] for week in weeks for d in week}
    spans: list[Occurrence] = []
    for occurrence in recurrence.occurrences(catalog, first, last + ONE_DAY):
        if is_span(occurrence):
            spans.append(occurrence)
            continue
        for day in occurrence.days():
            if day in cells:
                cells[day].append(occurrence)
    lanes: dict[date, tuple] = {}
    again: dict[date, tuple] = {}
    for week in weeks:
        again.update(_week_repeats(week, cells))
        # Bars cover this month's days only: the phone lists no other month's days, and a
        # festival begun in April is drawn from 1 May on (its dates say when it began).
        inside = [d for d in week if d.month == month]
        lanes.update({d: () for d in week})
        lanes.update(_week_lanes(inside, [o for o in spans
                                          if o.day <= inside[-1] and o.days()[-1] >= inside[0]]))
    holidays = catalog.holidays
    return Month(year, month, [
        [Day(d, d.month == month, d == today, cells[d], lunar.day_note(d), holidays.holiday(d),
             holidays.swap_for(d), lanes[d], again[d]) for d in week] for week in weeks
    ])


def sites_along_canal(catalog: Catalog) -> list[tuple[str, list]]:
    """Sites grouped by area, areas and sites ordered north to south (latitude)."""
    groups: dict[str, list] = {}
    for site in sorted(catalog.sites.values(), key=lambda s: (-s.lat, s.id)):
        groups.setdefault(site.area, []).append(site)
    return list(groups.items())


# --- Shortcuts (issue 14) ------------------------------------------------------------

SHORTCUTS = ("today", "weekend", "week", "month")


def shortcut_range(name: str, today: date) -> tuple[date, date]:
    """The dates of an agenda shortcut, inclusive: today, this weekend (Saturday–Sunday;
    on a Sunday just today), the next 7 days, or the rest of this month."""
    if name == "today":
        return today, today
    if name == "weekend":
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:
            return today, today
        return max(saturday, today), saturday + timedelta(days=1)
    if name == "week":
        return today, today + timedelta(days=6)
    last = calendar.monthrange(today.year, today.month)[1]
    return today, date(today.year, today.month, last)


def shortcuts(today: date) -> list[tuple[str, date, date]]:
    return [(name, *shortcut_range(name, today)) for name in SHORTCUTS]


def next_after(catalog: Catalog, chosen: Filter, now: datetime) -> Occurrence | None:
    """The first occurrence matching `chosen`'s other filters after its dates (for an empty
    result: "the next one is on …")."""
    tz = now.tzinfo
    after = chosen.end + ONE_DAY if chosen.end else None
    begin = midnight(after, tz) if after and after > now.date() else now
    finish = midnight(begin.date() + timedelta(days=DEFAULT_DAYS_AHEAD), tz)
    plain = Filter(chosen.areas, chosen.sites, chosen.categories, None, None, chosen.q)
    found = recurrence.occurrences(catalog, begin, finish, matching_events(catalog, plain))
    return next((o for o in found if not o.cancelled), None)
