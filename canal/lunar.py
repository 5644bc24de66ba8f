"""The Chinese lunar calendar: RFC 7529 `RSCALE=CHINESE` rules, lunar dates in words,
traditional festivals and the 24 solar terms.

Every conversion goes through tyme4py (MIT, pure Python, by 6tail; see
../shared/data/lunar-notes.md for why this library): this module does no astronomy of its
own. It only reads the rule, asks the library for the Gregorian date of a lunar date, and
applies RFC 7529's SKIP for a leap month or a day that a year does not have.

`LunarRule` is the parsed rule: recurrence expands it, rules.py puts it in words and the
feed writer reads it, so there is one parser for the lunar form. No Flask here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import ClassVar

from tyme4py.lunar import LunarDay, LunarMonth, LunarYear
from tyme4py.solar import SolarDay

from .model import FIRST_YEAR, LAST_YEAR, Text
from .span import day_of, time_of

# What a lunar rule may say (RFC 7529 adds RSCALE and SKIP to RFC 5545's parts).
LUNAR_PARTS = ("RSCALE", "FREQ", "BYMONTH", "BYMONTHDAY", "SKIP", "COUNT", "UNTIL")
SKIPS = ("OMIT", "BACKWARD", "FORWARD")
MAX_COUNT = LAST_YEAR - FIRST_YEAR + 1

# Month names as Chinese wall calendars print them (the 11th and 12th have their own).
MONTH_NAMES = ("正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月")
_DAY_TENS = ("初", "十", "廿", "三")
_DIGITS = "一二三四五六七八九十"


def day_name(day: int) -> str:
    """初一 … 初十, 十一 … 二十, 廿一 … 三十."""
    if day == 10:
        return "初十"
    if day == 20:
        return "二十"
    if day == 30:
        return "三十"
    return _DAY_TENS[(day - 1) // 10] + _DIGITS[(day - 1) % 10]


def month_name(month: int, leap: bool = False) -> str:
    """正月 … 腊月, 闰五月."""
    return ("闰" if leap else "") + MONTH_NAMES[month - 1]


def _ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# Traditional festivals by lunar (month, day); 除夕 is the last day of the 12th month,
# whether it has 29 or 30 days, so it is keyed by day -1.
FESTIVALS = {
    (1, 1): Text("春节", "Spring Festival"),
    (1, 15): Text("元宵节", "Lantern Festival"),
    (2, 2): Text("龙抬头", "Dragon Raises its Head"),
    (5, 5): Text("端午节", "Dragon Boat Festival"),
    (7, 7): Text("七夕节", "Qixi Festival"),
    (7, 15): Text("中元节", "Zhongyuan Festival"),
    (8, 15): Text("中秋节", "Mid-Autumn Festival"),
    (9, 9): Text("重阳节", "Double Ninth Festival"),
    (12, 8): Text("腊八节", "Laba Festival"),
    (12, -1): Text("除夕", "Chinese New Year's Eve"),
}

# The library's names, in its order (立春 … 大寒 repeat from 冬至), with English ones.
SOLAR_TERMS = {
    "冬至": "Winter Solstice", "小寒": "Minor Cold", "大寒": "Major Cold",
    "立春": "Start of Spring", "雨水": "Rain Water", "惊蛰": "Awakening of Insects",
    "春分": "Spring Equinox", "清明": "Pure Brightness", "谷雨": "Grain Rain",
    "立夏": "Start of Summer", "小满": "Grain Buds", "芒种": "Grain in Ear",
    "夏至": "Summer Solstice", "小暑": "Minor Heat", "大暑": "Major Heat",
    "立秋": "Start of Autumn", "处暑": "End of Heat", "白露": "White Dew",
    "秋分": "Autumn Equinox", "寒露": "Cold Dew", "霜降": "Frost's Descent",
    "立冬": "Start of Winter", "小雪": "Minor Snow", "大雪": "Major Snow",
}


@dataclass(frozen=True)
class LunarDate:
    """A day of the Chinese calendar: lunar year, month (leap or not) and day."""

    year: int
    month: int
    leap: bool
    day: int
    days_in_month: int

    @property
    def name(self) -> str:
        """五月初五, 闰五月初五."""
        return month_name(self.month, self.leap) + day_name(self.day)

    def words(self, lang: str) -> str:
        """农历五月初五 / "5th day of the 5th lunar month"."""
        if lang != "en":
            return "农历" + self.name
        leap = "leap " if self.leap else ""
        return f"{_ordinal_en(self.day)} day of the {leap}{_ordinal_en(self.month)} lunar month"

    @property
    def festival(self) -> Text | None:
        """The traditional festival on this day, if any."""
        if self.leap:
            return None  # festivals are in the regular month (端午 stays in 五月 in 2028)
        if self.month == 12 and self.day == self.days_in_month:
            return FESTIVALS[(12, -1)]
        return FESTIVALS.get((self.month, self.day))


@lru_cache(maxsize=256)
def _months(year: int) -> tuple[tuple[date, int, bool, int], ...]:
    """(first day, month, leap?, length) of each month of lunar `year`, from the library.

    Looked up per year: asking the library day by day (SolarDay.get_lunar_day) costs about
    10 ms a day, which a month grid of 42 days would feel."""
    found = []
    for month in LunarYear.from_year(year).get_months():
        first = month.get_first_julian_day().get_solar_day()
        found.append((date(first.get_year(), first.get_month(), first.get_day()),
                      abs(month.get_month_with_leap()), month.is_leap(), month.get_day_count()))
    return tuple(found)


@lru_cache(maxsize=8192)
def to_lunar(day: date) -> LunarDate:
    """The lunar date of a Gregorian day."""
    # A Gregorian day is in the lunar year of the same number or the one before.
    for year in (day.year, day.year - 1):
        for first, month, leap, length in _months(year):
            if first <= day < first + timedelta(days=length):
                return LunarDate(year, month, leap, (day - first).days + 1, length)
    raise ValueError(f"{day} is outside the lunar calendar's range")  # not for 1901-2100


@lru_cache(maxsize=8192)
def solar_term(day: date) -> Text | None:
    """The solar term (节气) that begins on this day, if one does."""
    term_day = SolarDay.from_ymd(day.year, day.month, day.day).get_term_day()
    if term_day.get_day_index() != 0:
        return None
    name = term_day.get_solar_term().get_name()
    return Text(name, SOLAR_TERMS.get(name, name))


def leap_month(year: int) -> int:
    """The month that has a leap month after it in lunar `year`; 0 when none."""
    return LunarYear.from_year(year).get_leap_month()


def _to_gregorian(year: int, month: int, leap: bool, day: int) -> date:
    solar = LunarDay.from_ymd(year, -month if leap else month, day).get_solar_day()
    return date(solar.get_year(), solar.get_month(), solar.get_day())


def _month_length(year: int, month: int, leap: bool) -> int:
    return LunarMonth.from_ym(year, -month if leap else month).get_day_count()


class LunarRuleError(ValueError):
    """A lunar `repeat` text we cannot use; the message says why in the editor's terms."""


@dataclass(frozen=True)
class LunarRule:
    """`RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=…;BYMONTHDAY=…` read into values.

    `day` is 1–30, or -1 for the month's last day. `until` is a local date (inclusive).
    `start` is the event's start (the rule's first date); the parser sets it. It has the
    shape of every parsed rule (canal.rule.CalendarRule).
    """

    calendar: ClassVar[str] = "CHINESE"  # RFC 7529's RSCALE name

    text: str
    month: int
    leap: bool
    day: int
    skip: str = "OMIT"
    count: int | None = None
    until: date | None = None
    start: date | datetime | None = None

    @property
    def until_day(self) -> date | None:
        return self.until

    @property
    def parts(self) -> tuple[tuple[str, str], ...]:
        """(NAME, VALUE) pairs in the editor's order."""
        return tuple(_split(self.text).items())

    @property
    def first(self) -> date:
        """The local date of the rule's first date (the event's start)."""
        if self.start is None:
            raise ValueError("a lunar rule made without its start has no dates")
        return day_of(self.start)

    def local_starts(self, lo: datetime, hi: datetime) -> list[datetime]:
        """Naive local starts in [lo, hi], both ends included, at the start's time of day."""
        at = time_of(self.first if self.start is None else self.start)
        return [moment for _, day in self.dates(self.first)
                if lo <= (moment := datetime.combine(day, at)) <= hi]

    def has_date(self, day: date) -> bool:
        return self.is_date(self.first, day)

    @property
    def wanted(self) -> str:
        """The rule's lunar date in Chinese: 五月初五, 腊月最后一天."""
        last = "最后一天"
        return month_name(self.month, self.leap) + (last if self.day == -1 else day_name(self.day))

    def date_in(self, year: int) -> date | None:
        """The rule's date in lunar `year`, after SKIP; None when the year has none (OMIT).

        RFC 7529: a leap month the year lacks is the regular month (BACKWARD) or the
        month after it (FORWARD); a day the month lacks (the 30th of a 29-day month) is
        the month's last day (BACKWARD) or the next month's first (FORWARD).
        """
        month, leap = self.month, self.leap
        if leap and leap_month(year) != month:
            if self.skip == "OMIT":
                return None
            leap = False
            if self.skip == "FORWARD":
                if month == 12:
                    return _first_of_next_year(year) if year < LAST_YEAR else None
                month += 1
        length = _month_length(year, month, leap)
        if self.day == -1:
            return _to_gregorian(year, month, leap, length)
        if self.day <= length:
            return _to_gregorian(year, month, leap, self.day)
        if self.skip == "OMIT":
            return None
        if self.skip == "BACKWARD":
            return _to_gregorian(year, month, leap, length)
        return _to_gregorian(year, month, leap, length) + timedelta(days=1)

    def dates(self, first: date) -> tuple[tuple[int, date], ...]:
        """(lunar year, Gregorian date) of every date of the rule from `first` (the event's
        start, a rule date) to COUNT, UNTIL or the site's last year."""
        return _expand(self, first)

    def is_date(self, first: date, day: date) -> bool:
        """Whether `day` is one of the rule's dates."""
        return any(found == day for _, found in self.dates(first))


def _first_of_next_year(year: int) -> date:
    return _to_gregorian(year + 1, 1, False, 1)


@lru_cache(maxsize=1024)
def _expand(rule: LunarRule, first: date) -> tuple[tuple[int, date], ...]:
    # Cached: the catalog is immutable, and pages, feeds and the ledger ask for the same dates.
    found = []
    # From the year before: SKIP=FORWARD can move a date of one lunar year into the next.
    for year in range(max(to_lunar(first).year - 1, FIRST_YEAR - 1), LAST_YEAR + 1):
        day = rule.date_in(year)
        if day is None or day < first:
            continue
        if rule.until is not None and day > rule.until:
            break
        if day.year > LAST_YEAR:
            break
        found.append((year, day))
        if rule.count is not None and len(found) >= rule.count:
            break
    return tuple(found)


def is_lunar(text: str | None) -> bool:
    """Whether a `repeat` text is an RSCALE rule (any calendar: the parser says which it takes)."""
    return text is not None and "RSCALE" in text.upper()


def _split(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for chunk in text.strip().strip(";").split(";"):
        name, sep, value = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not value.strip():
            raise LunarRuleError(f"'{chunk}' is not NAME=VALUE (example: "
                                 "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT=5)")
        if name in parts:
            raise LunarRuleError(f"{name} is given twice")
        parts[name] = value.strip().upper()
    return parts


def parse(text: str, start: date | datetime,
          parse_until: Callable[[str], tuple[datetime, bool]], strict: bool = True) -> LunarRule:
    """Read and check a lunar rule for an event starting at `start` (`strict=False`: not
    whether `start` is the rule's first date; see canal.rule.parse).

    `parse_until(value)` reads an UNTIL value into (naive local datetime, bare date?),
    as recurrence.parse_until does for every rule. Raises LunarRuleError.
    """
    parts = _split(text)
    scale = parts.get("RSCALE")
    if scale != "CHINESE":
        raise LunarRuleError(f"RSCALE={scale} is not supported: the only calendar is "
                             "RSCALE=CHINESE (the Chinese lunar calendar)")
    for name in parts:
        if name not in LUNAR_PARTS:
            raise LunarRuleError(f"{name} cannot be used with RSCALE=CHINESE "
                                 f"(allowed: {', '.join(LUNAR_PARTS)})")
    freq = parts.get("FREQ")
    if freq is None:
        raise LunarRuleError("FREQ is missing: a lunar rule is FREQ=YEARLY (every year on a lunar date)")
    if freq != "YEARLY":
        raise LunarRuleError(f"FREQ={freq} is not supported with RSCALE=CHINESE: only FREQ=YEARLY "
                             "(every year on a lunar date)")
    raw_month = parts.get("BYMONTH")
    if raw_month is None:
        raise LunarRuleError("BYMONTH is missing: give the lunar month, e.g. BYMONTH=5 for 五月")
    leap = raw_month.endswith("L")
    number = raw_month[:-1] if leap else raw_month
    if not (number.isdigit() and 1 <= int(number) <= 12):
        raise LunarRuleError(f"BYMONTH={raw_month} must be one lunar month, 1 to 12 "
                             "(or 1L to 12L for a leap month)")
    raw_day = parts.get("BYMONTHDAY")
    if raw_day is None:
        raise LunarRuleError("BYMONTHDAY is missing: give the lunar day, e.g. BYMONTHDAY=5 for 初五")
    if raw_day == "-1":
        day = -1
    elif raw_day.isdigit() and 1 <= int(raw_day) <= 30:
        day = int(raw_day)
    else:
        raise LunarRuleError(f"BYMONTHDAY={raw_day} must be one lunar day, 1 to 30 "
                             "(or -1 for the month's last day)")
    skip = parts.get("SKIP", "OMIT")
    if skip not in SKIPS:
        raise LunarRuleError(f"SKIP={skip} is not one of {', '.join(SKIPS)}")
    if "COUNT" in parts and "UNTIL" in parts:
        raise LunarRuleError("give COUNT or UNTIL, not both")
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise LunarRuleError("a lunar rule needs COUNT or UNTIL (for five years: COUNT=5); "
                             "dates decades ahead are uncertain")
    count: int | None = None
    until: date | None = None
    if "COUNT" in parts:
        if not (parts["COUNT"].isdigit() and 1 <= int(parts["COUNT"]) <= MAX_COUNT):
            raise LunarRuleError(f"COUNT={parts['COUNT']} must be a whole number from 1 to {MAX_COUNT}")
        count = int(parts["COUNT"])
    if "UNTIL" in parts:
        local, _ = parse_until(parts["UNTIL"])
        if not FIRST_YEAR <= local.year <= LAST_YEAR:
            raise LunarRuleError(f"UNTIL {local:%Y-%m-%d} is not between {FIRST_YEAR} and {LAST_YEAR}")
        until = local.date()
    rule = LunarRule(text, int(number), leap, day, skip, count, until, start)
    first = day_of(start)
    if not strict:
        return rule
    if until is not None and until < first:
        raise LunarRuleError(f"UNTIL {until:%Y-%m-%d} is before the start {first:%Y-%m-%d}")
    _check_start(rule, first)
    return rule


def _check_start(rule: LunarRule, first: date) -> None:
    """The start must be the rule's first date, as for every rule (the feed's DTSTART)."""
    lunar = to_lunar(first)
    if first in (rule.date_in(lunar.year), rule.date_in(lunar.year - 1)):
        return
    # The date in the start's own lunar year, even if earlier: the editor mistyped a day.
    suggestion = rule.date_in(lunar.year)
    year = lunar.year
    while suggestion is None and year < LAST_YEAR:
        year += 1
        suggestion = rule.date_in(year)
    hint = f"; start on {suggestion:%Y-%m-%d}" if suggestion else ""
    raise LunarRuleError(f"start {first:%Y-%m-%d} is {lunar.name}, not {rule.wanted} "
                         f"(the rule's date){hint}")


@dataclass(frozen=True)
class DayNote:
    """What a Chinese wall calendar prints under a day: the lunar day (the month's name on
    its first day), a traditional festival and a solar term."""

    lunar: LunarDate
    festival: Text | None
    term: Text | None

    @property
    def label(self) -> str:
        """初五; on the first day of a month its name instead (五月, 闰五月), as calendars do."""
        if self.lunar.day == 1:
            return month_name(self.lunar.month, self.lunar.leap)
        return day_name(self.lunar.day)


def day_note(day: date) -> DayNote:
    """The lunar day, festival and solar term of a Gregorian day."""
    lunar = to_lunar(day)
    return DayNote(lunar, lunar.festival, solar_term(day))
