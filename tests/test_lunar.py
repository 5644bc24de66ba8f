"""Lunar-date rules (RSCALE=CHINESE): dates, the editor's messages, words, and a second library."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from borax.calendars.lunardate import LunarDate as BoraxDate

from canal import lunar, rules
from canal.loader import LoadError, load, parse
from canal.recurrence import occurrences, parse_until

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
SHANGHAI = ZoneInfo("Asia/Shanghai")

HEAD = '''[meta]
name = { zh = "北运河", en = "North Canal" }
timezone = "Asia/Shanghai"
base_url = "https://canal.test"

[areas.tongzhou]
name = { zh = "通州" }

[categories.festival]
name = { zh = "节庆" }

[sites.wharf]
name = { zh = "码头" }
area = "tongzhou"
kind = { zh = "码头" }
lat = 39.88
lon = 116.70
precision_m = 1000
description = { zh = "码头。" }

[events.race]
title = { zh = "龙舟赛" }
site = "wharf"
categories = ["festival"]
'''


def problems(body: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        parse(HEAD + body, "events.toml")
    return [str(p) for p in caught.value.problems]


def dates_of(repeat: str, start: date, **extra) -> list[date]:
    rule = lunar.parse(repeat, start, lambda v: parse_until(v, SHANGHAI))
    return [day for _, day in rule.dates(start)]


# --- The shipped festivals, against the library table in lunar-notes.md (B2) -------------

GOLDEN = {  # year: 春节, 元宵, 端午, 中秋, 重阳
    2027: ("02-06", "02-20", "06-09", "09-15", "10-08"),
    2028: ("01-26", "02-09", "05-28", "10-03", "10-26"),
    2029: ("02-13", "02-27", "06-16", "09-22", "10-16"),
    2030: ("02-03", "02-17", "06-05", "09-12", "10-05"),
    2031: ("01-23", "02-06", "06-24", "10-01", "10-24"),
}


def test_the_shipped_festival_events_expand_to_the_published_dates_2027_to_2031():
    catalog = load(ROOT / "events.toml")
    found = {}
    for occ in occurrences(catalog, date(2027, 1, 1), date(2032, 1, 1)):
        found.setdefault(occ.event.id, []).append(occ.day.isoformat()[5:])
    column = {"grand-canal-spring-fair": 0, "lantern-night-hexiwu": 1, "dragon-boat-race": 2,
              "mid-autumn-night": 3}
    for event_id, index in column.items():
        assert found[event_id] == [GOLDEN[y][index] for y in sorted(GOLDEN)], event_id
    # 重阳 has no shipped event; the test catalog's does.
    test_catalog = load(DATA / "lunar.toml")
    assert [o.day.isoformat()[5:] for o in occurrences(test_catalog, date(2027, 1, 1), date(2032, 1, 1))
            if o.event.id == "double-ninth"] == [GOLDEN[y][4] for y in sorted(GOLDEN)]


def test_times_and_multi_day_lengths_are_kept_every_year():
    catalog = load(ROOT / "events.toml")
    for occ in occurrences(catalog, date(2027, 1, 1), date(2032, 1, 1)):
        if occ.event.id == "grand-canal-spring-fair":
            assert (occ.end - occ.start).days == 14  # 正月初一 to 十五, every year
            assert lunar.to_lunar(occ.end).name == "正月十五"
        if occ.event.id == "dragon-boat-race":
            assert (occ.start.time(), occ.end.time()) == (datetime(1, 1, 1, 9).time(), datetime(1, 1, 1, 12).time())
            assert occ.start.tzinfo == SHANGHAI


def test_leap_month_rules_follow_rfc_7529_skip():
    start = date(2028, 6, 27)  # 闰五月初五: 2028 has a leap 5th month
    assert lunar.to_lunar(start).name == "闰五月初五"
    # OMIT (the default): only years with a leap 5th month (2028, 2039, 2047 before 2050).
    assert dates_of("RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5L;BYMONTHDAY=5;UNTIL=20501231", start) == \
        [start, date(2039, 6, 26), date(2047, 6, 27)]
    # No leap 5th month in 2029-2031: FORWARD takes 六月初五, BACKWARD the regular 五月初五.
    assert dates_of("RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5L;BYMONTHDAY=5;SKIP=FORWARD;COUNT=3", start) == \
        [start, date(2029, 7, 15), date(2030, 7, 5)]
    assert dates_of("RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5L;BYMONTHDAY=5;SKIP=BACKWARD;COUNT=3", start) == \
        [start, date(2029, 6, 16), date(2030, 6, 5)]
    # 端午 (BYMONTH=5) stays in the regular month in a leap year.
    assert dates_of("RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT=1",
                    date(2028, 5, 28)) == [date(2028, 5, 28)]


def test_last_day_of_the_month_and_a_30th_the_month_lacks():
    eve = dates_of("RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=-1;COUNT=5", date(2027, 2, 5))
    assert eve == [date(2027, 2, 5), date(2028, 1, 25), date(2029, 2, 12), date(2030, 2, 2), date(2031, 1, 22)]
    assert [lunar.to_lunar(d + timedelta(days=1)).name for d in eve] == ["正月初一"] * 5
    # 腊月 has 29 days in lunar 2026-2028 and 30 in 2029.
    thirtieth = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=30;COUNT=4"
    # OMIT: only years whose 腊月 has a 30th (lunar 2029, 2032, 2033, 2034).
    assert dates_of(thirtieth, date(2030, 2, 2)) == [date(2030, 2, 2), date(2033, 1, 30), date(2034, 2, 18),
                                                     date(2035, 2, 7)]
    assert dates_of(thirtieth + ";SKIP=BACKWARD", date(2027, 2, 5)) == eve[:4]
    assert dates_of(thirtieth + ";SKIP=FORWARD", date(2027, 2, 6)) == [
        date(2027, 2, 6), date(2028, 1, 26), date(2029, 2, 13), date(2030, 2, 2)]
    assert all(lunar.to_lunar(d).name == "腊月三十" for d in dates_of(thirtieth, date(2030, 2, 2)))


def test_except_dates_are_skipped_and_count_counts_the_rule_dates():
    catalog = load(DATA / "lunar.toml")
    days = [o.day for o in occurrences(catalog, date(2027, 1, 1), date(2032, 1, 1)) if o.event.id == "dragon-boat"]
    assert days == [date(2027, 6, 9), date(2028, 5, 28), date(2030, 6, 5), date(2031, 6, 24)]


# --- The editor's messages -----------------------------------------------------------------

RULE = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT=5"


@pytest.mark.parametrize("body, message", [
    (f'start = 2027-06-10\nrepeat = "{RULE}"\n',
     f"events.toml:26: events.race.repeat: start 2027-06-10 is 五月初六, not 五月初五 (the rule's date); "
     f"start on 2027-06-09 (got '{RULE}')"),
    ('start = 2028-06-28\nrepeat = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5L;BYMONTHDAY=5;COUNT=2"\n',
     "events.toml:26: events.race.repeat: start 2028-06-28 is 闰五月初六, not 闰五月初五 (the rule's date); "
     "start on 2028-06-27 (got 'RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5L;BYMONTHDAY=5;COUNT=2')"),
    ('start = 2027-06-09\nrepeat = "RSCALE=HEBREW;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT=5"\n',
     "events.toml:26: events.race.repeat: RSCALE=HEBREW is not supported: the only calendar is "
     "RSCALE=CHINESE (the Chinese lunar calendar) (got 'RSCALE=HEBREW;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT=5')"),
    ('start = 2027-06-09\nrepeat = "RSCALE=CHINESE;FREQ=MONTHLY;BYMONTHDAY=5;COUNT=5"\n',
     "events.toml:26: events.race.repeat: FREQ=MONTHLY is not supported with RSCALE=CHINESE: only FREQ=YEARLY "
     "(every year on a lunar date) (got 'RSCALE=CHINESE;FREQ=MONTHLY;BYMONTHDAY=5;COUNT=5')"),
    ('start = 2027-06-09\nrepeat = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYDAY=SA;COUNT=5"\n',
     "events.toml:26: events.race.repeat: BYDAY cannot be used with RSCALE=CHINESE (allowed: RSCALE, FREQ, "
     "BYMONTH, BYMONTHDAY, SKIP, COUNT, UNTIL) (got 'RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYDAY=SA;COUNT=5')"),
    ('start = 2027-06-09\nrepeat = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=13;BYMONTHDAY=5;COUNT=5"\n',
     "events.toml:26: events.race.repeat: BYMONTH=13 must be one lunar month, 1 to 12 (or 1L to 12L for a "
     "leap month) (got 'RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=13;BYMONTHDAY=5;COUNT=5')"),
    ('start = 2027-06-09\nrepeat = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTHDAY=5;COUNT=5"\n',
     "events.toml:26: events.race.repeat: BYMONTH is missing: give the lunar month, e.g. BYMONTH=5 for 五月 "
     "(got 'RSCALE=CHINESE;FREQ=YEARLY;BYMONTHDAY=5;COUNT=5')"),
    ('start = 2027-06-09\nrepeat = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=31;COUNT=5"\n',
     "events.toml:26: events.race.repeat: BYMONTHDAY=31 must be one lunar day, 1 to 30 (or -1 for the "
     "month's last day) (got 'RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=31;COUNT=5')"),
    ('start = 2027-06-09\nrepeat = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;COUNT=5"\n',
     "events.toml:26: events.race.repeat: BYMONTHDAY is missing: give the lunar day, e.g. BYMONTHDAY=5 for "
     "初五 (got 'RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;COUNT=5')"),
    ('start = 2027-06-09\nrepeat = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5L;BYMONTHDAY=5;SKIP=LATER;COUNT=5"\n',
     "events.toml:26: events.race.repeat: SKIP=LATER is not one of OMIT, BACKWARD, FORWARD "
     "(got 'RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5L;BYMONTHDAY=5;SKIP=LATER;COUNT=5')"),
    ('start = 2027-06-09\nrepeat = "FREQ=YEARLY;SKIP=FORWARD"\n',
     "events.toml:26: events.race.repeat: SKIP needs RSCALE=CHINESE (a lunar rule); a Gregorian rule has "
     "no SKIP (got 'FREQ=YEARLY;SKIP=FORWARD')"),
    ('start = 2027-06-09\nrepeat = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5"\n',
     "events.toml:26: events.race.repeat: a lunar rule needs COUNT or UNTIL (for five years: COUNT=5); "
     "dates decades ahead are uncertain (got 'RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5')"),
    ('start = 2027-06-09\nrepeat = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT=5;UNTIL=20301231"\n',
     "events.toml:26: events.race.repeat: give COUNT or UNTIL, not both "
     "(got 'RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT=5;UNTIL=20301231')"),
    ('start = 2027-06-09\nrepeat = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT=0"\n',
     "events.toml:26: events.race.repeat: COUNT=0 must be a whole number from 1 to 101 "
     "(got 'RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT=0')"),
    ('start = 2027-06-09\nrepeat = "RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;UNTIL=20260101"\n',
     "events.toml:26: events.race.repeat: UNTIL 2026-01-01 is before the start 2027-06-09 "
     "(got 'RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;UNTIL=20260101')"),
    (f'start = 2027-06-09\nrepeat = "{RULE}"\nexcept = [2029-06-17]\n',
     "events.toml:27: events.race.except: 2029-06-17 is 五月初六, not a date of the rule (五月初五), so there "
     "is nothing to skip; the rule's date in lunar year 2029 is 2029-06-16"),
])
def test_each_lunar_rule_mistake_has_its_own_message(body, message):
    assert problems(body) == [message]


def test_the_shipped_form_of_each_rule_is_accepted():
    for repeat, start in [(RULE, "2027-06-09"),
                          ("RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=-1;COUNT=3", "2027-02-05"),
                          ("rscale=chinese;freq=yearly;bymonth=5l;bymonthday=5;skip=forward;count=3", "2027-07-08")]:
        catalog = parse(HEAD + f'start = {start}\nrepeat = "{repeat}"\n', "events.toml")
        assert catalog.events["race"].repeat == repeat


# --- In words ------------------------------------------------------------------------------

@pytest.mark.parametrize("event_id, zh, en", [
    ("dragon-boat", "每年农历五月初五（端午节），共4次（2029年6月16日除外）",
     "every year on the 5th day of the 5th lunar month (Dragon Boat Festival), 4 times (except 16 June 2029)"),
    ("double-ninth", "每年农历九月初九（重阳节），至2031年12月31日",
     "every year on the 9th day of the 9th lunar month (Double Ninth Festival), until 31 December 2031"),
    ("new-years-eve", "每年农历腊月最后一天（除夕），共5次",
     "every year on the last day of the 12th lunar month (Chinese New Year's Eve), 5 times"),
    ("leap-fifth", "每年农历闰五月初五（无闰五月的年份改在六月初五），共4次",
     "every year on the 5th day of the leap 5th lunar month (in years without a leap 5th month, in the 6th month), 4 times"),  # noqa: E501 - the exact words
    ("spring-fair", "每年农历正月初一（春节），共5次",
     "every year on the 1st day of the 1st lunar month (Spring Festival), 5 times"),
])
def test_lunar_rules_in_words_name_the_festival(event_id, zh, en):
    event = load(DATA / "lunar.toml").events[event_id]
    assert rules.describe(event, "zh") == zh
    assert rules.describe(event, "en") == en


# --- A second, independent library over 2000-2100 --------------------------------------------

FESTIVALS = {"春节": (1, 1), "元宵": (1, 15), "端午": (5, 5), "中秋": (8, 15), "重阳": (9, 9)}
# Known disagreements (lunar-notes.md B2): the new moon of 2089-09-04 falls minutes from
# midnight Beijing time, so libraries split on 中秋 2089; tyme4py sides with 7 of 9 libraries.
# 2057 重阳 is the other split (10-06 in lunardate, zhdate, cnlunar, sxtwl; 10-07 here): borax
# sides with tyme4py there, so it shows up not here but in the pinned value below.
KNOWN_DISAGREEMENTS = {(2089, "中秋"): (date(2089, 9, 18), date(2089, 9, 19))}


def test_festival_dates_2000_to_2100_agree_with_borax_but_for_the_documented_ones():
    disagreements = {}
    for year in range(2000, 2101):
        for name, (month, day) in FESTIVALS.items():
            ours = lunar.LunarRule("", month, False, day).date_in(year)
            theirs = BoraxDate(year, month, day, 0).to_solar_date()
            if ours != theirs:
                disagreements[(year, name)] = (ours, theirs)
        if year < 2100:  # 除夕 is the day before the next 正月初一 (borax stops at lunar 2100)
            ours = lunar.LunarRule("", 12, False, -1).date_in(year)
            theirs = BoraxDate(year + 1, 1, 1, 0).to_solar_date() - timedelta(days=1)
            if ours != theirs:
                disagreements[(year, "除夕")] = (ours, theirs)
    assert disagreements == KNOWN_DISAGREEMENTS
    assert lunar.LunarRule("", 9, False, 9).date_in(2057) == date(2057, 10, 7)


# Months whose first day (the new moon's day) borax puts a day apart from tyme4py: the
# 2089 new moon above, and 2097's 7th month, which borax's table starts a day later.
KNOWN_MONTH_STARTS = {(2089, 8, False), (2097, 7, False)}


def test_the_first_day_of_every_lunar_month_2000_to_2100_agrees_with_borax():
    disagreements = set()
    for year in range(2000, 2101):
        leap = lunar.leap_month(year)
        for month, is_leap in [(m, False) for m in range(1, 13)] + ([(leap, True)] if leap else []):
            ours = lunar._to_gregorian(year, month, is_leap, 1)
            theirs = BoraxDate(year, month, 1, int(is_leap)).to_solar_date()
            if ours != theirs:
                disagreements.add((year, month, is_leap))
    assert disagreements == KNOWN_MONTH_STARTS


def test_solar_terms_and_festivals_on_days():
    assert lunar.solar_term(date(2027, 2, 4)).zh == "立春"
    assert lunar.solar_term(date(2026, 4, 5)).get("en") == "Pure Brightness"
    assert lunar.solar_term(date(2026, 4, 6)) is None
    assert lunar.to_lunar(date(2027, 2, 5)).festival.zh == "除夕"   # 腊月廿九: a 29-day 腊月
    assert lunar.to_lunar(date(2028, 6, 27)).festival is None        # 闰五月初五 is not 端午
    assert lunar.day_note(date(2027, 2, 6)).label == "正月"
    assert lunar.day_note(date(2027, 2, 7)).label == "初二"
    assert [lunar.day_name(n) for n in (1, 10, 11, 20, 21, 30)] == ["初一", "初十", "十一", "二十", "廿一", "三十"]


def test_the_per_year_month_table_gives_the_librarys_own_day_by_day_answer():
    # to_lunar reads tyme4py's month table per lunar year; SolarDay.get_lunar_day is the
    # library's own, slower, day-by-day conversion. Every 97th day of 2000-2100, and both
    # sides of every month boundary in the publishing years.
    from tyme4py.solar import SolarDay

    def library(day):
        found = SolarDay.from_ymd(day.year, day.month, day.day).get_lunar_day()
        month = found.get_lunar_month()
        return (found.get_year(), abs(month.get_month_with_leap()), month.is_leap(), found.get_day(),
                month.get_day_count())

    days = [date(2000, 1, 1) + timedelta(days=n) for n in range(0, 36890, 97)]
    days += [first + timedelta(days=shift) for year in range(2026, 2033)
             for first, _, _, _ in lunar._months(year) for shift in (-1, 0)]
    for day in days:
        ours = lunar.to_lunar(day)
        assert (ours.year, ours.month, ours.leap, ours.day, ours.days_in_month) == library(day), day
