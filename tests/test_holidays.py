"""China's public holidays: the validated file, the catalog's API, /api/holidays.json and the pages."""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from canal import create_app, holidays
from canal.loader import LoadError, load

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
NOTICE = "https://politics.gmw.cn/2025-11/04/content_38391083.htm"


@pytest.fixture
def client():
    """The shipped site, with the shipped holidays file next to events.toml."""
    app = create_app({"CANAL_EVENTS": str(ROOT / "events.toml"), "CANAL_NOW": "2026-12-01T09:00:00",
                      "TESTING": True})
    return app.test_client()


def problems_of(tmp_path, text: str) -> list[str]:
    shutil.copy(DATA / "minimal.toml", tmp_path / "events.toml")
    path = tmp_path / "events.holidays.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load(tmp_path / "events.toml")
    return [str(p).replace(str(path), "events.holidays.toml") for p in caught.value.problems]


GOOD_YEAR = f'''[holidays.2026]
source = "{NOTICE}"

[holidays.2026.spring-festival]
name = {{ zh = "春节", en = "Spring Festival" }}
start = 2026-02-15
end = 2026-02-23
workdays = [2026-02-14, 2026-02-28]
'''


@pytest.mark.parametrize("extra, message", [
    ('''
[holidays.2026.lantern]
name = { zh = "元宵" }
start = 2026-02-20
end = 2026-02-24
''', "events.holidays.toml:10: holidays.2026.lantern: 2026-02-20 to 2026-02-24 overlaps "
     "holidays.2026.spring-festival (2026-02-15 to 2026-02-23)"),
    ('''
[holidays.2026.labour-day]
name = { zh = "劳动节" }
start = 2026-05-01
end = 2026-05-05
workdays = [2026-05-08]
''', "events.holidays.toml:14: holidays.2026.labour-day.workdays: 2026-05-08 is a Friday, not a weekend "
     "day: a make-up working day (调休上班) is a Saturday or Sunday the notice says is worked"),
    ('''
[holidays.2026.labour-day]
name = { zh = "劳动节" }
start = 2026-05-01
end = 2026-05-05
workdays = [2026-05-02]
''', "events.holidays.toml:14: holidays.2026.labour-day.workdays: 2026-05-02 is a make-up working day "
     "inside the holiday itself (2026-05-01 to 2026-05-05)"),
    ('''
[holidays.2026.labour-day]
name = { zh = "劳动节" }
start = 2026-05-05
end = 2026-05-01
''', "events.holidays.toml:13: holidays.2026.labour-day.end: ends (2026-05-01) before it starts (2026-05-05)"),
    ('''
[holidays.2026.national-day]
name = { zh = "国庆节" }
start = 2027-10-01
end = 2027-10-07
''', "events.holidays.toml:12: holidays.2026.national-day.start: 2027-10-01 to 2027-10-07 is not in 2026: "
     "it belongs under [holidays.2027]"),
    ('''
[holidays.2026.qingming]
start = 2026-04-04
''', "events.holidays.toml:10: holidays.2026.qingming.name: required field 'name' is missing"),
    ('''
[holidays.2026.qingming]
name = { zh = "清明节" }
start = 2026-04-04
days = 3
''', "events.holidays.toml:13: holidays.2026.qingming.days: unknown key 'days' (did you mean 'workdays'?); allowed: name, start, end, workdays"),  # noqa: E501 - the exact message
])
def test_each_mistake_in_the_holidays_file_has_its_own_message(tmp_path, extra, message):
    assert problems_of(tmp_path, GOOD_YEAR + extra) == [message]


def test_a_year_without_a_source_or_a_bad_year_is_refused(tmp_path):
    assert problems_of(tmp_path, '''[holidays.2027.spring-festival]
name = { zh = "春节" }
start = 2027-02-05

[holidays.27]
''') == [
        "events.holidays.toml:1: holidays.2027: holidays of 2027 have no source: give the address of the "
        "State Council's notice as source = \"https://…\" (the site never invents a holiday)",
        "events.holidays.toml:5: holidays.27: '27' is not a year from 2000 to 2100 (write [holidays.2026])",
    ]


def test_holiday_and_event_problems_are_listed_together(tmp_path):
    shutil.copy(DATA / "broken.toml", tmp_path / "events.toml")
    (tmp_path / "events.holidays.toml").write_text("[holidays.2027]\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load(tmp_path / "events.toml")
    files = {Path(p.file).name for p in caught.value.problems}
    assert files == {"events.toml", "events.holidays.toml"}


def test_the_shipped_2026_schedule_is_the_state_council_notice():
    known = load(ROOT / "events.toml").holidays
    assert known.years() == [2026] and known.sources[2026] == NOTICE
    spans = [(h.name.zh, h.start.isoformat(), h.end.isoformat(), [d.isoformat() for d in h.workdays])
             for h in known]
    assert spans == [
        ("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"]),
        ("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
        ("清明节", "2026-04-04", "2026-04-06", []),
        ("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"]),
        ("端午节", "2026-06-19", "2026-06-21", []),
        ("中秋节", "2026-09-25", "2026-09-27", []),
        ("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
    ]
    assert sum(len(h.days()) for h in known) == 3 + 9 + 3 + 5 + 3 + 3 + 7  # the notice's 共N天


def test_the_catalog_api_other_modules_use():
    known = load(ROOT / "events.toml").holidays
    assert known.holiday(date(2026, 2, 17)).name.get("en") == "Spring Festival"
    assert known.holiday(date(2026, 2, 24)) is None
    assert known.is_workday_swap(date(2026, 2, 28)) and not known.is_workday_swap(date(2026, 3, 1))
    assert known.swap_for(date(2026, 9, 20)).id == "national-day"
    assert known.known(2026) and not known.known(2027)
    # Never invented: a year the notice has not covered has no holidays at all.
    assert known.holiday(date(2027, 10, 1)) is None
    assert holidays.EMPTY.holiday(date(2026, 10, 1)) is None


def test_api_holidays_json_in_both_languages(client):
    data = json.loads(client.get("/api/holidays.json").data)
    [year] = data["years"]
    assert year["year"] == 2026 and year["source"] == NOTICE
    spring = next(h for h in year["holidays"] if h["id"] == "spring-festival")
    assert spring == {"id": "spring-festival", "name": "春节", "name_zh": "春节", "start": "2026-02-15",
                      "end": "2026-02-23", "days": 9, "workdays": ["2026-02-14", "2026-02-28"]}
    english = json.loads(client.get("/en/api/holidays.json").data)
    assert english["years"][0]["holidays"][0]["name"] == "New Year's Day"


def test_agenda_days_say_national_holiday(tmp_path):
    head = (DATA / "lunar.toml").read_text(encoding="utf-8").split("[events.")[0]
    (tmp_path / "events.toml").write_text(head + """
[events.golden-week-fair]
title = { zh = "国庆市集", en = "Golden Week fair" }
site = "caoyun-wharf"
categories = ["festival"]
start = 2026-09-30
end = 2026-10-10
""", encoding="utf-8")
    shutil.copy(ROOT / "events.holidays.toml", tmp_path / "events.holidays.toml")
    app = create_app({"CANAL_EVENTS": str(tmp_path / "events.toml"), "CANAL_NOW": "2026-09-29T09:00:00",
                      "TESTING": True})
    client = app.test_client()
    page = client.get("/events/").data.decode()
    # The fair shows once, on its first day, 30 September: not a holiday.
    assert "法定节假日" not in page
    page = client.get("/events/?from=2026-10-01&to=2026-10-10").data.decode()
    assert page.count("法定节假日：国庆节") == 1  # the listing starts on 1 October, a day off
    english = client.get("/en/events/?from=2026-10-10&to=2026-10-12").data.decode()
    assert "Make-up working day (National Day)" in english


def test_month_grid_marks_holidays_and_make_up_days(client):
    page = client.get("/calendar/2026/02/").data.decode()
    assert page.count('class="day-badge off"') == 9
    assert page.count('class="day-badge work"') == 2
    assert '<span class="visually-hidden">法定节假日：春节</span>' in page
    assert '<span class="visually-hidden">调休上班（春节）</span>' in page
    english = client.get("/en/calendar/2026/02/").data.decode()
    assert '<span class="visually-hidden">National holiday: Spring Festival</span>' in english
    assert '<span class="visually-hidden">Make-up working day (Spring Festival)</span>' in english


def test_a_syntax_error_in_the_holidays_file_names_its_line(tmp_path):
    assert problems_of(tmp_path, GOOD_YEAR + "\n[holidays.2026.qingming]\nstart = 2026-04-0\n") == [
        "events.holidays.toml:11:13: holidays.2026.qingming.start: the line goes on after its value: text "
        "needs \"quotes\", and dates are written 2027-04-17 (four-digit year, two-digit month and day) "
        "(TOML: Expected newline or end of document after a statement); the rest of the file is checked "
        "once this is fixed"]


def test_hostile_holiday_names_stay_inert(tmp_path):
    shutil.copy(DATA / "minimal.toml", tmp_path / "events.toml")
    evil = '<script>alert(1)</script>"&'
    (tmp_path / "events.holidays.toml").write_text(
        GOOD_YEAR.replace('en = "Spring Festival"', "en = '" + evil + "'"), encoding="utf-8")
    app = create_app({"CANAL_EVENTS": str(tmp_path / "events.toml"), "CANAL_NOW": "2026-12-01T09:00:00",
                      "TESTING": True})
    client = app.test_client()
    page = client.get("/en/calendar/2026/02/").data.decode()
    assert "<script>alert(1)</script>" not in page
    assert "National holiday: &lt;script&gt;alert(1)&lt;/script&gt;&#34;&amp;" in page
    data = json.loads(client.get("/en/api/holidays.json").data)
    assert data["years"][0]["holidays"][0]["name"] == evil
