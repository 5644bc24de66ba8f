"""Opening hours: OpenStreetMap `opening_hours` rules, evaluated by opening-hours-py.

The rule text is parsed and evaluated only by the library (never by us). What we add:

- **Public holidays come from outside.** The library's built-in holiday calendar for
  China knows one day per festival and nothing of the State Council's yearly notice
  (golden weeks, 调休), so we never give it a country: `PH` then never matches on its
  own. Instead the caller passes `is_holiday(day) -> bool` (issue 13's holiday data;
  default: no known holidays). On a day that is a holiday we evaluate the same rule with
  each `PH` day selector widened to `Mo-Su`, so the rules that name `PH` apply that day,
  in the rule's own order (later rules win, as the OSM specification says).
- **Last entry** is a separate field: a clock time, or minutes before closing.
- **Words and schema.org** are built from evaluated intervals, so seasons, closing days
  and holiday rules read the same way on the page, in popups and in JSON-LD.

No Flask here; "now" and holidays are arguments.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours as _library

Holidays = Callable[[date], bool]
BEIJING = ZoneInfo("Asia/Shanghai")


def no_holidays(day: date) -> bool:
    """The default holiday knowledge: none (a `PH` rule then never applies)."""
    return False


def holidays_from(days: Iterable[date]) -> Holidays:
    """A holiday test from a set of dates (tests, or a data file's list)."""
    known = frozenset(days)
    return known.__contains__


class HoursError(ValueError):
    """The rule cannot be used; the message says why, for the editor."""


# `PH` as a day selector, outside "quoted comments".
_PH = re.compile(r'"[^"]*"|\bPH\b')


def _widen_holidays(text: str) -> str:
    return _PH.sub(lambda m: m.group() if m.group().startswith('"') else "Mo-Su", text)


def mentions_holidays(text: str) -> bool:
    return _widen_holidays(text) != text


@lru_cache(maxsize=512)
def _compiled(text: str, holiday: bool):
    # No country and no coordinates: the library must not guess holidays or a zone.
    return _library.OpeningHours(_widen_holidays(text) if holiday else text, timezone=None,
                                 country=None, coords=None, auto_country=False,
                                 auto_timezone=False)


def check(text: str) -> str:
    """`text` if it is a rule we can evaluate; HoursError with the library's reason otherwise."""
    try:
        _compiled(text, False)
    except Exception as err:  # the library raises its own ParserError (a SyntaxError)
        # Its message points at the place it stopped (" --> 1:19"); name what stands there.
        where = re.search(r"-->\s*\d+:(\d+)", str(err))
        at = ""
        if where:
            column = int(where.group(1))
            rest = text[column - 1:].split(" ")[0] or text[column - 1:column + 9]
            at = f" from character {column}, '{rest}'" if rest else " at its end"
        raise HoursError(f"'{text}' is not an OpenStreetMap opening_hours rule (not understood{at}); "
                         "e.g. \"Tu-Su 10:00-20:00; PH 10:00-20:00\"") from None
    if mentions_holidays(text):
        try:
            _compiled(text, True)
        except Exception:
            raise HoursError(f"'{text}': write PH as a day of its own rule or list, e.g. "
                             "\"Tu-Su 10:00-20:00; PH off\" or \"Sa,Su,PH 09:00-17:00\"") from None
    return text


@dataclass(frozen=True)
class Span:
    """One open period of a local day; `end` may be midnight of the next day."""

    start: datetime
    end: datetime

    def clock(self) -> str:
        return f"{_clock(self.start)}–{_clock(self.end, closing=True)}"


def _clock(moment: datetime, closing: bool = False) -> str:
    if closing and moment.time() == time(0):
        return "24:00"
    return moment.strftime("%H:%M")


def day_spans(text: str, day: date, is_holiday: Holidays = no_holidays) -> list[Span]:
    """The open periods of `day` (local, naive wall-clock times of the site)."""
    begin = datetime.combine(day, time())
    finish = begin + timedelta(days=1)
    rule = _compiled(text, bool(is_holiday(day)))
    spans: list[Span] = []
    for start, end, state, _comment in rule.intervals(begin, finish):
        if state != _library.State.OPEN:
            continue
        start, end = max(start, begin), min(end, finish)
        if spans and spans[-1].end == start:
            spans[-1] = Span(spans[-1].start, end)
        elif end > start:
            spans.append(Span(start, end))
    return spans


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None) if moment.tzinfo else moment


def last_entry_of(span: Span, last_entry: time | int | None) -> datetime | None:
    """When entry stops in `span`: a clock time inside it, or minutes before it ends."""
    if last_entry is None:
        return None
    if isinstance(last_entry, int):
        moment = span.end - timedelta(minutes=last_entry)
    else:
        moment = datetime.combine(span.start.date(), last_entry)
    return moment if span.start < moment < span.end else None


@dataclass(frozen=True)
class Status:
    """The state of a site at one moment (Beijing time)."""

    open: bool
    entry_closed: bool  # open, but last entry has passed
    span: Span | None   # the open period now, if open
    next_open: datetime | None  # the next opening within a week, if closed


def status_at(text: str, moment: datetime, last_entry: time | int | None = None,
              is_holiday: Holidays = no_holidays, tz: ZoneInfo = BEIJING) -> Status:
    """Open now? `moment` is converted to the site's time zone (Beijing) first."""
    local = _local(moment, tz)
    for span in day_spans(text, local.date(), is_holiday):
        if span.start <= local < span.end:
            entry = last_entry_of(span, last_entry)
            return Status(True, entry is not None and local >= entry, span, None)
    for offset in range(0, 8):
        day = local.date() + timedelta(days=offset)
        for span in day_spans(text, day, is_holiday):
            if span.start > local:
                return Status(False, False, None, span.start)
    return Status(False, False, None, None)


def week_spans(text: str, first: date, is_holiday: Holidays = no_holidays,
               days: int = 7) -> list[tuple[date, bool, list[Span]]]:
    """(day, is a holiday, open periods) for `days` days from `first`."""
    return [(d, bool(is_holiday(d)), day_spans(text, d, is_holiday))
            for d in (first + timedelta(days=n) for n in range(days))]


def open_windows(text: str, start: datetime, days: int, is_holiday: Holidays = no_holidays,
                 last_entry: time | int | None = None, tz: ZoneInfo = BEIJING) -> list[dict]:
    """Open periods from `start` for `days` days as ISO texts with the zone's offset, for the
    browser to say "open now" on cached or exported pages (it only compares clock times)."""
    local = _local(start, tz)
    found = []
    for offset in range(days):
        for span in day_spans(text, local.date() + timedelta(days=offset), is_holiday):
            if span.end <= local:
                continue
            entry = last_entry_of(span, last_entry)
            found.append({"start": span.start.replace(tzinfo=tz).isoformat(),
                          "end": span.end.replace(tzinfo=tz).isoformat(),
                          "entry": entry.replace(tzinfo=tz).isoformat() if entry else None})
    return found


def covers(text: str, day: date, is_holiday: Holidays = no_holidays) -> bool:
    """Whether the site opens at all on `day`."""
    return bool(day_spans(text, day, is_holiday))


# --- Words ---------------------------------------------------------------------------

WEEKDAYS = {"zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
            "en": ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays",
                   "Sundays")}
WEEKDAY_SHORT = {"zh": WEEKDAYS["zh"], "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "zh"


def _spans_text(spans: list[Span], lang: str) -> str:
    return ("、" if _lang(lang) == "zh" else ", ").join(s.clock() for s in spans)


def _entry_text(spans: list[Span], last_entry, lang: str) -> str:
    entries = [e for e in (last_entry_of(s, last_entry) for s in spans) if e]
    if not entries:
        return ""
    clock = _clock(entries[-1])
    return f"（{clock} 停止入馆）" if _lang(lang) == "zh" else f" (last entry {clock})"


def day_words(text: str, day: date, today: date, lang: str, last_entry=None,
              is_holiday: Holidays = no_holidays) -> str:
    """"今天 10:00–20:00 开放（19:00 停止入馆）" / "Open today 10:00–20:00 (last entry 19:00)",
    "今天闭馆" / "Closed today"; other days by weekday ("周一闭馆" / "Closed on Monday")."""
    lang = _lang(lang)
    spans = day_spans(text, day, is_holiday)
    holiday = is_holiday(day)
    if day == today:
        name = {"zh": "今天", "en": "today"}[lang]
    elif day == today + timedelta(days=1):
        name = {"zh": "明天", "en": "tomorrow"}[lang]
    else:
        name = WEEKDAYS[lang][day.weekday()] if lang == "zh" else "on " + WEEKDAYS[lang][day.weekday()][:-1]
    mark = {"zh": "（法定节假日）", "en": " (public holiday)"}[lang] if holiday else ""
    if not spans:
        return f"{name}{mark}闭馆" if lang == "zh" else f"Closed {name}{mark}"
    hours = _spans_text(spans, lang)
    entry = _entry_text(spans, last_entry, lang)
    if lang == "zh":
        return f"{name}{mark}{'' if mark else ' '}{hours} 开放{entry}"
    return f"Open {name}{mark} {hours}{entry}"


def now_words(status: Status, lang: str, today: date) -> str:
    """"正在开放" / "Open now", "已停止入馆" / "Last entry has passed", "现在闭馆" / "Closed now"."""
    lang = _lang(lang)
    if status.open and status.span is not None:  # open: status_at gives the open period
        closes = _clock(status.span.end, True)
        if status.entry_closed:
            return {"zh": f"已停止入馆（{closes} 闭馆）",
                    "en": f"Last entry has passed (closes {closes})"}[lang]
        return {"zh": f"正在开放，{closes} 闭馆",
                "en": f"Open now, until {closes}"}[lang]
    if status.next_open is None:
        return {"zh": "现在闭馆", "en": "Closed now"}[lang]
    when = _clock(status.next_open)
    day = status.next_open.date()
    if day == today:
        return {"zh": f"现在闭馆，今天 {when} 开放", "en": f"Closed now; opens today at {when}"}[lang]
    if day == today + timedelta(days=1):
        return {"zh": f"现在闭馆，明天 {when} 开放", "en": f"Closed now; opens tomorrow at {when}"}[lang]
    weekday = WEEKDAY_SHORT[lang][day.weekday()]
    return {"zh": f"现在闭馆，{weekday} {when} 开放", "en": f"Closed now; opens {weekday} at {when}"}[lang]


def _weekday_ranges(days: list[int], lang: str) -> str:
    """[1,2,3,4,5,6] → 周二至周日 / Tuesday to Sunday."""
    groups: list[list[int]] = []
    for d in sorted(days):
        if groups and groups[-1][-1] == d - 1:
            groups[-1].append(d)
        else:
            groups.append([d])
    names = WEEKDAY_SHORT[lang]
    parts = []
    for g in groups:
        if len(g) >= 3:
            parts.append(f"{names[g[0]]}至{names[g[-1]]}" if lang == "zh" else f"{names[g[0]]}–{names[g[-1]]}")
        else:
            parts.extend(names[d] for d in g)
    return ("、" if lang == "zh" else ", ").join(parts)


def week_words(text: str, first: date, lang: str, last_entry=None,
               is_holiday: Holidays = no_holidays) -> list[str]:
    """The usual week in sentences: "周二至周日 10:00–20:00（19:00 停止入馆）", "周一闭馆"
    ("Closed on Mondays"), and what the rule says for public holidays ("法定节假日照常开放").

    Read from the 7 ordinary (non-holiday) days from `first`, so a season in force shows."""
    lang = _lang(lang)
    by_weekday: dict[int, list[Span]] = {}
    day = first
    while len(by_weekday) < 7 and (day - first).days < 28:
        if not is_holiday(day):
            by_weekday.setdefault(day.weekday(), day_spans(text, day))
        day += timedelta(days=1)
    lines = []
    groups: dict[tuple, list[int]] = {}
    for weekday in sorted(by_weekday):
        spans = by_weekday[weekday]
        key = tuple(s.clock() for s in spans)
        groups.setdefault(key, []).append(weekday)
    closed = groups.pop((), [])
    for weekdays in groups.values():
        spans = by_weekday[weekdays[0]]
        label = "每天" if lang == "zh" else "Daily"
        if len(weekdays) < 7:
            label = _weekday_ranges(weekdays, lang)
        lines.append(f"{label} {_spans_text(spans, lang)}{_entry_text(spans, last_entry, lang)}")
    if closed and len(closed) < 7:
        if lang == "zh":
            lines.append(f"{_weekday_ranges(closed, 'zh')}闭馆")
        else:
            names = [WEEKDAYS["en"][d] for d in closed]
            lines.append("Closed on " + (" and ".join(names) if len(names) < 3 else ", ".join(names)))
    elif closed:
        lines.append({"zh": "平日不开放", "en": "Not open on ordinary days"}[lang])
    holiday = holiday_words(text, first, lang, by_weekday)
    if holiday:
        lines.append(holiday)
    return lines


def holiday_words(text: str, first: date, lang: str, usual: dict[int, list[Span]] | None = None) -> str:
    """What the rule says for public holidays, or "" when it does not mention them."""
    if not mentions_holidays(text):
        return ""
    always = holidays_from(first + timedelta(days=n) for n in range(7))
    on_holiday = {d.weekday(): [s.clock() for s in spans]
                  for d, _h, spans in week_spans(text, first, always)}
    kinds = {tuple(v) for v in on_holiday.values()}
    if kinds == {()}:
        return {"zh": "法定节假日闭馆", "en": "Closed on public holidays"}[lang]
    if len(kinds) == 1:
        hours = kinds.pop()
        usual_hours = {tuple(s.clock() for s in spans) for spans in (usual or {}).values()} - {()}
        if usual_hours == {hours}:
            return {"zh": "法定节假日照常开放", "en": "Open as usual on public holidays"}[lang]
        joined = ("、" if lang == "zh" else ", ").join(hours)
        return {"zh": f"法定节假日 {joined} 开放", "en": f"Public holidays {joined}"}[lang]
    return {"zh": "法定节假日开放时间另有安排", "en": "Special hours on public holidays"}[lang]


# --- schema.org ----------------------------------------------------------------------

SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def opening_hours_specification(text: str, first: date) -> list[dict]:
    """schema.org OpeningHoursSpecification objects for the ordinary week from `first`,
    plus a PublicHolidays entry when the rule says what holidays do."""
    found = []
    for day, _h, spans in week_spans(text, first):
        for span in spans:
            found.append({"@type": "OpeningHoursSpecification",
                          "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[day.weekday()]}",
                          "opens": span.start.strftime("%H:%M"),
                          "closes": _clock(span.end, closing=True)})
    if mentions_holidays(text):
        always = holidays_from([first])
        spans = day_spans(text, first, always)
        holiday = "https://schema.org/PublicHolidays"
        if spans:
            found.extend({"@type": "OpeningHoursSpecification", "dayOfWeek": holiday,
                          "opens": s.start.strftime("%H:%M"), "closes": _clock(s.end, True)}
                         for s in spans)
        else:
            # schema.org's way of saying "closed": opens and closes at midnight.
            found.append({"@type": "OpeningHoursSpecification", "dayOfWeek": holiday,
                          "opens": "00:00", "closes": "00:00"})
    return found
