"""China's public holidays as the State Council announces them each year: holiday spans
(放假) with their names, and the make-up working days (调休上班) on weekends.

Editors copy each year's notice into `<events file stem>.holidays.toml` next to the
events file (`events.holidays.toml`), with the notice's address as `source`:

    [holidays.2026]
    source = "https://politics.gmw.cn/2025-11/04/content_38391083.htm"

    [holidays.2026.spring-festival]
    name = { zh = "春节", en = "Spring Festival" }
    start = 2026-02-15
    end = 2026-02-23                  # the last day off, inclusive
    workdays = [2026-02-14, 2026-02-28]

The site never guesses a holiday: a year that is not in the file has none
(`Holidays.known(year)` says whether a year was announced). No Flask here; the API
other modules use is `catalog.holidays.holiday(day)`, `.is_workday_swap(day)`,
`.swap_for(day)` and `.known(year)`.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from .model import FIRST_YEAR, LAST_YEAR, Text

HOLIDAY_KEYS = ("name", "start", "end", "workdays")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Holiday:
    """One announced holiday span: its id (`spring-festival`), bilingual name, first and
    last day off (inclusive), the weekend days worked in exchange, and the notice."""

    id: str
    year: int
    name: Text
    start: date
    end: date
    workdays: tuple[date, ...]
    source: str

    def days(self) -> list[date]:
        """Every day off, in order."""
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class Holidays:
    """Every announced year. Lookups are by date: a dict built once per catalog."""

    spans: tuple[Holiday, ...] = ()
    sources: dict = field(default_factory=dict)  # year -> notice address
    _off: dict = field(default_factory=dict, repr=False, compare=False)
    _worked: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for holiday in self.spans:
            for day in holiday.days():
                self._off[day] = holiday
            for day in holiday.workdays:
                self._worked[day] = holiday

    def holiday(self, day: date) -> Holiday | None:
        """The holiday `day` is a day off of, or None (also for years not announced)."""
        return self._off.get(day)

    def is_workday_swap(self, day: date) -> bool:
        """Whether `day` is a weekend day worked in exchange for a holiday (调休上班)."""
        return day in self._worked

    def swap_for(self, day: date) -> Holiday | None:
        """The holiday a make-up working day belongs to, or None."""
        return self._worked.get(day)

    def known(self, year: int) -> bool:
        """Whether the year's schedule was announced and recorded (with a source)."""
        return year in self.sources

    def years(self) -> list[int]:
        return sorted(self.sources)

    def of_year(self, year: int) -> list[Holiday]:
        return [h for h in self.spans if h.year == year]

    def __iter__(self) -> Iterator[Holiday]:
        return iter(self.spans)


EMPTY = Holidays()


def default_path(events_path: str | Path) -> Path:
    """Where an events file's holidays live: `events.toml` -> `events.holidays.toml`."""
    path = Path(events_path)
    return path.with_name(f"{path.stem}.holidays.toml")


def _weekday(day: date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


def read(reader, doc: dict) -> Holidays:
    """Read the `[holidays.<year>]` tables of a parsed document with the loader's reader,
    recording a problem (file:line, path, message) for each thing wrong."""
    spans: list[Holiday] = []
    sources: dict[int, str] = {}
    for key in doc:
        if key != "holidays":
            reader.problem((key,), f"unknown table [{key}]; this file holds only [holidays.<year>] tables")
    years = reader.table(doc.get("holidays", {}), ("holidays",))
    for year_key, table in years.items():
        path = ("holidays", year_key)
        if not (re.fullmatch(r"\d{4}", year_key) and FIRST_YEAR <= int(year_key) <= LAST_YEAR):
            reader.problem(path, f"'{year_key}' is not a year from {FIRST_YEAR} to {LAST_YEAR} "
                                 "(write [holidays.2026])")
            continue
        year = int(year_key)
        table = reader.table(table, path)
        source = None
        if "source" not in table:
            reader.problem(path, f"holidays of {year} have no source: give the address of the State "
                                 "Council's notice as source = \"https://…\" (the site never "
                                 "invents a holiday)")
        else:
            source = reader.url(table["source"], path + ("source",))
        for holiday_id, raw in table.items():
            if holiday_id == "source":
                continue
            holiday = _read_holiday(reader, year, holiday_id, raw, path + (holiday_id,), source or "")
            if holiday is not None:
                spans.append(holiday)
        if source:
            sources[year] = source
    _check_overlaps(reader, spans)
    return Holidays(tuple(sorted(spans, key=lambda h: h.start)), sources)


def _read_holiday(reader, year: int, holiday_id: str, raw, path, source: str) -> Holiday | None:
    from .loader import ID_PATTERN
    if not isinstance(raw, dict):
        reader.problem(path, f"expected a table [{'.'.join(path)}] with name, start, end and "
                             f"workdays, got {'text' if isinstance(raw, str) else type(raw).__name__}")
        return None
    if not ID_PATTERN.match(holiday_id):
        reader.problem(path, f"id '{holiday_id}' may only use lowercase letters a-z, digits 0-9 and '-'")
    reader.known_keys(raw, path, HOLIDAY_KEYS)
    name = reader.get(raw, path, "name", True, reader.text)
    start = reader.get(raw, path, "start", True, _date(reader))
    end = reader.get(raw, path, "end", False, _date(reader)) or start
    workdays = reader.get(raw, path, "workdays", False, _dates(reader)) or ()
    if start is None or name is None:
        return None
    if end < start:
        reader.problem(path + ("end",), f"ends ({end.isoformat()}) before it starts ({start.isoformat()})")
        return None
    # 元旦 can begin on 30 December of the year before (2024: 2023-12-30 to 2024-01-01).
    if year not in (start.year, end.year):
        reader.problem(path + ("start",), f"{start.isoformat()} to {end.isoformat()} is not in {year}: "
                                          f"it belongs under [holidays.{start.year}]")
        return None
    good = True
    for day in workdays:
        if day.weekday() < 5:
            reader.problem(path + ("workdays",), f"{day.isoformat()} is a {_weekday(day)}, not a weekend "
                                                 "day: a make-up working day (调休上班) is a Saturday or "
                                                 "Sunday the notice says is worked")
            good = False
        elif start <= day <= end:
            reader.problem(path + ("workdays",), f"{day.isoformat()} is a make-up working day inside the "
                                                 f"holiday itself ({start.isoformat()} to {end.isoformat()})")
            good = False
    if not good:
        return None
    return Holiday(holiday_id, year, name, start, end, tuple(workdays), source)


def _check_overlaps(reader, spans: list[Holiday]) -> None:
    ordered = sorted(spans, key=lambda h: h.start)
    for before, after in pairwise(ordered):
        if after.start <= before.end:
            reader.problem(("holidays", str(after.year), after.id),
                           f"{after.start.isoformat()} to {after.end.isoformat()} overlaps "
                           f"holidays.{before.year}.{before.id} ({before.start.isoformat()} to "
                           f"{before.end.isoformat()})")
    off = {day: h for h in spans for day in h.days()}
    for holiday in spans:
        for day in holiday.workdays:
            if day in off:
                reader.problem(("holidays", str(holiday.year), holiday.id, "workdays"),
                               f"{day.isoformat()} is a day off of holidays.{off[day].year}."
                               f"{off[day].id}, so it cannot be a make-up working day")


def _date(reader):
    def convert(value, path):
        if isinstance(value, datetime) or not isinstance(value, date):
            reader.problem(path, f"expected a date such as 2026-02-15, got {_kind(value)}")
            return None
        return reader.when(value, path)
    return convert


def _dates(reader):
    def convert(value, path):
        if not isinstance(value, list) or not all(
                isinstance(v, date) and not isinstance(v, datetime) for v in value):
            reader.problem(path, "expected a list of dates such as [2026-02-14, 2026-02-28]")
            return None
        return tuple(value)
    return convert


def _kind(value) -> str:
    from .loader import _kind as kind
    return kind(value)


def load(path: str | Path) -> Holidays:
    """Read and validate a holidays file; a missing file means no holidays are known.
    Raises loader.LoadError listing every problem."""
    import tomli

    from .loader import LoadError, Problem, _Reader, _syntax_problem
    path = Path(path)
    if not path.exists():
        return EMPTY
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise LoadError([Problem(str(path), 1, "", f"not UTF-8 text ({err.reason})")]) from None
    try:
        doc = tomli.loads(text)
    except tomli.TOMLDecodeError as err:
        raise LoadError([_syntax_problem(str(path), text, str(err))]) from None
    reader = _Reader(str(path), text)
    holidays = read(reader, doc)
    if reader.problems:
        raise LoadError(sorted(reader.problems, key=lambda p: p.line))
    return holidays
