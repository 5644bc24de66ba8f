"""Rules in words at their edges: ordinals (3rd, 11th, 21st, 2nd-to-last), intervals in both
languages, fortnightly weekends, several weekdays or month days, and the lunar forms.

Each expectation is written out by hand from the rule, not taken from the code's output.
"""
from __future__ import annotations

import pytest
from borax.calendars.lunardate import LunarDate

from canal.rules import describe
from edges import event_of


def words(repeat: str, start: str, end: str | None = None, **fields: str) -> tuple[str, str]:
    event = event_of(start=start, end=end or start, repeat=f'"{repeat}"', **fields)
    return describe(event, "zh"), describe(event, "en")


@pytest.mark.parametrize("repeat, start, zh, en", [
    # December 2026: Saturdays on the 5th, 12th, 19th and 26th.
    ("FREQ=MONTHLY;BYDAY=1SA", "2026-12-05", "每月第一个周六", "every month on the 1st Saturday"),
    ("FREQ=MONTHLY;BYDAY=2SA", "2026-12-12", "每月第二个周六", "every month on the 2nd Saturday"),
    ("FREQ=MONTHLY;BYDAY=3SA", "2026-12-19", "每月第三个周六", "every month on the 3rd Saturday"),
    ("FREQ=MONTHLY;BYDAY=4SA", "2026-12-26", "每月第四个周六", "every month on the 4th Saturday"),
    ("FREQ=MONTHLY;BYDAY=+3SA", "2026-12-19", "每月第三个周六", "every month on the 3rd Saturday"),
    ("FREQ=MONTHLY;BYDAY=-1SA", "2026-12-26", "每月最后一个周六", "every month on the last Saturday"),
    ("FREQ=MONTHLY;BYDAY=-2SA", "2026-12-19", "每月倒数第二个周六",
     "every month on the 2nd-to-last Saturday"),
    ("FREQ=MONTHLY;BYDAY=-3SA", "2026-12-12", "每月倒数第三个周六",
     "every month on the 3rd-to-last Saturday"),
    # Every Saturday of the month, and two numbered weekdays.
    ("FREQ=MONTHLY;BYDAY=SA", "2026-12-05", "每月每个周六", "every month on every Saturday"),
    ("FREQ=MONTHLY;BYDAY=1SA,3SU", "2026-12-05", "每月第一个周六、第三个周日",
     "every month on the 1st Saturday and the 3rd Sunday"),
    # The 11th to 13th take "th"; the 21st to 23rd do not (weeks of the year: yearly rules).
    ("FREQ=YEARLY;BYDAY=11SA", "2027-03-13", "每年第11个周六", "every year on the 11th Saturday"),
    ("FREQ=YEARLY;BYDAY=12SA", "2027-03-20", "每年第12个周六", "every year on the 12th Saturday"),
    ("FREQ=YEARLY;BYDAY=13SA", "2027-03-27", "每年第13个周六", "every year on the 13th Saturday"),
    ("FREQ=YEARLY;BYDAY=21SA", "2027-05-22", "每年第21个周六", "every year on the 21st Saturday"),
    ("FREQ=YEARLY;BYDAY=22SA", "2027-05-29", "每年第22个周六", "every year on the 22nd Saturday"),
    ("FREQ=YEARLY;BYDAY=23SA", "2027-06-05", "每年第23个周六", "every year on the 23rd Saturday"),
    ("FREQ=YEARLY;BYDAY=10SA", "2027-03-06", "每年第十个周六", "every year on the 10th Saturday"),
    ("FREQ=YEARLY;BYDAY=20SA", "2027-05-15", "每年第20个周六", "every year on the 20th Saturday"),
    ("FREQ=YEARLY;BYDAY=-12SA", "2027-10-09", "每年倒数第12个周六",
     "every year on the 12th-to-last Saturday"),
])
def test_numbered_weekdays_in_words(repeat, start, zh, en):
    assert words(repeat, start) == (zh, en)


@pytest.mark.parametrize("repeat, start, zh, en", [
    # Fortnightly weekends: not "every weekend", and the two days named.
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU", "2026-12-12", "每两周的周六、周日",
     "every 2 weeks on Saturday and Sunday"),
    ("FREQ=WEEKLY;INTERVAL=3;BYDAY=SU,SA", "2026-12-12", "每三周的周六、周日",
     "every 3 weeks on Saturday and Sunday"),
    ("FREQ=WEEKLY;BYDAY=SU,SA", "2026-12-12", "每周末（周六、周日）", "every weekend (Saturday and Sunday)"),
    # Weekdays in week order, whatever order the editor wrote them in.
    ("FREQ=WEEKLY;BYDAY=FR,MO,WE", "2026-12-07", "每周一、周三、周五",
     "every Monday, Wednesday and Friday"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,FR", "2026-12-11", "每两周的周五、周六",
     "every 2 weeks on Friday and Saturday"),
    ("FREQ=WEEKLY;BYDAY=SA", "2026-12-12", "每周六", "every Saturday"),
    ("FREQ=WEEKLY", "2026-12-07", "每周一", "every Monday"),  # the start's weekday
    ("FREQ=WEEKLY;INTERVAL=10", "2026-12-13", "每十周的周日", "every 10 weeks on Sunday"),
    ("FREQ=WEEKLY;INTERVAL=11", "2026-12-13", "每11周的周日", "every 11 weeks on Sunday"),
    # Intervals of days, months and years; "two" is 两 before a measure word.
    ("FREQ=DAILY", "2026-12-12", "每天", "every day"),
    ("FREQ=DAILY;INTERVAL=2", "2026-12-12", "每两天", "every 2 days"),
    ("FREQ=DAILY;INTERVAL=10", "2026-12-12", "每十天", "every 10 days"),
    ("FREQ=DAILY;INTERVAL=12", "2026-12-12", "每12天", "every 12 days"),
    ("FREQ=DAILY;INTERVAL=1", "2026-12-12", "每天", "every day"),
    ("FREQ=MONTHLY", "2026-12-12", "每月12日", "every month on day 12"),
    ("FREQ=MONTHLY;INTERVAL=2", "2026-12-12", "每两个月12日", "every 2 months on day 12"),
    ("FREQ=MONTHLY;INTERVAL=3;BYDAY=2SA", "2026-12-12", "每三个月第二个周六",
     "every 3 months on the 2nd Saturday"),
    ("FREQ=YEARLY;INTERVAL=2", "2026-12-12", "每两年12月12日", "every 2 years on 12 December"),
    ("FREQ=YEARLY", "2027-01-03", "每年1月3日", "every year on 3 January"),
])
def test_intervals_and_weekdays_in_words(repeat, start, zh, en):
    assert words(repeat, start) == (zh, en)


@pytest.mark.parametrize("repeat, start, zh, en", [
    ("FREQ=MONTHLY;BYMONTHDAY=12", "2026-12-12", "每月12日", "every month on day 12"),
    ("FREQ=MONTHLY;BYMONTHDAY=15,1", "2027-01-01", "每月1日、15日", "every month on days 1 and 15"),
    ("FREQ=MONTHLY;BYMONTHDAY=1,2,3,10,20,21", "2027-01-01", "每月1日至3日、10日、20日至21日",
     "every month on days 1–3, 10 and 20–21"),
    ("FREQ=YEARLY;BYMONTH=5", "2027-05-01", "每年5月1日", "every year in May, on day 1"),
    ("FREQ=YEARLY;BYMONTH=1,12", "2026-12-12", "每年1月、12月12日",
     "every year in January and December, on day 12"),
    ("FREQ=YEARLY;BYMONTH=5;BYDAY=1SA", "2027-05-01", "每年5月的第一个周六",
     "every year in May, on the 1st Saturday"),
    ("FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=1", "2027-10-01", "每年10月的1日", "every year in October, on day 1"),
    ("FREQ=YEARLY;BYMONTH=4,5,10;BYMONTHDAY=1", "2027-04-01", "每年4月、5月、10月的1日",
     "every year in April, May and October, on day 1"),
])
def test_month_days_and_months_in_words(repeat, start, zh, en):
    assert words(repeat, start) == (zh, en)


def test_count_until_and_except_dates_in_words():
    event = event_of(start="2026-12-12", end="2026-12-12", repeat='"FREQ=MONTHLY;BYDAY=2SA;COUNT=5"',
                     **{"except": "[2027-02-13, 2027-01-09]"})
    # COUNT counts the skipped dates too; visitors are told the 3 that happen, in date order.
    assert describe(event, "zh") == "每月第二个周六，共3次（2027年1月9日、2027年2月13日除外）"
    assert describe(event, "en") == ("every month on the 2nd Saturday, 3 times "
                                     "(except 9 January 2027 and 13 February 2027)")
    assert words("FREQ=MONTHLY;BYDAY=2SA;UNTIL=20270612", "2026-12-12") == (
        "每月第二个周六，至2027年6月12日", "every month on the 2nd Saturday, until 12 June 2027")
    assert words("FREQ=WEEKLY;UNTIL=20271231T235959", "2026-12-12T10:00:00", "2026-12-12T11:00:00") == (
        "每周六，至2027年12月31日", "every Saturday, until 31 December 2027")
    assert words("FREQ=DAILY;COUNT=3", "2026-12-12") == ("每天，共3次", "every day, 3 times")


def test_a_one_off_event_has_no_words_in_either_language():
    event = event_of(start="2026-12-12", end="2026-12-14")
    assert describe(event, "zh") == describe(event, "en") == ""


def test_any_language_other_than_english_reads_chinese():
    event = event_of(start="2026-12-12", end="2026-12-12", repeat='"FREQ=MONTHLY;BYDAY=2SA"')
    assert describe(event) == describe(event, "fr") == "每月第二个周六"


def lunar(month: int, day: int, rest: str = ";COUNT=2", leap: bool = False, year: int = 2027) -> tuple[str, str]:
    """A lunar rule's words, started on its date in `year` as borax (another library) gives it."""
    first = LunarDate(year, month, day if day > 0 else 29, 1 if leap else 0).to_solar_date()
    month_text = f"{month}L" if leap else str(month)
    return words(f"RSCALE=CHINESE;FREQ=YEARLY;BYMONTH={month_text};BYMONTHDAY={day}{rest}",
                 first.isoformat())


@pytest.mark.parametrize("month, day, zh, en", [
    (2, 11, "每年农历二月十一，共2次", "every year on the 11th day of the 2nd lunar month, 2 times"),
    (2, 12, "每年农历二月十二，共2次", "every year on the 12th day of the 2nd lunar month, 2 times"),
    (3, 13, "每年农历三月十三，共2次", "every year on the 13th day of the 3rd lunar month, 2 times"),
    (2, 21, "每年农历二月廿一，共2次", "every year on the 21st day of the 2nd lunar month, 2 times"),
    (2, 22, "每年农历二月廿二，共2次", "every year on the 22nd day of the 2nd lunar month, 2 times"),
    (2, 23, "每年农历二月廿三，共2次", "every year on the 23rd day of the 2nd lunar month, 2 times"),
    (11, 20, "每年农历冬月二十，共2次", "every year on the 20th day of the 11th lunar month, 2 times"),
    (1, 15, "每年农历正月十五（元宵节），共2次",
     "every year on the 15th day of the 1st lunar month (Lantern Festival), 2 times"),
])
def test_lunar_days_in_words(month, day, zh, en):
    assert lunar(month, day) == (zh, en)


def test_a_festival_is_not_named_for_a_leap_month():
    # 2028 has a leap 5th month: its 5th day is not the Dragon Boat Festival.
    zh, en = lunar(5, 5, ";SKIP=OMIT;COUNT=2", leap=True, year=2028)
    assert zh == "每年农历闰五月初五（无闰五月的年份不举行），共2次"
    assert en == ("every year on the 5th day of the leap 5th lunar month "
                  "(in years without a leap 5th month, not held), 2 times")
    zh, en = lunar(5, 5, ";SKIP=BACKWARD;COUNT=2", leap=True, year=2028)
    assert zh == "每年农历闰五月初五（无闰五月的年份改在五月初五），共2次"
    assert en == ("every year on the 5th day of the leap 5th lunar month "
                  "(in years without a leap 5th month, in the regular 5th month), 2 times")


def test_the_last_day_of_the_twelfth_month_is_new_years_eve_however_it_is_written():
    eve = LunarDate(2027, 12, 29).to_solar_date()  # lunar 2027's 12th month has 29 days
    for repeat, day_zh, day_en in (
            ("BYMONTHDAY=-1", "最后一天", "the last day"),
            # The 30th, or the 29th where the month has no 30th: still 除夕 every year.
            ("BYMONTHDAY=30;SKIP=BACKWARD", "三十", "the 30th day")):
        assert words(f"RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=12;{repeat};COUNT=2", eve.isoformat()) == (
            f"每年农历腊月{day_zh}（除夕），共2次",
            f"every year on {day_en} of the 12th lunar month (Chinese New Year's Eve), 2 times")


def test_a_leap_month_rule_moved_forward_in_words():
    # 2028 has a leap 5th month; the 12th month is never leap here, so its rule moves to New Year.
    assert words("RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5L;BYMONTHDAY=5;SKIP=FORWARD;COUNT=2",
                 LunarDate(2028, 5, 5, 1).to_solar_date().isoformat()) == (
        "每年农历闰五月初五（无闰五月的年份改在六月初五），共2次",
        "every year on the 5th day of the leap 5th lunar month (in years without a leap 5th month, "
        "in the 6th month), 2 times")
    assert words("RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=12L;BYMONTHDAY=1;SKIP=FORWARD;COUNT=2",
                 LunarDate(2028, 1, 1).to_solar_date().isoformat()) == (
        "每年农历闰腊月初一（无闰腊月的年份改在次年正月初一），共2次",
        "every year on the 1st day of the leap 12th lunar month (in years without a leap 12th month, "
        "on the next New Year's Day), 2 times")


def test_the_first_lunar_day_is_the_1st_not_the_last():
    assert lunar(1, 1) == ("每年农历正月初一（春节），共2次",
                           "every year on the 1st day of the 1st lunar month (Spring Festival), 2 times")
