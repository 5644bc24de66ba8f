"""Dates and times in words, per language (Babel; no Flask).

Used by pages, feeds and the map so that an occurrence reads the same everywhere.
"""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_interval, format_time

from .model import Occurrence

LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB"}


# Chinese text takes full-width marks with no space after them; English, ASCII and a space.
PUNCTUATION = {"zh": {"colon": "：", "comma": "，", "semicolon": "；"},
               "en": {"colon": ": ", "comma": ", ", "semicolon": "; "}}


def punctuation(lang: str) -> dict[str, str]:
    """The colon, comma and semicolon that join phrases in `lang`."""
    return PUNCTUATION["en" if lang == "en" else "zh"]


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["zh"])


def day(value: date, lang: str, form: str = "full") -> str:
    """A date: 2026年12月12日星期六 / Saturday 12 December 2026 (form: full, long, medium, short)."""
    if form == "weekday":
        return format_date(value, "EEE", locale=locale_of(lang))
    return format_date(value, form, locale=locale_of(lang))


def day_range(first: date, last: date, lang: str) -> str:
    """Two days, short, as the month grid's bars say them: 4月17日至5月16日 / 17 Apr – 16 May."""
    return format_interval(first, last, "MMMd", locale=locale_of(lang))


def clock(value: datetime, lang: str) -> str:
    """A local time of day, 24-hour: 10:00."""
    return format_time(value, "HH:mm", locale=locale_of(lang))


def when(occurrence: Occurrence, lang: str, form: str = "full") -> str:
    """When an occurrence happens, in words: the date(s) and, if timed, the hours."""
    all_day = {"zh": "全天", "en": "all day"}[lang if lang in LOCALES else "zh"]
    clock_times = occurrence.when.clock
    if clock_times is None:
        first, last = occurrence.when.first_day, occurrence.when.last_day
        if first == last:
            return f"{day(first, lang, form)} · {all_day}"
        return f"{day(first, lang, form)} – {day(last, lang, form)}"
    start, end = clock_times
    if start.date() == end.date():
        return f"{day(start.date(), lang, form)} {clock(start, lang)}–{clock(end, lang)}"
    return f"{day(start.date(), lang, form)} {clock(start, lang)} – {day(end.date(), lang, form)} {clock(end, lang)}"
