"""A recurrence rule in words: 每月第二个周六 / "every month on the 2nd Saturday".

Covers the rules editors write on this site (DAILY/WEEKLY/MONTHLY/YEARLY with
INTERVAL, BYDAY with ordinals, BYMONTHDAY, BYMONTH, COUNT, UNTIL) plus the
`except` dates. No Flask: the two languages are plain tables here, as in text.py.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from . import lunar
from . import text as words
from .model import Event
from .rule import GregorianRule

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ZH_WEEKDAY = dict(zip(WEEKDAYS, ("周一", "周二", "周三", "周四", "周五", "周六", "周日"), strict=True))
EN_WEEKDAY = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday",
                                 "Friday", "Saturday", "Sunday"), strict=True))
EN_MONTH = ("January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December")
ZH_NUMBER = dict(enumerate("零一二三四五六七八九十", 0))
EN_UNIT = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
ZH_UNIT = {"DAILY": "天", "WEEKLY": "周", "MONTHLY": "月", "YEARLY": "年"}


def _ordinal_en(n: int) -> str:
    if n == -1:
        return "last"
    if n < 0:
        return f"{_ordinal_en(-n)}-to-last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _zh_count(n: int) -> str:
    return ZH_NUMBER[n] if 0 <= n <= 10 else str(n)


def _ordinal_zh(n: int) -> str:
    if n == -1:
        return "最后一个"
    if n < 0:
        return f"倒数第{_zh_count(-n)}个"
    return f"第{_zh_count(n)}个"


def _runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive runs: [1, 2, 3, 5] -> [(1, 3), (5, 5)], so "1–3 and 5" reads well."""
    runs: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _join_en(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _describe_zh(rule: GregorianRule, start: date) -> str:
    freq, interval = rule.freq, rule.interval
    if interval == 1:
        every = "每" + ZH_UNIT[freq]
    else:
        # 每两周, 每三个月: "two" is 两 before a measure word, and months take 个.
        number = "两" if interval == 2 else _zh_count(interval)
        every = "每" + number + ("个月" if freq == "MONTHLY" else ZH_UNIT[freq])
    days, months, monthdays = rule.byday, rule.bymonth, rule.bymonthday
    month_text = "、".join(f"{m}月" for m in months)
    day_text = "、".join(f"{a}日" if a == b else f"{a}日至{b}日" for a, b in _runs(monthdays))
    if freq == "DAILY":
        return every
    if freq == "WEEKLY":
        codes = [code for _, code in days] or [WEEKDAYS[start.weekday()]]
        if sorted(codes) == ["SA", "SU"]:
            return every + "末（周六、周日）" if interval == 1 else every + "的周六、周日"
        names = "、".join(ZH_WEEKDAY[c] for c in sorted(codes, key=WEEKDAYS.index))
        # 每周五、周六 reads naturally; 每周周五 does not.
        return "每" + names if interval == 1 else every + "的" + names
    if days:
        named = "、".join((_ordinal_zh(n) if n else "每个") + ZH_WEEKDAY[c] for n, c in days)
    elif monthdays:
        named = day_text
    else:
        named = f"{start.day}日" if freq == "MONTHLY" else f"{start.month}月{start.day}日"
    if freq == "MONTHLY":
        return every + named
    # YEARLY
    if months and (days or monthdays):
        return f"{every}{month_text}的{named}"
    if months:
        return f"{every}{month_text}{start.day}日"
    return every + named


def _describe_en(rule: GregorianRule, start: date) -> str:
    freq, interval = rule.freq, rule.interval
    unit = EN_UNIT[freq]
    every = f"every {unit}" if interval == 1 else f"every {interval} {unit}s"
    days, months, monthdays = rule.byday, rule.bymonth, rule.bymonthday
    month_text = _join_en([EN_MONTH[m - 1] for m in months])
    day_text = _join_en([str(a) if a == b else f"{a}–{b}" for a, b in _runs(monthdays)])
    if freq == "DAILY":
        return every
    if freq == "WEEKLY":
        codes = [code for _, code in days] or [WEEKDAYS[start.weekday()]]
        if sorted(codes) == ["SA", "SU"] and interval == 1:
            return "every weekend (Saturday and Sunday)"
        names = _join_en([EN_WEEKDAY[c] for c in sorted(codes, key=WEEKDAYS.index)])
        return f"every {names}" if interval == 1 else f"{every} on {names}"
    if days:
        named = _join_en([("the " + _ordinal_en(n) + " " if n else "every ") + EN_WEEKDAY[c]
                          for n, c in days])
    elif monthdays:
        named = ("day " if len(monthdays) == 1 else "days ") + day_text
    else:
        named = f"day {start.day}" if freq == "MONTHLY" else f"{start.day} {EN_MONTH[start.month - 1]}"
    if freq == "MONTHLY":
        return f"{every} on {named}"
    if months and (days or monthdays):
        return f"{every} in {month_text}, on {named}"
    if months:
        return f"{every} in {month_text}, on day {start.day}"
    return f"{every} on {named}"


def _lunar_day_en(day: int) -> str:
    return "the last day" if day == -1 else f"the {_ordinal_en(day)} day"


def describe_lunar(rule: lunar.LunarRule, lang: str = "zh") -> str:
    """每年农历五月初五（端午节） / "every year on the 5th day of the 5th lunar month
    (Dragon Boat Festival)": the lunar part of a rule, with the festival on that date."""
    festival = None if rule.leap else lunar.FESTIVALS.get((rule.month, rule.day))
    if (rule.month, rule.day, rule.leap, rule.skip) in ((12, 30, False, "BACKWARD"),):
        festival = lunar.FESTIVALS[(12, -1)]  # 腊月三十, else 廿九: always 除夕
    if lang != "en":
        text = "每年农历" + rule.wanted
        if festival:
            text += f"（{festival.zh}）"
        if rule.leap:
            other = {"OMIT": "不举行",
                     "BACKWARD": "改在" + lunar.month_name(rule.month) + rule.wanted[3:],
                     "FORWARD": "改在" + (lunar.month_name(rule.month + 1) + rule.wanted[3:]
                                        if rule.month < 12 else "次年正月初一")}[rule.skip]
            text += f"（无{lunar.month_name(rule.month, True)}的年份{other}）"
        return text
    leap = "leap " if rule.leap else ""
    text = f"every year on {_lunar_day_en(rule.day)} of the {leap}{_ordinal_en(rule.month)} lunar month"
    if festival:
        text += f" ({festival.en})"
    if rule.leap:
        other = {"OMIT": "not held",
                 "BACKWARD": f"in the regular {_ordinal_en(rule.month)} month",
                 "FORWARD": (f"in the {_ordinal_en(rule.month + 1)} month" if rule.month < 12
                             else "on the next New Year's Day")}[rule.skip]
        text += f" (in years without a leap {_ordinal_en(rule.month)} month, {other})"
    return text


def describe(event: Event, lang: str = "zh") -> str:
    """The event's `repeat` rule and `except` dates in words; "" for a one-off event."""
    rule = event.rule
    if rule is None:
        return ""
    zh = lang != "en"
    if isinstance(rule, GregorianRule):
        start = event.first_day
        text = _describe_zh(rule, start) if zh else _describe_en(rule, start)
    else:
        text = describe_lunar(rule, lang)
    if rule.count is not None:
        # COUNT counts the rule's dates before `except` takes any away (RFC 5545); visitors
        # count the dates that happen. The loader checks that every except date is a rule date.
        count = rule.count - len(set(event.except_dates))
        text += f"，共{count}次" if zh else f", {count} times"
    last = rule.until_day  # local: a UTC UNTIL late in the evening is the next day here
    if last is not None:
        text += f"，至{words.day(last, 'zh', 'long')}" if zh else f", until {words.day(last, 'en', 'long')}"
    if event.except_dates:
        listed = [words.day(d, lang, "long") for d in sorted(event.except_dates)]
        text += f"（{'、'.join(listed)}除外）" if zh else f" (except {_join_en(listed)})"
    return text
