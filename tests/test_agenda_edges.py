"""The agenda's rules at their edges: a festival already running is listed under the first
day shown, windows end at the end of `to`, limits of spans, queries and pages are
inclusive, and every bad parameter names itself.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from canal import agenda
from canal.agenda import BadParameter, Filter
from canal.recurrence import occurrences
from edges import HEAD, catalog_of, event_toml

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2027, 1, 9, 12, 0, tzinfo=TZ)  # a Saturday


@pytest.fixture(scope="module")
def catalog():
    head = HEAD + '''
[areas.langfang]
name = { zh = "廊坊", en = "Langfang" }

[categories.food]
name = { zh = "美食", en = "Food" }

[sites.fair-ground]
name = { zh = "集市广场", en = "Fair Ground" }
area = "langfang"
kind = { zh = "广场" }
lat = 39.70
lon = 116.90
precision_m = 100
description = { zh = "广场。" }
'''
    return catalog_of(
        event_toml("festival", start="2027-01-07", end="2027-01-11"),  # running since Thursday
        event_toml("morning", start="2027-01-09T09:00:00", end="2027-01-09T13:00:00"),  # under way at noon
        event_toml("evening", "museum", start="2027-01-09T19:00:00", end="2027-01-09T21:00:00",
                   description='{ zh = "夜场讲座", en = "Night lecture about Boats" }'),
        event_toml("sunday", "fair-ground", start="2027-01-10", end="2027-01-10").replace(
            'categories = ["festival"]', 'categories = ["food"]'),
        event_toml("later", start="2027-02-01T10:00:00", end="2027-02-01T11:00:00"),
        event_toml("gone", start="2027-01-20", status='"cancelled"'),
        event_toml("march", "fair-ground", start="2027-03-01", end="2027-03-01").replace(
            'categories = ["festival"]', 'categories = ["food"]'),
        head=head,
    )


def args(**values) -> dict[str, list[str]]:
    return {name.rstrip("_"): value if isinstance(value, list) else [value] for name, value in values.items()}


def bad(catalog, **values) -> tuple[str, str, str, dict]:
    with pytest.raises(BadParameter) as caught:
        agenda.parse_filter(args(**values), catalog)
    e = caught.value
    return e.parameter, e.value, e.expected, e.details


# --- Grouping by day -----------------------------------------------------------------------

def test_a_festival_already_running_is_listed_under_the_first_day_shown(catalog):
    found = agenda.find(catalog, Filter(), NOW)
    groups = agenda.by_day(found, NOW.date())
    assert [(day, [o.event.id for o in items]) for day, items in groups][:2] == [
        (date(2027, 1, 9), ["festival", "morning", "evening"]),
        (date(2027, 1, 10), ["sunday"]),
    ]


def test_a_festival_starting_inside_the_dates_shown_keeps_its_day(catalog):
    found = agenda.find(catalog, Filter(start=date(2027, 1, 6)), NOW)
    groups = agenda.by_day(found, date(2027, 1, 6))
    assert [(day, [o.event.id for o in items]) for day, items in groups][:2] == [
        (date(2027, 1, 7), ["festival"]), (date(2027, 1, 9), ["morning", "evening"])]


# --- The window ----------------------------------------------------------------------------

def test_the_window_runs_from_now_or_from_the_start_of_from_to_the_end_of_to(catalog):
    assert agenda.window(Filter(), NOW) == (NOW, datetime(2028, 1, 10, tzinfo=TZ))  # 366 days on, at midnight
    assert agenda.window(Filter(start=date(2027, 1, 3)), NOW) == (
        datetime(2027, 1, 3, tzinfo=TZ), datetime(2028, 1, 4, tzinfo=TZ))
    assert agenda.window(Filter(end=date(2027, 1, 9)), NOW) == (NOW, datetime(2027, 1, 10, tzinfo=TZ))
    assert agenda.window(Filter(start=date(2027, 1, 3), end=date(2027, 1, 3)), NOW) == (
        datetime(2027, 1, 3, tzinfo=TZ), datetime(2027, 1, 4, tzinfo=TZ))


def test_what_is_under_way_at_now_is_listed_and_what_ended_is_not(catalog):
    assert [o.event.id for o in agenda.find(catalog, Filter(end=date(2027, 1, 9)), NOW)] == [
        "festival", "morning", "evening"]
    one_pm = NOW.replace(hour=13)
    assert [o.event.id for o in agenda.find(catalog, Filter(end=date(2027, 1, 9)), one_pm)] == ["festival", "evening"]


def test_dates_entirely_in_the_past_give_nothing(catalog):
    assert agenda.find(catalog, Filter(end=date(2027, 1, 8)), NOW) == []


def test_to_includes_its_whole_day(catalog):
    found = agenda.find(catalog, Filter(start=date(2027, 2, 1), end=date(2027, 2, 1)), NOW)
    assert [o.event.id for o in found] == ["later"]
    assert agenda.find(catalog, Filter(start=date(2027, 2, 2), end=date(2027, 2, 28)), NOW) == []


# --- Filters -------------------------------------------------------------------------------

def test_filters_by_area_site_category_and_words(catalog):
    def found(**kw):
        return [e.id for e in agenda.matching_events(catalog, Filter(**kw))]
    assert found(areas=("langfang",)) == ["sunday", "march"]
    assert found(sites=("museum",)) == ["evening"]
    assert found(sites=("museum", "fair-ground")) == ["evening", "sunday", "march"]
    assert found(categories=("food",)) == ["sunday", "march"]
    assert found(categories=("food", "festival")) == list(catalog.events)
    assert found(areas=("tongzhou",), categories=("food",)) == []
    # Every word, in any order, in any language, of the title, description or site name.
    assert found(q="boats NIGHT") == ["evening"]
    assert found(q="夜场 museum") == ["evening"]
    assert found(q="博物馆") == ["evening"]
    assert found(q="fair ground") == ["sunday", "march"]
    assert found(q="night sunday") == []
    # Not across two lines: "lecture about" ends one text and "boats" is not the next text's start.
    assert found(q="boats 活动evening") == ["evening"]
    assert found(q="boats\n活动") == ["evening"]


def test_search_text_holds_both_languages_one_text_a_line(catalog):
    text = agenda.search_text(catalog, catalog.events["evening"])
    assert text.split("\n") == ["活动evening", "event evening", "博物馆", "museum", "夜场讲座",
                                "night lecture about boats"]
    assert agenda.search_terms("  Boats  NIGHT ") == ["boats", "night"]


def test_the_filter_as_parameters_in_a_fixed_order():
    chosen = Filter(("a",), ("s",), ("c", "d"), date(2027, 1, 1), date(2027, 1, 2), "x y")
    assert chosen.query() == [("area", "a"), ("site", "s"), ("category", "c"), ("category", "d"),
                              ("from", "2027-01-01"), ("to", "2027-01-02"), ("q", "x y")]
    assert chosen.active
    assert not Filter().active and Filter().query() == []
    for one in (Filter(areas=("a",)), Filter(sites=("s",)), Filter(categories=("c",)),
                Filter(start=date(2027, 1, 1)), Filter(end=date(2027, 1, 1)), Filter(q="x")):
        assert one.active


def test_parameters_are_read_trimmed_and_blank_ones_mean_any(catalog):
    chosen = agenda.parse_filter(args(area=["", " langfang ", "langfang"], from_=" 2027-01-01 ", to="",
                                      q=["", " boats "]), catalog)
    assert chosen == Filter(areas=("langfang",), start=date(2027, 1, 1), q="boats")


@pytest.mark.parametrize("values, expected", [
    ({"from_": ["2027-01-01", "2027-01-02"]}, ("from", "2027-01-01, 2027-01-02", "single", {"count": 2})),
    ({"q": ["a", "b", "c"]}, ("q", "a, b, c", "single", {"count": 3})),
    ({"from_": "2027-1-1"}, ("from", "2027-1-1", "date", {"min": 2000, "max": 2100})),
    ({"from_": "2027-02-29"}, ("from", "2027-02-29", "date", {"min": 2000, "max": 2100})),
    ({"to": "1999-12-31"}, ("to", "1999-12-31", "date", {"min": 2000, "max": 2100})),
    ({"to": "2101-01-01"}, ("to", "2101-01-01", "date", {"min": 2000, "max": 2100})),
    ({"from_": "2027-01-02", "to": "2027-01-01"}, ("to", "2027-01-01", "after-from", {"start": "2027-01-02"})),
    ({"from_": "2027-01-01", "to": "2032-01-06"}, ("to", "2032-01-06", "span", {"days": 1830})),
    ({"q": "x" * 101}, ("q", "x" * 20 + "…", "q", {"max": 100})),
    ({"area": "nowhere"}, ("area", "nowhere", "area", {"choices": "tongzhou, langfang"})),
    ({"site": "pier"}, ("site", "pier", "site", {"choices": "wharf, museum, fair-ground"})),
    ({"category": "music"}, ("category", "music", "category", {"choices": "festival, food"})),
])
def test_each_bad_parameter_is_named_with_what_was_expected(catalog, values, expected):
    assert bad(catalog, **values) == expected


def test_the_limits_themselves_are_allowed(catalog):
    chosen = agenda.parse_filter(args(from_="2027-01-01", to="2032-01-05", q="x" * 100), catalog)
    assert (chosen.end - chosen.start).days == agenda.MAX_SPAN_DAYS
    assert agenda.parse_filter(args(from_="2000-01-01", to="2000-01-01"), catalog).start == date(2000, 1, 1)
    assert agenda.parse_filter(args(to="2100-12-31"), catalog).end == date(2100, 12, 31)


def test_a_bad_parameter_reads_as_what_it_is():
    error = BadParameter("to", "2027-01-01", "after-from", start="2027-01-02")
    assert str(error) == "to='2027-01-01': expected after-from {'start': '2027-01-02'}"
    assert str(BadParameter("page", "0", "page")) == "page='0': expected page"


# --- Pages ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value, page", [(None, 1), ("", 1), ("1", 1), ("12", 12), ("007", 7), ("999999", 999999)])
def test_page_numbers(value, page):
    assert agenda.parse_page({} if value is None else {"page": [value]}) == page


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "x", "1234567", "١", "²"])
def test_bad_page_numbers(value):
    with pytest.raises(BadParameter) as caught:
        agenda.parse_page({"page": [value]})
    assert (caught.value.parameter, caught.value.value, caught.value.expected) == ("page", value, "page")


def test_paginate_counts_pages_and_refuses_one_past_the_last():
    items = list(range(45))
    first = agenda.paginate(items, 1)
    assert (first.items, first.number, first.count, first.total, first.previous, first.next) == (
        list(range(20)), 1, 3, 45, None, 2)
    last = agenda.paginate(items, 3)
    assert (last.items, last.previous, last.next) == (list(range(40, 45)), 2, None)
    assert agenda.paginate(list(range(40)), 2).items == list(range(20, 40))
    assert agenda.paginate(list(range(40)), 2).next is None
    empty = agenda.paginate([], 1)
    assert (empty.items, empty.count, empty.total) == ([], 1, 0)
    with pytest.raises(BadParameter) as caught:
        agenda.paginate(items, 4)
    assert (caught.value.parameter, caught.value.value, caught.value.expected, caught.value.details) == (
        "page", "4", "page-max", {"pages": 3})
    assert agenda.paginate(list(range(5)), 2, size=3).items == [3, 4]


# --- The month grid ------------------------------------------------------------------------

def test_a_festival_is_one_bar_a_week_and_a_one_day_event_is_no_bar(catalog):
    month = agenda.month_grid(catalog, 2027, 1, date(2027, 1, 9))
    days = {d.date: d for week in month.weeks for d in week}
    assert [(s.occurrence.event.id, s.first, s.last, s.length) for s in days[date(2027, 1, 7)].starts] == [
        ("festival", date(2027, 1, 7), date(2027, 1, 10), 4)]
    [span] = days[date(2027, 1, 11)].starts  # Monday: the bar goes on in the next week
    assert (span.first, span.last, span.length, span.continues_before, span.continues_after) == (
        date(2027, 1, 11), date(2027, 1, 11), 1, True, False)
    first_bar = days[date(2027, 1, 7)].starts[0]
    assert (first_bar.continues_before, first_bar.continues_after) == (False, True)
    assert [o.event.id for o in days[date(2027, 1, 10)].occurrences] == ["sunday"]
    assert days[date(2027, 1, 9)].today and not days[date(2027, 1, 10)].today
    assert days[date(2027, 1, 9)].in_month and not days[date(2026, 12, 28)].in_month  # the first Monday
    assert days[date(2027, 1, 12)].empty and not days[date(2027, 1, 10)].empty


@pytest.mark.parametrize("start, end, span", [
    ("2027-01-09", "2027-01-09", False), ("2027-01-09", "2027-01-10", True),
    ("2027-01-09T22:00:00", "2027-01-10T02:00:00", False),
    ("2027-01-09T10:00:00", "2027-01-10T10:00:00", True),
    ("2027-01-09T10:00:00", "2027-01-10T09:59:59", False),
    ("2027-01-09T10:00:00", "2027-01-09T23:59:59", False),
])
def test_what_is_drawn_as_a_bar(start, end, span):
    catalog = catalog_of(event_toml(start=start, end=end))
    [o] = occurrences(catalog, date(2027, 1, 1), date(2027, 2, 1))
    assert agenda.is_span(o) is span


def test_months_go_back_to_2000_and_on_to_2100():
    assert agenda.Month(2027, 1, []).previous == (2026, 12)
    assert agenda.Month(2027, 12, []).next == (2028, 1)
    assert agenda.Month(2027, 5, []).previous == (2027, 4) and agenda.Month(2027, 5, []).next == (2027, 6)
    assert agenda.Month(2000, 1, []).previous is None and agenda.Month(2000, 2, []).previous == (2000, 1)
    assert agenda.Month(2100, 12, []).next is None and agenda.Month(2100, 11, []).next == (2100, 12)
    assert agenda.Month(2027, 4, []).first == date(2027, 4, 1)


@pytest.mark.parametrize("year, month, ok", [
    ("2027", "4", True), ("2027", "04", True), ("2000", "1", True), ("2100", "12", True),
    ("1999", "12", False), ("2101", "1", False), ("027", "4", False), ("20270", "4", False),
    ("2027", "0", False), ("2027", "13", False), ("2027", "004", False), ("２０２７", "4", False),
    ("2027", "４", False), ("2027", "x", False),
])
def test_month_path_parts(year, month, ok):
    if ok:
        assert agenda.parse_month(year, month) == (int(year), int(month))
        return
    with pytest.raises(BadParameter) as caught:
        agenda.parse_month(year, month)
    which = "year" if not (year.isascii() and len(year) == 4 and 2000 <= int(year) <= 2100) else "month"
    assert (caught.value.parameter, caught.value.expected) == (which, which)
    assert caught.value.value == (year if which == "year" else month)
    if which == "year":
        assert caught.value.details == {"min": 2000, "max": 2100}


@pytest.mark.parametrize("value, result", [
    ("2027-04", (2027, 4)), (" 2027-4 ", (2027, 4)), ("2027-13", None), ("2027/04", None), ("1999-12", None),
])
def test_the_jump_to_month_field(value, result):
    if result:
        assert agenda.parse_month_field(value) == result
        return
    with pytest.raises(BadParameter) as caught:
        agenda.parse_month_field(value)
    assert (caught.value.parameter, caught.value.value, caught.value.expected) == ("month", value, "month-field")


def test_month_and_weekday_names():
    assert agenda.month_label(2027, 4, "zh") == "2027年4月"
    assert agenda.month_label(2027, 4, "en") == "April 2027"
    assert agenda.weekday_labels("zh")[0] == ("周一", "星期一")
    assert agenda.weekday_labels("en")[6] == ("Sun", "Sunday")
    assert len(agenda.weekday_labels("en")) == 7


def test_sites_along_the_canal_north_to_south(catalog):
    assert [(area, [s.id for s in sites]) for area, sites in agenda.sites_along_canal(catalog)] == [
        ("tongzhou", ["museum", "wharf"]), ("langfang", ["fair-ground"])]  # same latitude: by id


# --- Shortcuts and "the next one" ------------------------------------------------------------

@pytest.mark.parametrize("today, weekend", [
    (date(2027, 1, 4), (date(2027, 1, 9), date(2027, 1, 10))),  # Monday
    (date(2027, 1, 8), (date(2027, 1, 9), date(2027, 1, 10))),  # Friday
    (date(2027, 1, 9), (date(2027, 1, 9), date(2027, 1, 10))),  # Saturday
    (date(2027, 1, 10), (date(2027, 1, 10), date(2027, 1, 10))),  # Sunday: just today
])
def test_this_weekend(today, weekend):
    assert agenda.shortcut_range("weekend", today) == weekend


def test_today_week_and_month_shortcuts():
    today = date(2028, 2, 27)
    assert agenda.shortcut_range("today", today) == (today, today)
    assert agenda.shortcut_range("week", today) == (today, date(2028, 3, 4))
    assert agenda.shortcut_range("month", today) == (today, date(2028, 2, 29))
    assert agenda.shortcut_range("month", date(2027, 12, 31)) == (date(2027, 12, 31), date(2027, 12, 31))
    assert [name for name, _, _ in agenda.shortcuts(today)] == ["today", "weekend", "week", "month"]


def test_the_next_one_after_an_empty_result_skips_cancelled_ones(catalog):
    chosen = Filter(start=date(2027, 1, 12), end=date(2027, 1, 31))
    nxt = agenda.next_after(catalog, chosen, NOW)
    assert (nxt.event.id, nxt.day) == ("later", date(2027, 2, 1))  # not the cancelled one on the 20th
    food = Filter(categories=("food",), start=date(2027, 1, 11), end=date(2027, 1, 11))
    assert agenda.next_after(catalog, food, NOW).event.id == "march"
    # Dates already past: from now on.
    past = Filter(sites=("wharf",), end=date(2027, 1, 1))
    assert agenda.next_after(catalog, past, NOW).event.id == "festival"
    # The day after `to` is today: from now, not from midnight (the morning event is under way).
    today = Filter(sites=("wharf",), end=date(2027, 1, 8))
    assert [agenda.next_after(catalog, today, NOW).event.id] == ["festival"]
    assert agenda.next_after(catalog, Filter(sites=("wharf",), categories=("food",)), NOW) is None
    far = Filter(sites=("fair-ground",), end=date(2027, 3, 1))
    assert agenda.next_after(catalog, far, NOW) is None
    assert agenda.next_after(catalog, Filter(sites=("fair-ground",), end=date(2027, 2, 28)),
                             NOW - timedelta(days=1)).event.id == "march"


# --- The month grid's lanes, repeats and notes ---------------------------------------------------

def grid_days(catalog, year, month, today=date(2027, 1, 1)):
    return {d.date: d for week in agenda.month_grid(catalog, year, month, today).weeks for d in week}


def test_the_grid_holds_the_first_and_last_days_shown_from_other_months():
    # April 2027 is shown from Monday 29 March to Sunday 2 May.
    cat = catalog_of(event_toml("first", start="2027-03-29T10:00:00", end="2027-03-29T11:00:00"),
                     event_toml("last", start="2027-05-02T10:00:00", end="2027-05-02T11:00:00"),
                     event_toml("after", start="2027-05-03T10:00:00", end="2027-05-03T11:00:00"))
    month = agenda.month_grid(cat, 2027, 4, date(2027, 4, 1))
    assert (month.year, month.month) == (2027, 4)
    assert [week[0].date for week in month.weeks] == [date(2027, 3, 29), date(2027, 4, 5), date(2027, 4, 12),
                                                      date(2027, 4, 19), date(2027, 4, 26)]
    days = {d.date: d for week in month.weeks for d in week}
    assert [o.event.id for o in days[date(2027, 3, 29)].occurrences] == ["first"]
    assert [o.event.id for o in days[date(2027, 5, 2)].occurrences] == ["last"]
    assert not days[date(2027, 3, 29)].in_month and days[date(2027, 4, 1)].in_month


def test_longer_festivals_take_the_upper_lanes_and_lanes_are_few():
    # Week of Monday 11 January 2027.
    cat = catalog_of(event_toml("b-short", start="2027-01-11", end="2027-01-12"),
                     event_toml("a-long", start="2027-01-11", end="2027-01-15"),
                     event_toml("c-same", start="2027-01-11", end="2027-01-12"),
                     event_toml("d-later", start="2027-01-13", end="2027-01-14"))
    days = grid_days(cat, 2027, 1)
    monday = days[date(2027, 1, 11)]
    assert [(s.occurrence.event.id, s.lane, s.length) for s in monday.starts] == [
        ("a-long", 0, 5), ("b-short", 1, 2), ("c-same", 2, 2)]
    assert [lane.occurrence.event.id if lane else None for lane in monday.lanes] == ["a-long", "b-short", "c-same"]
    # Wednesday: lane 1 is free again, so the later festival takes it; lane 2 stays as a gap.
    wednesday = days[date(2027, 1, 13)]
    assert [(s.occurrence.event.id, s.lane) for s in wednesday.starts] == [("d-later", 1)]
    assert [lane.occurrence.event.id if lane else None for lane in wednesday.lanes] == ["a-long", "d-later", None]
    # A week without festivals has no lanes at all; festivals are not in the day's list.
    assert days[date(2027, 1, 4)].lanes == () and days[date(2027, 1, 11)].occurrences == []


def test_a_festival_begun_last_month_is_drawn_from_the_first():
    cat = catalog_of(event_toml("fest", start="2026-12-30", end="2027-01-02"))
    days = grid_days(cat, 2027, 1)
    [span] = days[date(2027, 1, 1)].starts
    assert (span.first, span.last, span.continues_before) == (date(2027, 1, 1), date(2027, 1, 2), True)
    assert days[date(2026, 12, 30)].lanes == () and days[date(2026, 12, 31)].starts == []
    # Nor is one starting on the last day of the month drawn into the next month's days.
    cat = catalog_of(event_toml("fest", start="2027-01-31", end="2027-02-02"))
    [span] = grid_days(cat, 2027, 1)[date(2027, 1, 31)].starts
    assert (span.first, span.last, span.continues_after) == (date(2027, 1, 31), date(2027, 1, 31), True)


def test_the_same_time_on_several_days_of_a_week_is_listed_once():
    cat = catalog_of(
        event_toml("weekend", start="2027-01-09T14:00:00", end="2027-01-09T15:00:00",
                   repeat='"FREQ=WEEKLY;BYDAY=SA,SU;COUNT=4"'),
        event_toml("daily", start="2027-01-11", repeat='"FREQ=DAILY;COUNT=3"'),
        event_toml("night", start="2027-01-09T22:00:00", end="2027-01-10T01:00:00"))
    days = grid_days(cat, 2027, 1)
    saturday, sunday = days[date(2027, 1, 9)], days[date(2027, 1, 10)]
    assert [(o.event.id, again) for o, again in zip(saturday.occurrences, saturday.again, strict=True)] == [
        ("weekend", (date(2027, 1, 10),)), ("night", ())]
    # Sunday: the weekend event is a repeat; the night goes on from Saturday (listed as begun there).
    assert [(o.event.id, again) for o, again in zip(sunday.occurrences, sunday.again, strict=True)] == [
        ("night", ()), ("weekend", None)]
    assert not sunday.only_repeats and not saturday.only_repeats
    monday = days[date(2027, 1, 11)]
    assert monday.again == ((date(2027, 1, 12), date(2027, 1, 13)),)
    assert days[date(2027, 1, 12)].again == (None,) and days[date(2027, 1, 12)].only_repeats
    assert days[date(2027, 1, 13)].only_repeats and not days[date(2027, 1, 14)].only_repeats
    # The next week starts afresh.
    assert days[date(2027, 1, 16)].again == ((date(2027, 1, 17),),)


def test_grid_days_carry_the_lunar_day_and_the_holidays(tmp_path):
    import shutil

    from canal.loader import load
    from edges import ROOT_HOLIDAYS
    events = tmp_path / "events.toml"
    events.write_text(HEAD, encoding="utf-8")
    shutil.copy(ROOT_HOLIDAYS, tmp_path / "events.holidays.toml")
    days = grid_days(load(events), 2026, 2, date(2026, 2, 17))
    assert days[date(2026, 2, 17)].today and days[date(2026, 2, 17)].note.festival.zh == "春节"
    assert days[date(2026, 2, 15)].holiday.id == "spring-festival" and days[date(2026, 2, 15)].notable
    assert days[date(2026, 2, 14)].workday_for.id == "spring-festival" and days[date(2026, 2, 14)].notable
    assert days[date(2026, 2, 14)].holiday is None and days[date(2026, 2, 15)].workday_for is None
    assert not days[date(2026, 2, 10)].notable


def test_the_next_one_keeps_the_area_and_words_and_starts_at_now_when_to_was_yesterday(catalog):
    assert agenda.next_after(catalog, Filter(areas=("langfang",), end=date(2027, 1, 9)), NOW).event.id == "sunday"
    assert agenda.next_after(catalog, Filter(q="boats", end=date(2027, 1, 8)), NOW).event.id == "evening"
    early = catalog_of(event_toml("early", start="2027-01-09T07:00:00", end="2027-01-09T08:00:00"),
                       event_toml("late", start="2027-01-09T19:00:00", end="2027-01-09T20:00:00"))
    assert agenda.next_after(early, Filter(end=date(2027, 1, 8)), NOW).event.id == "late"


def test_shortcut_ranges_come_with_their_names():
    today = date(2027, 1, 6)  # a Wednesday
    assert agenda.shortcuts(today) == [
        ("today", today, today), ("weekend", date(2027, 1, 9), date(2027, 1, 10)),
        ("week", today, date(2027, 1, 12)), ("month", today, date(2027, 1, 31))]


def test_find_keeps_only_the_events_filtered_for(catalog):
    assert [o.event.id for o in agenda.find(catalog, Filter(sites=("museum",)), NOW)] == ["evening"]
    assert [o.event.id for o in agenda.find(catalog, Filter(categories=("food",)), NOW)] == ["sunday", "march"]
