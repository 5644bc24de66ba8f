"""An event's `repeat` text, read once into an immutable rule value.

The loader calls `parse` for every recurring event and keeps the result on the event
(`Event.rule`); recurrence expands it, rules.py puts it in words and the feed writer
writes it, so the text is parsed in this one place. No Flask.

Two calendar systems share one small shape (`CalendarRule`): an RFC 5545 rule over the
Gregorian calendar (`GregorianRule`, expanded by dateutil) and an RFC 7529
`RSCALE=CHINESE` rule (`canal.lunar.LunarRule`, expanded by tyme4py). `calendar` says
which, with RFC 7529's RSCALE names; a further calendar is one more class of that shape
and one more branch in `parse`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import ClassVar, Protocol
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from . import lunar
from .lunar import LunarRule
from .model import FIRST_YEAR, LAST_YEAR
from .span import ONE_DAY, TimeSpan, midnight

RULE_PARTS = {
    "FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH",
    "BYSETPOS", "BYWEEKNO", "BYYEARDAY", "WKST",
}
# Larger counts or intervals make no sense for a site planning a few years ahead.
MAX_RULE_NUMBER = 1000
# Events on this site happen at most daily; sub-daily rules are almost always typos.
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_WEEKDAY = re.compile(r"\A([+-]?\d{0,2})(MO|TU|WE|TH|FR|SA|SU)\Z")
UNTIL_FORMS = (
    (re.compile(r"^\d{8}$"), "%Y%m%d"),
    (re.compile(r"^\d{8}T\d{6}$"), "%Y%m%dT%H%M%S"),
    (re.compile(r"^\d{8}T\d{6}Z$"), "%Y%m%dT%H%M%SZ"),
)


class RuleError(ValueError):
    """A `repeat` text that is not a usable rule; the message says why."""


class CalendarRule(Protocol):
    """What every parsed rule answers, whatever its calendar."""

    calendar: ClassVar[str]  # RFC 7529 RSCALE name: "GREGORIAN", "CHINESE"

    @property
    def text(self) -> str: ...  # the editor's text, as written

    @property
    def count(self) -> int | None: ...  # COUNT, the number of the rule's dates

    @property
    def until_day(self) -> date | None: ...  # UNTIL's local date (the last day a date may fall on)

    @property
    def parts(self) -> tuple[tuple[str, str], ...]: ...  # (NAME, VALUE), the editor's order

    def local_starts(self, lo: datetime, hi: datetime) -> list[datetime]: ...

    def has_date(self, day: date) -> bool: ...


def split_parts(text: str) -> tuple[tuple[str, str], ...]:
    """`NAME=VALUE;…` as (NAME, VALUE) pairs, upper-cased, in the editor's order (unchecked)."""
    pairs = []
    for chunk in text.strip().strip(";").split(";"):
        name, _, value = chunk.partition("=")
        pairs.append((name.strip().upper(), value.strip().upper()))
    return tuple(pairs)


def parse_until(value: str, tz: ZoneInfo) -> tuple[datetime, bool]:
    """Read an UNTIL value as a naive local datetime; say whether it was a bare date.

    Editors write a local date (the last day, inclusive) or a local date-time;
    a UTC `...Z` value is accepted too and moved into local time.
    """
    for pattern, fmt in UNTIL_FORMS:
        if pattern.match(value):
            try:
                parsed = datetime.strptime(value, fmt)
            except ValueError:
                break
            if fmt.endswith("Z"):
                parsed = parsed.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)
            return parsed, fmt == "%Y%m%d"
    raise RuleError(f"UNTIL={value} is not a date: write YYYYMMDD (the last day, local time)")


@dataclass(frozen=True)
class GregorianRule:
    """An RFC 5545 RRULE read into values, expanded in naive local wall-clock time (what
    RFC 5545 means by a rule with a TZID'd DTSTART)."""

    calendar: ClassVar[str] = "GREGORIAN"

    text: str
    start: date | datetime  # the event's start, the rule's first date (DTSTART)
    tz: ZoneInfo  # the zone a UTC UNTIL was read in
    parts: tuple[tuple[str, str], ...]
    freq: str
    interval: int
    byday: tuple[tuple[int | None, str], ...]  # (ordinal or None, MO…SU)
    bymonth: tuple[int, ...]
    bymonthday: tuple[int, ...]
    count: int | None
    until: datetime | None  # naive local; a bare date is its 23:59:59
    expansion: rrule = field(compare=False, repr=False)

    @property
    def until_day(self) -> date | None:
        return None if self.until is None else self.until.date()

    def local_starts(self, lo: datetime, hi: datetime) -> list[datetime]:
        """Naive local starts in [lo, hi], both ends included."""
        return list(self.expansion.between(lo, hi, inc=True))

    def has_date(self, day: date) -> bool:
        """Whether the rule has an occurrence starting on local date `day`."""
        begin = midnight(day, None)
        return any(d.date() == day for d in self.local_starts(begin, begin + ONE_DAY))

    def number_of_dates(self) -> int:
        """How many dates the rule gives (it is bounded: COUNT or UNTIL)."""
        return sum(1 for _ in self.expansion)


Rule = GregorianRule | LunarRule


def _conforms(rule: Rule) -> CalendarRule:
    return rule  # mypy checks here that both kinds have the shared shape


@cache
def parse(text: str, start: date | datetime, tz: ZoneInfo, strict: bool = True) -> Rule:
    """Read an editor's `repeat` text for an event starting at `start`: a `GregorianRule`,
    or for `RSCALE=CHINESE` (RFC 7529) a `LunarRule`. Raises RuleError saying why not.

    `strict=False` skips the checks of the rule against `start` (that it is the rule's
    first date, UNTIL not before it): for copies of events that code makes, not editors.
    Cached: a copy of an event (dataclasses.replace) reads the same text again for free.
    """
    if lunar.is_lunar(text):
        try:
            return lunar.parse(text, start, lambda value: parse_until(value, tz), strict)
        except lunar.LunarRuleError as err:
            raise RuleError(str(err)) from None
    parts: dict[str, str] = {}
    for chunk in text.strip().strip(";").split(";"):
        name, sep, value = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not value.strip():
            raise RuleError(f"'{chunk}' is not NAME=VALUE (example: FREQ=MONTHLY;BYDAY=2SA)")
        if name == "SKIP":
            # RFC 7529: SKIP only means something with RSCALE.
            raise RuleError("SKIP needs RSCALE=CHINESE (a lunar rule); a Gregorian rule has no SKIP")
        if name not in RULE_PARTS:
            raise RuleError(f"unknown rule part {name} (allowed: {', '.join(sorted(RULE_PARTS))})")
        if name in parts:
            raise RuleError(f"{name} is given twice")
        parts[name] = value.strip().upper()
    if "FREQ" not in parts:
        raise RuleError("FREQ is missing (example: FREQ=MONTHLY;BYDAY=2SA)")
    if parts["FREQ"] not in FREQUENCIES:
        raise RuleError(f"FREQ={parts['FREQ']} is not one of {', '.join(sorted(FREQUENCIES))}")
    if "COUNT" in parts and "UNTIL" in parts:
        raise RuleError("give COUNT or UNTIL, not both")
    weekdays = [day.strip() for day in parts.get("BYDAY", "").split(",") if day.strip()]
    if any(day[0] in "+-0123456789" for day in weekdays) and parts["FREQ"] not in ("MONTHLY", "YEARLY"):
        # RFC 5545 forbids it, and clients would silently repeat every week instead.
        raise RuleError(f"BYDAY={parts['BYDAY']} has a number, which needs FREQ=MONTHLY or "
                        "FREQ=YEARLY (the 2nd Saturday of each month: FREQ=MONTHLY;BYDAY=2SA)")
    for name in ("COUNT", "INTERVAL"):
        # INTERVAL=0 would make expansion loop for ever; huge values break iCalendar.
        if name in parts and not (parts[name].isdigit() and 1 <= int(parts[name]) <= MAX_RULE_NUMBER):
            raise RuleError(f"{name}={parts[name]} must be a whole number from 1 to {MAX_RULE_NUMBER}")
    written = tuple(parts.items())
    until = None
    if "UNTIL" in parts:
        until, bare_date = parse_until(parts.pop("UNTIL"), tz)
        if not FIRST_YEAR <= until.year <= LAST_YEAR:
            raise RuleError(f"UNTIL {until:%Y-%m-%d} is not between {FIRST_YEAR} and {LAST_YEAR}")
        if bare_date:
            # A bare date means "up to and including that day".
            until = until.replace(hour=23, minute=59, second=59)
    dtstart = TimeSpan(start, start).local_start()
    rule_text = ";".join(f"{k}={v}" for k, v in parts.items())
    try:
        expansion = rrulestr(rule_text, dtstart=dtstart)
    except (ValueError, TypeError) as err:
        raise RuleError(f"not a valid RRULE: {err}") from None
    numbers = _numbers(parts)
    if not isinstance(expansion, rrule):  # rrulestr gives an rruleset only for RDATE/EXRULE lines
        raise RuleError("not a valid RRULE: one rule only")
    if until is not None:
        if until < dtstart and strict:
            raise RuleError(f"UNTIL {until:%Y-%m-%d} is before the start {dtstart:%Y-%m-%d}")
        expansion = expansion.replace(until=until)
    first = next(iter(expansion), None) if strict else dtstart
    if first is None:
        raise RuleError("the rule gives no dates at all")
    if first != dtstart:
        raise RuleError(
            f"start {dtstart:%Y-%m-%d} is not a date of the rule; "
            f"start on its first date ({first:%Y-%m-%d})"
        )
    byday, bymonth, bymonthday = numbers
    return GregorianRule(
        text, start, tz, written, parts["FREQ"], int(parts.get("INTERVAL", "1")), byday, bymonth,
        bymonthday, int(parts["COUNT"]) if "COUNT" in parts else None, until, expansion)


def _numbers(parts: dict[str, str]) -> tuple[tuple[tuple[int | None, str], ...], tuple[int, ...], tuple[int, ...]]:
    """BYDAY, BYMONTH and BYMONTHDAY as values, for the rule in words."""
    byday = []
    for item in (i.strip() for i in parts.get("BYDAY", "").split(",") if i.strip()):
        found = _WEEKDAY.match(item)
        if found is None:
            # dateutil also reads its own SA(+2), which no calendar app does (the feed
            # copies the editor's BYDAY): only RFC 5545's form.
            raise RuleError(f"BYDAY={parts['BYDAY']}: write each day as MO, TU, WE, TH, FR, SA "
                            "or SU, with a number before it for one of the month (2SA, -1SU)")
        number, code = found.groups()
        byday.append((int(number) if number not in ("", "+") else None, code))

    def numbers(name: str) -> tuple[int, ...]:
        return tuple(int(v) for v in parts[name].split(",")) if name in parts else ()
    return tuple(byday), numbers("BYMONTH"), numbers("BYMONTHDAY")

