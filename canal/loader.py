"""Read events.toml into a `Catalog`, reporting every problem at once.

Each problem names the file, the line where the value sits, the dotted path of
the value and what is wrong, e.g.

    events.toml:42: events.kaicao-festival.end: ends before it starts (2027-04-19)

so an editor can fix the whole file in one pass. TOML itself rejects duplicate ids.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# tomli is the code that became the standard library's tomllib, shipped compiled with
# mypyc: the same parser and messages, about 2.5x faster on a large file.
import tomli

from . import embed, hours
from .lunar import LunarRule, to_lunar
from .model import (
    ACCESSIBILITY_KEYS,
    FIRST_YEAR,
    LAST_YEAR,
    MOVED_STATUSES,
    STATUSES,
    Accessibility,
    Area,
    Booking,
    Catalog,
    Category,
    Entrance,
    Event,
    Meta,
    Site,
    Sourced,
    Text,
)
from .rule import Rule, RuleError
from .rule import parse as parse_rule

# \Z, not $: "$" also matches before a final newline, and an id "x\n" would pass
# and then break URLs and the UID line of every feed.
ID_PATTERN = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# Invisible control characters (TOML lets "\u0007" through) break iCalendar and XML.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Roughly the North Canal region; a point outside is almost always a typo or a
# coordinate pasted from a GCJ-02 web map with lat/lon swapped.
DEFAULT_BBOX = (39.0, 116.3, 40.2, 117.5)
DEFAULT_TIMEZONE = "Asia/Shanghai"
SECTIONS = ("meta", "areas", "categories", "sites", "events")

META_KEYS = ("name", "description", "timezone", "base_url", "bbox", "embed_origins")
NAMED_KEYS = ("name",)
SITE_KEYS = ("name", "area", "kind", "lat", "lon", "precision_m", "description",
             "address", "url", "source", "position_source", "off_canal",
             # Visiting (issue 14): after the fields above, so other additions stay apart.
             "opening_hours", "last_entry", "hours_source", "entrances", "transport",
             "parking", "accessibility", "booking", "phone")
EVENT_KEYS = ("title", "site", "categories", "start", "end", "repeat", "except",
              "status", "description", "url", "organiser", "price", "source",
              "booking", "previous_start", "ends_at",
              "next", "previous")  # editions (issue 19)
SOURCED_KEYS = ("zh", "en", "source")
ENTRANCE_KEYS = ("name", "lat", "lon", "source")
ACCESSIBILITY_TABLE_KEYS = (*ACCESSIBILITY_KEYS, "note", "source")
BOOKING_KEYS = ("required", "url", "miniprogram", "official_account", "phone", "opens", "note",
                "source")
# Digits with the separators people write (010-6951 8888, +86 10 ..., (010) ...).
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()\-]{2,22}[0-9]$")
# A last entry this long before closing is a typo (minutes, not hours?).
MAX_LAST_ENTRY_MINUTES = 600


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the content file, with where it is."""

    file: str
    line: int
    where: str
    message: str
    column: int | None = None

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")
        # One problem, one line: a key holding a newline is shown with "\\n".
        where = self.where if self.where.isprintable() else repr(self.where)[1:-1]
        return f"{place}: {where}: {self.message}" if where else f"{place}: {self.message}"


class LoadError(Exception):
    """The content file has problems; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


_HEADER = re.compile(r"^\s*\[(?!\[)\s*(.+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_INLINE_KEY = re.compile(r"""[{,]\s*([A-Za-z0-9_-]+)\s*=""")


def _split_dotted(key: str) -> tuple[str, ...]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([^.\s]+)', key)
    return tuple(next(p for p in groups if p) if any(groups) else "" for groups in parts)


class LineIndex:
    """Where each dotted key of a TOML document is written (the TOML parser gives no positions)."""

    def __init__(self, text: str):
        self._lines: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        in_multiline: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            header = _HEADER.match(line)
            if header:
                table = _split_dotted(header.group(1))
                self._remember(table, number)
                continue
            key = _KEY.match(line)
            if not key:
                continue
            path = table + _split_dotted(key.group(1))
            self._remember(path, number)
            rest = line[key.end():]
            for inline in _INLINE_KEY.finditer(rest):
                self._remember(path + (inline.group(1),), number)
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote

    def _remember(self, path: tuple[str, ...], number: int) -> None:
        for depth in range(1, len(path) + 1):
            self._lines.setdefault(path[:depth], number)

    def line_of(self, path: tuple[str, ...]) -> int:
        """The line of the deepest part of `path` that is written in the file."""
        for depth in range(len(path), 0, -1):
            if path[:depth] in self._lines:
                return self._lines[path[:depth]]
        return 1


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Reader:
    """Reads values out of the parsed document, recording a Problem for each bad one."""

    def __init__(self, filename: str, text: str):
        self.filename = filename
        self.source = text
        self._lines: LineIndex | None = None
        self.problems: list[Problem] = []

    def problem(self, path: tuple[str, ...], message: str,
                near: tuple[str, int] | None = None) -> None:
        # Index lines only when something is wrong: a valid file never pays for it.
        if self._lines is None:
            self._lines = LineIndex(self.source)
        line = self._lines.line_of(path)
        if near is not None:
            line = self._line_of_item(line, *near)
        self.problems.append(Problem(self.filename, line, ".".join(path), message))

    def _line_of_item(self, start: int, text: str, nth: int) -> int:
        """The line of the `nth` quoted `text` from line `start` on: an item of a list
        written over several lines (the key's line when it cannot be told)."""
        quoted = (f'"{text}"', f"'{text}'")
        seen = 0
        for number, line in enumerate(self.source.splitlines()[start - 1:], start=start):
            seen += sum(line.count(q) for q in quoted)
            if seen >= nth:
                return number
        return start

    def table(self, value: Any, path: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            self.problem(path, f"expected a table [{'.'.join(path)}], got {_kind(value)}")
            return {}
        return value

    def known_keys(self, table: dict, path: tuple[str, ...], allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                self.problem(path + (key,), f"unknown key '{key}'{_suggest(key, allowed)}; "
                                            f"allowed: {', '.join(allowed)}")

    def entries(self, doc: dict, section: str) -> list[tuple[str, dict, tuple[str, ...]]]:
        """The `[section.<id>]` tables with valid ids."""
        found: list[tuple[str, dict, tuple[str, ...]]] = []
        for key, value in self.table(doc.get(section, {}), (section,)).items():
            path = (section, key)
            if not ID_PATTERN.match(key):
                shown = key if key.isprintable() else repr(key)[1:-1]  # a newline shown as \\n
                self.problem(path, f"id '{shown}' may only use lowercase letters a-z, digits 0-9 "
                                   "and '-' (it appears in URLs)")
            found.append((key, self.table(value, path), path))
        return found

    def get(self, table: dict, path: tuple[str, ...], key: str, required: bool,
            convert: Callable[[Any, tuple[str, ...]], Any]) -> Any:
        here = path + (key,)
        if key not in table:
            if required:
                self.problem(here, f"required field '{key}' is missing")
            return None
        return convert(table[key], here)

    # Converters: take the raw value and its path; return the value or None after a problem.

    def text(self, value: Any, path: tuple[str, ...]) -> Text | None:
        if not isinstance(value, dict):
            self.problem(path, f'expected bilingual text {{ zh = "…", en = "…" }}, got {_kind(value)}')
            return None
        self.known_keys(value, path, ("zh", "en"))
        zh, en = value.get("zh"), value.get("en")
        if not isinstance(zh, str) or not zh.strip():
            self.problem(path + ("zh",), "Chinese text 'zh' is required and must be non-empty text")
            return None
        if en is not None and not isinstance(en, str):
            self.problem(path + ("en",), f"expected text, got {_kind(en)}")
            en = None
        for lang, value in (("zh", zh), ("en", en)):
            if value and self.has_control(value, path + (lang,)):
                return None
        return Text(zh.strip(), en.strip() or None if en else None)

    def has_control(self, value: str, path: tuple[str, ...]) -> bool:
        found = CONTROL.search(value)
        if found:
            self.problem(path, f"contains the invisible control character U+{ord(found.group()):04X}; "
                               "remove it")
        return bool(found)

    def string(self, value: Any, path: tuple[str, ...]) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.problem(path, f"expected non-empty text, got {_kind(value)}")
            return None
        if self.has_control(value, path):
            return None
        return value.strip()

    def url(self, value: Any, path: tuple[str, ...]) -> str | None:
        text = self.string(value, path)
        if text is not None and not re.match(r"^https?://[^\s/]+\S*$", text):
            self.problem(path, f"'{text}' is not a web address: expected https://…")
            return None
        return text

    def number(self, value: Any, path: tuple[str, ...]) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(path, f"expected a number, got {_kind(value)}")
            return None
        return float(value)

    def positive_int(self, value: Any, path: tuple[str, ...]) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.problem(path, f"expected a whole number of metres above 0, got {_show(value)}")
            return None
        return value

    def phone(self, value: Any, path: tuple[str, ...]) -> str | None:
        text = self.string(value, path)
        if text is not None and not PHONE_PATTERN.match(text):
            self.problem(path, f"'{text}' is not a phone number: use digits, spaces, '-', "
                               "'(' ')' and a leading '+' only (e.g. \"010-12345678\")")
            return None
        return text

    def opening_hours(self, value: Any, path: tuple[str, ...]) -> str | None:
        text = self.string(value, path)
        if text is None:
            return None
        try:
            return hours.check(text)
        except hours.HoursError as err:
            self.problem(path, str(err))
            return None

    def last_entry(self, value: Any, path: tuple[str, ...]) -> time | int | None:
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_LAST_ENTRY_MINUTES:
            return value
        self.problem(path, f"expected a local time such as 19:00:00 or the minutes before closing "
                           f"(1 to {MAX_LAST_ENTRY_MINUTES}), got {_show(value)}")
        return None

    def flag(self, value: Any, path: tuple[str, ...]) -> bool | None:
        if not isinstance(value, bool):
            self.problem(path, f"expected true or false, got {_show(value)}")
            return None
        return value

    def sourced(self, value: Any, path: tuple[str, ...]) -> Sourced | None:
        if not isinstance(value, dict):
            self.problem(path, f'expected {{ zh = "…", en = "…", source = "https://…" }}, got {_kind(value)}')
            return None
        self.known_keys(value, path, SOURCED_KEYS)
        text = self.text({k: v for k, v in value.items() if k in ("zh", "en")}, path)
        source = self.get(value, path, "source", False, self.url)
        return Sourced(text, source) if text is not None else None

    def booking(self, value: Any, path: tuple[str, ...]) -> Booking | None:
        if not isinstance(value, dict):
            self.problem(path, f"expected a table {{ required = true, url = \"https://…\", "
                               f"phone = \"…\" }}, got {_kind(value)}")
            return None
        self.known_keys(value, path, BOOKING_KEYS)
        get = self.get
        before = len(self.problems)
        booking = Booking(
            required=bool(get(value, path, "required", False, self.flag)),
            url=get(value, path, "url", False, self.url),
            miniprogram=get(value, path, "miniprogram", False, self.text),
            official_account=get(value, path, "official_account", False, self.text),
            phone=get(value, path, "phone", False, self.phone),
            opens=get(value, path, "opens", False, self.text),
            note=get(value, path, "note", False, self.text),
            source=get(value, path, "source", False, self.url),
        )
        if len(self.problems) > before:
            return None
        if not booking.required and not booking.channels and not booking.note:
            self.problem(path, "says nothing: give required = true, a url, miniprogram, "
                               "official_account, phone or note")
            return None
        return booking

    def accessibility(self, value: Any, path: tuple[str, ...]) -> Accessibility | None:
        if not isinstance(value, dict):
            self.problem(path, f'expected a table {{ wheelchair = "yes", note = {{ zh = "…" }} }}, '
                               f"got {_kind(value)}")
            return None
        self.known_keys(value, path, ACCESSIBILITY_TABLE_KEYS)
        before = len(self.problems)
        found = []
        for key, allowed in ACCESSIBILITY_KEYS.items():
            if key not in value:
                continue
            given = value[key]
            if given not in allowed:
                self.problem(path + (key,), f"{key} {_show(given)} is not one of {', '.join(allowed)}")
                continue
            found.append((key, given))
        note = self.get(value, path, "note", False, self.text)
        source = self.get(value, path, "source", False, self.url)
        if len(self.problems) > before:
            return None
        if not found and note is None:
            self.problem(path, f"says nothing: give one of {', '.join(ACCESSIBILITY_KEYS)} or a note")
            return None
        return Accessibility(tuple(found), note, source)

    def when(self, value: Any, path: tuple[str, ...]) -> date | datetime | None:
        if isinstance(value, date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.problem(path, f"{_show(value)} is not between {FIRST_YEAR} and {LAST_YEAR}")
            return None
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                self.problem(path, f"{_show(value)} has a UTC offset; write the local time "
                                   "without one (e.g. 2027-04-19T09:00:00)")
                return None
            return value
        if isinstance(value, date):
            return value
        self.problem(path, f"expected a date (2027-04-19) or a local date-time "
                           f"(2027-04-19T09:00:00), got {_show(value)}")
        return None


def _kind(value: Any) -> str:
    names = {str: "text", bool: "true/false", int: "a number", float: "a number",
             list: "a list", dict: "a table", datetime: "a date-time", date: "a date", time: "a time"}
    return names.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    if isinstance(value, (date, time)):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else _kind(value)


def _reference(reader: _Reader, value: Any, path: tuple[str, ...], known, what: str) -> str | None:
    if not isinstance(value, str):
        reader.problem(path, f"expected the id of {what}, got {_kind(value)}")
        return None
    if value not in known:
        reader.problem(path, f"unknown {what} '{value}'{_suggest(value, known)}")
        return None
    return value


def _read_meta(reader: _Reader, doc: dict) -> Meta:
    path = ("meta",)
    if "meta" not in doc:
        reader.problem(path, "the [meta] table is missing")
    table = reader.table(doc.get("meta", {}), path)
    reader.known_keys(table, path, META_KEYS)
    name = reader.get(table, path, "name", True, reader.text) or Text("北运河文旅活动", "North Canal Events")
    description = reader.get(table, path, "description", False, reader.text) or name
    tz_name = reader.get(table, path, "timezone", True, reader.string) or DEFAULT_TIMEZONE
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        reader.problem(path + ("timezone",), f"unknown time zone '{tz_name}': expected an IANA "
                                             "name such as 'Asia/Shanghai'")
        tz = ZoneInfo(DEFAULT_TIMEZONE)
    base_url = reader.get(table, path, "base_url", True, reader.url) or "https://localhost"
    bbox = DEFAULT_BBOX
    if "bbox" in table:
        raw = table["bbox"]
        if (isinstance(raw, list) and len(raw) == 4
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw)
                and raw[0] < raw[2] and raw[1] < raw[3]):
            bbox = (float(raw[0]), float(raw[1]), float(raw[2]), float(raw[3]))
        else:
            reader.problem(path + ("bbox",), "expected [min_lat, min_lon, max_lat, max_lon] "
                                             "with min below max")
    embed_origins = (_read_embed_origins(reader, table["embed_origins"], path + ("embed_origins",))
                     if "embed_origins" in table else ())
    return Meta(name, description, tz, base_url.rstrip("/"), bbox, embed_origins=embed_origins)


def _read_embed_origins(reader: _Reader, value: Any, path: tuple[str, ...]) -> tuple[str, ...]:
    """meta.embed_origins: the sites allowed to frame /embed/… pages. Each goes into a
    CSP header and is compared with postMessage origins, so it must be an exact origin."""
    example = embed.EXAMPLE_ORIGIN
    if not isinstance(value, list):
        reader.problem(path, f'expected a list of web origins such as ["{example}"], got {_kind(value)}')
        return ()
    found: list[str] = []
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, str):
            reader.problem(path, f'entry {number}: expected text such as "{example}", got {_kind(entry)}')
            continue
        problem = embed.origin_problem(entry)
        if problem is None and entry in found:
            problem = f"'{entry}' is listed twice"
        if problem is not None:
            reader.problem(path, f"entry {number}: {problem}", near=(entry, value[:number].count(entry)))
            continue
        found.append(entry)
    return tuple(found)


def _read_named(reader: _Reader, doc: dict, section: str, cls) -> dict:
    found = {}
    for key, table, path in reader.entries(doc, section):
        reader.known_keys(table, path, NAMED_KEYS)
        name = reader.get(table, path, "name", True, reader.text)
        if name is not None:
            found[key] = cls(key, name)
    return found


def _coordinate(reader: _Reader, path, value, what: str, limit: float, region, other: str):
    """`value` if it is a possible coordinate inside the region; None after a problem."""
    if value is None:
        return None
    if not -limit <= value <= limit:
        reader.problem(path, f"{what} {value} is out of range (-{limit} to {limit})")
        return None
    low, high = region
    if not low <= value <= high:
        reader.problem(path, f"{what} {value} is outside the region ({low} to {high}, meta.bbox); "
                             f"swapped with {other}, or a typo?")
        return None
    return value


def _read_site(reader: _Reader, key: str, table: dict, path, areas, bbox) -> Site | None:
    reader.known_keys(table, path, SITE_KEYS)
    get = reader.get
    name = get(table, path, "name", True, reader.text)
    area = get(table, path, "area", True,
               lambda v, p: _reference(reader, v, p, areas, "area"))
    kind = get(table, path, "kind", True, reader.text)
    lat = get(table, path, "lat", True, reader.number)
    lon = get(table, path, "lon", True, reader.number)
    precision = get(table, path, "precision_m", True, reader.positive_int)
    description = get(table, path, "description", True, reader.text)
    address = get(table, path, "address", False, reader.text)
    url = get(table, path, "url", False, reader.url)
    source = get(table, path, "source", False, reader.url)
    position_source = get(table, path, "position_source", False, reader.string)
    off_canal = get(table, path, "off_canal", False, reader.string)
    min_lat, min_lon, max_lat, max_lon = bbox
    lat = _coordinate(reader, path + ("lat",), lat, "latitude", 90, (min_lat, max_lat), "lon")
    lon = _coordinate(reader, path + ("lon",), lon, "longitude", 180, (min_lon, max_lon), "lat")
    visit = _read_visit(reader, table, path, bbox)
    values = (name, area, kind, lat, lon, precision, description)
    if any(v is None for v in values):
        return None
    return Site(key, name, area, kind, lat, lon, precision, description, address, url, source,
                position_source=position_source, off_canal=off_canal, **visit)


def _read_visit(reader: _Reader, table: dict, path, bbox) -> dict:
    """The visiting fields of a site (issue 14): hours, ways in, transport, access, booking."""
    get = reader.get
    visit = {
        "opening_hours": get(table, path, "opening_hours", False, reader.opening_hours),
        "last_entry": get(table, path, "last_entry", False, reader.last_entry),
        "hours_source": get(table, path, "hours_source", False, reader.url),
        "entrances": get(table, path, "entrances", False,
                         lambda v, p: _read_entrances(reader, v, p, bbox)) or (),
        "transport": get(table, path, "transport", False, reader.sourced),
        "parking": get(table, path, "parking", False, reader.sourced),
        "accessibility": get(table, path, "accessibility", False, reader.accessibility),
        "booking": get(table, path, "booking", False, reader.booking),
        "phone": get(table, path, "phone", False, reader.phone),
    }
    for field in ("last_entry", "hours_source"):
        if field in table and "opening_hours" not in table:
            reader.problem(path + (field,), f"'{field}' only makes sense with 'opening_hours'")
    rule, entry = visit["opening_hours"], visit["last_entry"]
    if rule and isinstance(entry, time):
        spans = [s for d, _h, day in hours.week_spans(rule, date(2027, 1, 4), days=366)
                 for s in day]
        if spans and not any(hours.last_entry_of(s, entry) for s in spans):
            reader.problem(path + ("last_entry",), f"last entry {entry.strftime('%H:%M')} is not "
                                                   f"inside the opening hours '{rule}' on any day")
    return visit


def _read_entrances(reader: _Reader, value: Any, path, bbox) -> tuple[Entrance, ...] | None:
    if not isinstance(value, list) or not value:
        reader.problem(path, 'expected a list of entrances such as [{ name = { zh = "东门" }, '
                             "lat = 39.9, lon = 116.7 }], got " + _show(value))
        return None
    min_lat, min_lon, max_lat, max_lon = bbox
    found = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            reader.problem(path, f"entrance {number}: expected a table {{ name, lat, lon }}, "
                                 f"got {_kind(item)}")
            continue
        before = len(reader.problems)
        reader.known_keys(item, path, ENTRANCE_KEYS)
        name = reader.get(item, path, "name", True, reader.text)
        lat = reader.get(item, path, "lat", True, reader.number)
        lon = reader.get(item, path, "lon", True, reader.number)
        lat = _coordinate(reader, path, lat, f"entrance {number} latitude", 90, (min_lat, max_lat), "lon")
        lon = _coordinate(reader, path, lon, f"entrance {number} longitude", 180, (min_lon, max_lon), "lat")
        source = reader.get(item, path, "source", False, reader.url)
        if len(reader.problems) == before and None not in (name, lat, lon):
            found.append(Entrance(name, lat, lon, source))
    return tuple(found) if len(found) == len(value) else None


def _read_categories(reader: _Reader, value: Any, path, categories) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value:
        reader.problem(path, f'expected a list of category ids such as ["festival"], got {_show(value)}')
        return None
    ids = [_reference(reader, v, path, categories, "category") for v in value]
    found = tuple(i for i in ids if i is not None)
    return found if len(found) == len(ids) else None


def _read_event(reader: _Reader, key: str, table: dict, path, catalog_parts, tz) -> Event | None:
    sites, categories = catalog_parts
    reader.known_keys(table, path, EVENT_KEYS)
    get = reader.get
    title = get(table, path, "title", True, reader.text)
    site = get(table, path, "site", True, lambda v, p: _reference(reader, v, p, sites, "site"))
    cats = get(table, path, "categories", True,
               lambda v, p: _read_categories(reader, v, p, categories))
    start = get(table, path, "start", True, reader.when)
    end = get(table, path, "end", False, reader.when)
    repeat = get(table, path, "repeat", False, reader.string)
    status = get(table, path, "status", False, reader.string) or "confirmed"
    booking = get(table, path, "booking", False, reader.booking)
    previous_start = get(table, path, "previous_start", False, reader.when)
    ends_at = get(table, path, "ends_at", False,
                  lambda v, p: _reference(reader, v, p, sites, "site"))
    if ends_at is not None and ends_at == table.get("site"):
        reader.problem(path + ("ends_at",), f"ends where it starts ('{ends_at}'): leave 'ends_at' out")
        ends_at = None
    if status in MOVED_STATUSES[1:] and "previous_start" not in table:
        reader.problem(path + ("status",), f"status '{status}' needs 'previous_start', the start "
                                           "it had before it moved")
    if "previous_start" in table and status not in MOVED_STATUSES:
        reader.problem(path + ("previous_start",), "'previous_start' only makes sense with status "
                                                   f"{' or '.join(repr(s) for s in MOVED_STATUSES)}")
    if status not in STATUSES:
        reader.problem(path + ("status",), f"status '{status}' is not one of {', '.join(STATUSES)}")
        status = None
    description = get(table, path, "description", False, reader.text)
    url = get(table, path, "url", False, reader.url)
    organiser = get(table, path, "organiser", False, reader.text)
    price = get(table, path, "price", False, reader.text)
    source = get(table, path, "source", False, reader.url)
    except_dates = get(table, path, "except", False, _read_except(reader))

    start, end = _check_times(reader, path, start, end, "end" in table)
    if start is None:
        return None
    if isinstance(start, datetime):
        start, end = start.replace(tzinfo=tz), end.replace(tzinfo=tz)
    rule: Rule | None = None
    if repeat is not None:
        try:
            rule = parse_rule(repeat, start, tz)
        except RuleError as err:
            reader.problem(path + ("repeat",), f"{err} (got '{repeat}')")
            repeat = None
    if except_dates:
        if "repeat" not in table:
            reader.problem(path + ("except",), "'except' only makes sense with 'repeat'")
        elif rule is not None:
            for day in except_dates:
                if rule.has_date(day):
                    continue
                reader.problem(path + ("except",), _lunar_except_message(rule, day)
                               if isinstance(rule, LunarRule) else
                               f"{day.isoformat()} is not a date of the rule '{repeat}', "
                               "so there is nothing to skip")
    if title is None or site is None or cats is None or status is None or (
            "repeat" in table and rule is None):
        return None
    if isinstance(previous_start, datetime):
        previous_start = previous_start.replace(tzinfo=tz)
    if previous_start is not None and isinstance(previous_start, datetime) != isinstance(start, datetime):
        reader.problem(path + ("previous_start",), "give 'previous_start' like 'start': both "
                                                   "dates, or both with times")
        previous_start = None
    return Event(key, title, site, cats, start, end, repeat, tuple(except_dates or ()), status,
                 description, url, organiser, price, source, booking, previous_start, ends_at, rule)


def _lunar_except_message(rule: LunarRule, day: date) -> str:
    """An `except` date that a lunar rule does not give, with the rule's date that year."""
    lunar = to_lunar(day)
    that_year = next((found for year, found in rule.dates(rule.first) if year == lunar.year), None)
    hint = (f"; the rule's date in lunar year {lunar.year} is {that_year.isoformat()}"
            if that_year else "")
    return (f"{day.isoformat()} is {lunar.name}, not a date of the rule ({rule.wanted}), "
            f"so there is nothing to skip{hint}")


def _read_except(reader: _Reader):
    def convert(value: Any, path) -> tuple[date, ...] | None:
        if not isinstance(value, list) or not all(
                isinstance(v, date) and not isinstance(v, datetime) for v in value):
            reader.problem(path, f"expected a list of dates such as [2027-02-13], got {_show(value)}")
            return None
        if any(not reader.when(v, path) for v in value):
            return None
        return tuple(value)
    return convert


def _check_times(reader: _Reader, path, start, end, end_given: bool):
    """Check that start and end fit together; return (start, end) or (None, None)."""
    if start is None:
        return None, None
    timed = isinstance(start, datetime)
    if end is None:
        if timed and not end_given:
            reader.problem(path + ("end",), "required field 'end' is missing (a timed event needs "
                                            "an end time, e.g. 2027-04-19T17:00:00)")
            return None, None
        if not end_given:
            return start, start
        return None, None
    if timed != isinstance(end, datetime):
        if timed:
            message = (f"start {start.isoformat()} has a time but end {end.isoformat()} is a date; "
                       "give both with times, or both as dates for an all-day event")
        else:
            message = (f"start {start.isoformat()} is a date (all-day) but end {end.isoformat()} "
                       "has a time; give both as dates, or both with times")
        reader.problem(path + ("end",), message)
        return None, None
    if end < start or (timed and end == start):
        reader.problem(path + ("end",), f"ends ({end.isoformat()}) before it starts "
                                        f"({start.isoformat()})" if end < start else
                                        f"ends when it starts ({start.isoformat()})")
        return None, None
    return start, end


def _ids(doc: dict, section: str) -> set[str]:
    value = doc.get(section)
    return set(value) if isinstance(value, dict) else set()


# The parser's words for the mistakes editors make most, and what to do about them.
_SYNTAX_HINTS = {
    "Cannot declare": "this table is written twice{first}: give the copy its own id",
    "Cannot overwrite a value": "this field is given twice in its table: keep one",
    "Expected newline or end of document after a statement":
        "the line goes on after its value: text needs \"quotes\", and dates are written "
        "2027-04-17 (four-digit year, two-digit month and day)",
    "Invalid date or datetime": "not a date: write 2027-04-17 or 2027-04-17T09:00:00",
    "Invalid value": "not a value TOML can read: text needs \"quotes\", dates are written "
                     "2027-04-17, lists [\"a\", \"b\"]",
    "Unclosed inline table": "a { … } is not closed with } on the same line",
    "Unclosed array": "a [ … ] list is not closed with ]",
    "Illegal character": "an unexpected character: quoted text must end on the line it starts",
}


def _syntax_problem(filename: str, text: str, message: str) -> Problem:
    """A TOML syntax error as the editor's other problems read: line, table.id.field, and
    what to do. The parser stops at the first one, so the message says the rest waits."""
    where = re.search(r"\(at line (\d+), column (\d+)\)", message)
    lines = text.splitlines()
    # "(at end of document)": the mistake is on the last line written, not on line 1.
    last = max((n for n, text_line in enumerate(lines, start=1) if text_line.strip()), default=1)
    line, column = (int(where.group(1)), int(where.group(2))) if where else (last, None)
    detail = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
    if detail.startswith("Unclosed") and column == 1 and line > 1:
        # Noticed at the start of the next line; the mistake is at the end of the one before.
        line -= 1
        while line > 1 and not lines[line - 1].strip():
            line -= 1
        column = None
    table: tuple[str, ...] = ()
    first = ""
    for number in range(min(line, len(lines)), 0, -1):
        header = _HEADER.match(lines[number - 1])
        if header:
            table = _split_dotted(header.group(1))
            break
    key = _KEY.match(lines[line - 1]) if 0 < line <= len(lines) else None
    if detail.startswith("Cannot declare"):
        earlier = [n for n, text_line in enumerate(lines[:line - 1], start=1)
                   if (h := _HEADER.match(text_line)) and _split_dotted(h.group(1)) == table]
        first = f" (first at line {earlier[0]})" if earlier else ""
    elif key:
        table += _split_dotted(key.group(1))
    hint = next((advice.replace("{first}", first) for start, advice in _SYNTAX_HINTS.items()
                 if detail.startswith(start)), None)
    said = f"{hint} (TOML: {detail})" if hint else f"TOML syntax error: {detail}"
    return Problem(filename, line, ".".join(table),
                   f"{said}; the rest of the file is checked once this is fixed", column)


def parse(text: str, filename: str = "events.toml") -> Catalog:
    """Build a Catalog from TOML text, or raise LoadError listing every problem."""
    reader = _Reader(filename, text)
    try:
        doc = tomli.loads(text)
    except tomli.TOMLDecodeError as err:
        raise LoadError([_syntax_problem(filename, text, str(err))]) from None

    for section in doc:
        if section not in SECTIONS:
            reader.problem((section,), f"unknown table [{section}]{_suggest(section, SECTIONS)}; "
                                       f"expected: {', '.join(SECTIONS)}")
    meta = _read_meta(reader, doc)
    areas = _read_named(reader, doc, "areas", Area)
    categories = _read_named(reader, doc, "categories", Category)
    # Refer to ids as written, so an entry with a bad field is not also reported as unknown.
    known_areas = _ids(doc, "areas")
    sites = {}
    for key, table, path in reader.entries(doc, "sites"):
        site = _read_site(reader, key, table, path, known_areas, meta.bbox)
        if site is not None:
            sites[key] = site
    known_sites = _ids(doc, "sites")
    known_categories = _ids(doc, "categories")
    events = {}
    for key, table, path in reader.entries(doc, "events"):
        event = _read_event(reader, key, table, path, (known_sites, known_categories), meta.timezone)
        if event is not None:
            events[key] = event
    events = _link_editions(reader, doc, events)
    if reader.problems:
        raise LoadError(sorted(reader.problems, key=lambda p: p.line))
    return Catalog(meta, areas, categories, sites, events, path=filename)


def _link_editions(reader: _Reader, doc: dict, events: dict) -> dict:
    """`next` / `previous`: the id of another event, the next or previous edition (issue 19).
    Checked once every event is read, since an edition may come later in the file."""
    known = _ids(doc, "events")
    if "archive" in known:
        # /events/archive/ is the archive's page: an event page there could never be reached.
        reader.problem(("events", "archive"), "the id 'archive' is taken by the address of the "
                                               "archive of past events (/events/archive/): choose another id")
    linked = {}
    for key, event in events.items():  # read without problems, so its table is a table
        table, path = doc["events"][key], ("events", key)
        found = {}
        for field in ("next", "previous"):
            if field not in table:
                continue
            value = _reference(reader, table[field], path + (field,), known, "event")
            if value == key:
                reader.problem(path + (field,), f"names the event itself: '{field}' is the id of "
                                                "another edition of it")
            elif value is not None:
                found[field] = value
        if found.get("next") is not None and found.get("next") == found.get("previous"):
            reader.problem(path + ("previous",), f"'{found['next']}' cannot be both the next and the previous edition")
            found.pop("previous")
        linked[key] = replace(event, **found) if found else event
    return linked


def load(path: str | Path, holidays_path: str | Path | None = None) -> Catalog:
    """Read and validate the content file at `path`, and the public holidays next to it
    (`<stem>.holidays.toml`, or `holidays_path`); problems of both are listed together."""
    from . import holidays
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LoadError([Problem(str(path), 1, "", "file not found")]) from None
    except UnicodeDecodeError as err:
        raise LoadError([Problem(str(path), 1, "", f"not UTF-8 text ({err.reason})")]) from None
    problems: list[Problem] = []
    catalog = known = None
    try:
        catalog = parse(text, filename=str(path))
    except LoadError as err:
        problems += err.problems
    try:
        known = holidays.load(holidays_path or holidays.default_path(path))
    except LoadError as err:
        problems += err.problems
    if problems or catalog is None or known is None:
        raise LoadError(problems)
    return replace(catalog, holidays=known)
