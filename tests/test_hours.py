"""Opening hours: (rule, moment) -> words and "open now", from the parsed OSM rule."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from canal import hours

MUSEUM = "Tu-Su 10:00-20:00"
MUSEUM_PH = "Tu-Su 10:00-20:00; PH 10:00-20:00"
PARK_PH_OFF = "Mo-Su 06:00-21:00; PH off"
NIGHT = "Mo-Su 18:00-24:00"
# 2026-10-05 is a Monday inside the National Day golden week.
GOLDEN = hours.holidays_from([date(2026, 10, d) for d in range(1, 8)])
BJ = ZoneInfo("Asia/Shanghai")

CASES = [
    # rule, last entry, moment (Beijing), holidays, today's words zh, en, now zh, now en
    (MUSEUM, time(19), "2026-12-01T12:00", None,
     "今天 10:00–20:00 开放（19:00 停止入馆）", "Open today 10:00–20:00 (last entry 19:00)",
     "正在开放，20:00 闭馆", "Open now, until 20:00"),
    # after last entry, before closing
    (MUSEUM, time(19), "2026-12-01T19:30", None,
     "今天 10:00–20:00 开放（19:00 停止入馆）", "Open today 10:00–20:00 (last entry 19:00)",
     "已停止入馆（20:00 闭馆）", "Last entry has passed (closes 20:00)"),
    # last entry given as minutes before closing
    (MUSEUM, 60, "2026-12-01T19:00", None,
     "今天 10:00–20:00 开放（19:00 停止入馆）", "Open today 10:00–20:00 (last entry 19:00)",
     "已停止入馆（20:00 闭馆）", "Last entry has passed (closes 20:00)"),
    # the closing day
    (MUSEUM, time(19), "2026-11-30T12:00", None, "今天闭馆", "Closed today",
     "现在闭馆，明天 10:00 开放", "Closed now; opens tomorrow at 10:00"),
    # a public holiday on the closing day: the PH rule opens it
    (MUSEUM_PH, time(19), "2026-10-05T11:00", GOLDEN,
     "今天（法定节假日）10:00–20:00 开放（19:00 停止入馆）",
     "Open today (public holiday) 10:00–20:00 (last entry 19:00)",
     "正在开放，20:00 闭馆", "Open now, until 20:00"),
    # the same Monday with no holiday knowledge: closed (the default knows no holidays)
    (MUSEUM_PH, time(19), "2026-10-05T11:00", None, "今天闭馆", "Closed today",
     "现在闭馆，明天 10:00 开放", "Closed now; opens tomorrow at 10:00"),
    # PH off closes a park that is open every day
    (PARK_PH_OFF, None, "2026-10-02T12:00", GOLDEN, "今天（法定节假日）闭馆",
     "Closed today (public holiday)", "现在闭馆，周四 06:00 开放", "Closed now; opens Thu at 06:00"),
    # midnight: a night market open until 24:00 is closed at 00:00, opens at 18:00
    (NIGHT, None, "2026-12-02T00:00", None, "今天 18:00–24:00 开放", "Open today 18:00–24:00",
     "现在闭馆，今天 18:00 开放", "Closed now; opens today at 18:00"),
    (NIGHT, None, "2026-12-01T23:59", None, "今天 18:00–24:00 开放", "Open today 18:00–24:00",
     "正在开放，24:00 闭馆", "Open now, until 24:00"),
    # a moment given in UTC is read in Beijing time (04:00Z = 12:00 in Beijing)
    (MUSEUM, None, "2026-12-01T04:00+00:00", None, "今天 10:00–20:00 开放",
     "Open today 10:00–20:00", "正在开放，20:00 闭馆", "Open now, until 20:00"),
]


@pytest.mark.parametrize(("rule", "entry", "moment", "holidays", "zh", "en", "now_zh", "now_en"), CASES)
def test_rule_and_moment_give_words_and_open_now(rule, entry, moment, holidays, zh, en, now_zh, now_en):
    at = datetime.fromisoformat(moment)
    known = holidays or hours.no_holidays
    today = (at.astimezone(BJ) if at.tzinfo else at).date()
    assert hours.day_words(rule, today, today, "zh", entry, known) == zh
    assert hours.day_words(rule, today, today, "en", entry, known) == en
    status = hours.status_at(rule, at, entry, known)
    assert hours.now_words(status, "zh", today) == now_zh
    assert hours.now_words(status, "en", today) == now_en


WEEKS = [
    (MUSEUM, time(19), ["周二至周日 10:00–20:00（19:00 停止入馆）", "周一闭馆"],
     ["Tue–Sun 10:00–20:00 (last entry 19:00)", "Closed on Mondays"]),
    (MUSEUM_PH, None, ["周二至周日 10:00–20:00", "周一闭馆", "法定节假日照常开放"],
     ["Tue–Sun 10:00–20:00", "Closed on Mondays", "Open as usual on public holidays"]),
    (PARK_PH_OFF, None, ["每天 06:00–21:00", "法定节假日闭馆"],
     ["Daily 06:00–21:00", "Closed on public holidays"]),
    ("Tu-Su 09:00-17:00; PH 09:00-12:00", None, ["周二至周日 09:00–17:00", "周一闭馆", "法定节假日 09:00–12:00 开放"],
     ["Tue–Sun 09:00–17:00", "Closed on Mondays", "Public holidays 09:00–12:00"]),
    # seasons: the week shown is the one in force (December: winter hours)
    ("Apr-Oct Tu-Su 09:00-17:00; Nov-Mar Tu-Su 09:00-16:30", None,
     ["周二至周日 09:00–16:30", "周一闭馆"], ["Tue–Sun 09:00–16:30", "Closed on Mondays"]),
    ("Mo,Tu 10:00-12:00,14:00-16:00", None, ["周一、周二 10:00–12:00、14:00–16:00", "周三至周日闭馆"],
     ["Mon, Tue 10:00–12:00, 14:00–16:00", "Closed on Wednesdays, Thursdays, Fridays, Saturdays, Sundays"]),
]


@pytest.mark.parametrize(("rule", "entry", "zh", "en"), WEEKS)
def test_the_usual_week_in_words(rule, entry, zh, en):
    assert hours.week_words(rule, date(2026, 11, 30), "zh", entry) == zh
    assert hours.week_words(rule, date(2026, 11, 30), "en", entry) == en


def test_schema_org_specification_lists_each_open_day_and_holidays():
    spec = hours.opening_hours_specification(MUSEUM_PH, date(2026, 11, 30))
    days = [s["dayOfWeek"].rsplit("/", 1)[1] for s in spec]
    assert days == ["Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "PublicHolidays"]
    assert all(s["opens"] == "10:00" and s["closes"] == "20:00" for s in spec)
    closed = hours.opening_hours_specification(PARK_PH_OFF, date(2026, 11, 30))[-1]
    assert closed == {"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/PublicHolidays",
                      "opens": "00:00", "closes": "00:00"}


def test_open_windows_for_the_browser_carry_the_offset_and_last_entry():
    found = hours.open_windows(MUSEUM, datetime(2026, 11, 30, 12, tzinfo=BJ), 2, last_entry=time(19))
    assert found == [{"start": "2026-12-01T10:00:00+08:00", "end": "2026-12-01T20:00:00+08:00",
                      "entry": "2026-12-01T19:00:00+08:00"}]


def test_covers_says_whether_a_day_has_hours():
    assert hours.covers(MUSEUM, date(2026, 12, 1)) and not hours.covers(MUSEUM, date(2026, 11, 30))
    assert hours.covers(MUSEUM_PH, date(2026, 10, 5), GOLDEN)
