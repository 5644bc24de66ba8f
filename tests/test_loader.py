"""An editor's mistakes in events.toml come back as precise, complete messages."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from canal import InvalidContent, create_app
from canal.cli import canal as canal_cli
from canal.loader import LoadError, load, parse

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"

VALID_HEAD = '''[meta]
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
'''


def problems_of(text: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        parse(text, "events.toml")
    return [str(p) for p in caught.value.problems]


def test_every_problem_in_a_broken_file_is_reported_at_once_with_its_line():
    with pytest.raises(LoadError) as caught:
        load(DATA / "broken.toml")
    f = str(DATA / "broken.toml")
    assert [str(p) for p in caught.value.problems] == [
        f"{f}:10: areas.Lang_Fang: id 'Lang_Fang' may only use lowercase letters a-z, digits 0-9 and '-' (it appears in URLs)",
        f"{f}:14: categories.food.name.zh: Chinese text 'zh' is required and must be non-empty text",
        f"{f}:21: sites.xianghe-wharf.area: unknown area 'tongzou' (did you mean 'tongzhou'?)",
        f"{f}:32: sites.far-away.lat: latitude 31.23 is outside the region (39.0 to 40.2, meta.bbox); swapped with lon, or a typo?",
        f"{f}:33: sites.far-away.lon: longitude 200.5 is out of range (-180 to 180)",
        f"{f}:34: sites.far-away.precision_m: expected a whole number of metres above 0, got '1 km'",
        f"{f}:37: events.no-title.title: required field 'title' is missing",
        f"{f}:43: events.typo.titel: unknown key 'titel' (did you mean 'title'?); allowed: title, site, categories, start, end, repeat, except, status, description, url, organiser, price, source, booking, previous_start, ends_at, next, previous",
        f"{f}:46: events.typo.categories: unknown category 'musik'",
        f"{f}:51: events.backwards.site: unknown site 'nowhere'",
        f"{f}:54: events.backwards.end: ends (2027-04-18T17:00:00) before it starts (2027-04-19T09:00:00)",
        f"{f}:61: events.mixed.end: start 2027-04-19 is a date (all-day) but end 2027-04-19T17:00:00 has a time; give both as dates, or both with times",
        f"{f}:69: events.bad-rule.repeat: FREQ=MONTHY is not one of DAILY, MONTHLY, WEEKLY, YEARLY (got 'FREQ=MONTHY;BYDAY=2SA')",
        f"{f}:77: events.early-until.repeat: UNTIL 2026-12-01 is before the start 2027-01-09 (got 'FREQ=MONTHLY;BYDAY=2SA;UNTIL=20261201')",
        f"{f}:86: events.wrong-except.except: 2027-02-14 is not a date of the rule 'FREQ=MONTHLY;BYDAY=2SA;COUNT=6', so there is nothing to skip",
        f"{f}:89: events.wrong-type.title: expected bilingual text {{ zh = \"…\", en = \"…\" }}, got text",
        f"{f}:91: events.wrong-type.categories: expected a list of category ids such as [\"festival\"], got 'festival'",
        f"{f}:92: events.wrong-type.start: expected a date (2027-04-19) or a local date-time (2027-04-19T09:00:00), got '2027-05-01'",
        f"{f}:93: events.wrong-type.status: status 'delayed' is not one of confirmed, cancelled, postponed, rescheduled",
    ]


LATER = "; the rest of the file is checked once this is fixed"


def test_toml_syntax_error_names_line_column_table_and_field():
    assert problems_of(VALID_HEAD + '\n[events.x]\ntitle = { zh = "未闭合 }\n') == [
        "events.toml:22:22: events.x.title: an unexpected character: quoted text must end on the "
        "line it starts (TOML: Illegal character '\\n')" + LATER,
    ]


def test_duplicate_id_is_a_syntax_error_that_points_at_the_first_one():
    text = VALID_HEAD + '\n[sites.wharf]\nname = { zh = "again" }\n'
    assert problems_of(text) == [
        "events.toml:21:13: sites.wharf: this table is written twice (first at line 12): give the "
        "copy its own id (TOML: Cannot declare ('sites', 'wharf') twice)" + LATER]


@pytest.mark.parametrize("mistake, line, expected", [
    ("start = 2027-4-19", 22, "events.x.start: the line goes on after its value: text needs \"quotes\", "
                          "and dates are written 2027-04-17"),
    ("start = 2027-04-19\nstart = 2027-04-20", 23, "events.x.start: this field is given twice in its table"),
    ('title = { zh = "开"\nsite = "wharf"', 22, "events.x.title: a { … } is not closed with } on the same line"),
    ("start = tomorrow", 22, "events.x.start: not a value TOML can read: text needs \"quotes\""),
])
def test_common_syntax_mistakes_are_explained(mistake, line, expected):
    [problem] = problems_of(VALID_HEAD + f"\n[events.x]\n{mistake}\n")
    assert expected in problem and problem.startswith(f"events.toml:{line}:")
    assert problem.endswith(LATER)


def test_unknown_time_zone_and_missing_base_url():
    text = VALID_HEAD.replace('timezone = "Asia/Shanghai"', 'timezone = "Asia/Peking"').replace(
        'base_url = "https://canal.test"\n', "")
    assert problems_of(text) == [
        "events.toml:1: meta.base_url: required field 'base_url' is missing",
        "events.toml:3: meta.timezone: unknown time zone 'Asia/Peking': expected an IANA name such as 'Asia/Shanghai'",
    ]


def test_latitude_out_of_range_and_a_custom_region_box():
    text = VALID_HEAD.replace("lat = 39.88", "lat = 95.0").replace(
        'base_url = "https://canal.test"', 'base_url = "https://canal.test"\nbbox = [39.5, 116.5, 40.0, 116.6]')
    assert problems_of(text) == [
        "events.toml:17: sites.wharf.lat: latitude 95.0 is out of range (-90 to 90)",
        "events.toml:18: sites.wharf.lon: longitude 116.7 is outside the region (116.5 to 116.6, meta.bbox); swapped with lat, or a typo?",
    ]


def test_missing_chinese_text_is_reported_on_the_field():
    text = VALID_HEAD + '\n[events.x]\ntitle = { en = "English only" }\nsite = "wharf"\ncategories = ["festival"]\nstart = 2027-01-01\n'
    assert problems_of(text) == ["events.toml:22: events.x.title.zh: Chinese text 'zh' is required and must be non-empty text"]


def test_offset_date_time_and_timed_event_without_end():
    text = VALID_HEAD + '''
[events.a]
title = { zh = "甲" }
site = "wharf"
categories = ["festival"]
start = 2027-01-01T09:00:00+08:00
end = 2027-01-01T10:00:00

[events.b]
title = { zh = "乙" }
site = "wharf"
categories = ["festival"]
start = 2027-01-01T09:00:00
'''
    assert problems_of(text) == [
        "events.toml:25: events.a.start: 2027-01-01T09:00:00+08:00 has a UTC offset; write the local time without one (e.g. 2027-04-19T09:00:00)",
        "events.toml:28: events.b.end: required field 'end' is missing (a timed event needs an end time, e.g. 2027-04-19T17:00:00)",
    ]


@pytest.mark.parametrize("rule, message", [
    ("FREQ=MONTHLY;BYDAY=2SA;COUNT=3;UNTIL=20271231", "give COUNT or UNTIL, not both"),
    ("BYDAY=2SA", "FREQ is missing (example: FREQ=MONTHLY;BYDAY=2SA)"),
    ("FREQ=HOURLY", "FREQ=HOURLY is not one of DAILY, MONTHLY, WEEKLY, YEARLY"),
    ("FREQ=MONTHLY;BYDAY=XX", "not a valid RRULE: invalid 'BYDAY': XX"),
    ("FREQ=MONTHLY;UNTIL=2027-12-31", "UNTIL=2027-12-31 is not a date: write YYYYMMDD (the last day, local time)"),
    ("FREQ=MONTHLY;COLOR=RED", "unknown rule part COLOR (allowed: BYDAY, BYMONTH, BYMONTHDAY, BYSETPOS, BYWEEKNO, BYYEARDAY, COUNT, FREQ, INTERVAL, UNTIL, WKST)"),
    ("FREQ=MONTHLY;BYDAY=1SU", "start 2027-01-09 is not a date of the rule; start on its first date (2027-02-07)"),
    # INTERVAL=0 once made expansion loop for ever; huge numbers break iCalendar.
    ("FREQ=DAILY;INTERVAL=0", "INTERVAL=0 must be a whole number from 1 to 1000"),
    ("FREQ=DAILY;COUNT=99999999999999999999", "COUNT=99999999999999999999 must be a whole number from 1 to 1000"),
    ("FREQ=YEARLY;INTERVAL=-1", "INTERVAL=-1 must be a whole number from 1 to 1000"),
    ("FREQ=DAILY;UNTIL=99991231", "UNTIL 9999-12-31 is not between 2000 and 2100"),
])
def test_invalid_rules_say_what_is_wrong(rule, message):
    text = VALID_HEAD + f'''
[events.r]
title = {{ zh = "规则" }}
site = "wharf"
categories = ["festival"]
start = 2027-01-09T10:00:00
end = 2027-01-09T12:00:00
repeat = "{rule}"
'''
    assert problems_of(text) == [f"events.toml:27: events.r.repeat: {message} (got '{rule}')"]


def test_except_without_repeat():
    text = VALID_HEAD + '\n[events.x]\ntitle = { zh = "甲" }\nsite = "wharf"\ncategories = ["festival"]\nstart = 2027-01-01\nexcept = [2027-01-01]\n'
    assert problems_of(text) == ["events.toml:26: events.x.except: 'except' only makes sense with 'repeat'"]


def test_unknown_table_is_reported():
    assert problems_of(VALID_HEAD + "\n[evnets.x]\ntitle = 1\n") == [
        "events.toml:21: evnets: unknown table [evnets] (did you mean 'events'?); expected: meta, areas, categories, sites, events",
    ]


def test_valid_file_loads_into_an_immutable_catalog(catalog):
    event = catalog.events["farm-food-festival"]
    assert event.start == datetime(2026, 12, 12, 10, tzinfo=catalog.tz)
    assert event.except_dates == (date(2027, 2, 13),)
    assert catalog.events["kaicao-festival"].all_day
    assert catalog.events["cancelled-fair"].end == date(2027, 1, 1)
    assert catalog.events["night-lecture"].title.get("en") == "运河夜话"  # falls back to zh
    with pytest.raises(TypeError):
        catalog.events["x"] = event
    with pytest.raises(AttributeError):
        event.title = None


def test_app_refuses_to_start_on_broken_content():
    with pytest.raises(InvalidContent) as caught:
        create_app({"CANAL_EVENTS": str(DATA / "broken.toml")})
    assert len(caught.value.problems) == 19


def test_serving_broken_content_prints_the_problems_without_a_traceback():
    env = {**os.environ, "CANAL_EVENTS": str(DATA / "broken.toml")}
    result = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "broken.toml:43: events.typo.titel: unknown key 'titel'" in result.stderr
    assert "19 problem(s): the site cannot start." in result.stderr


def test_check_command_reports_ok_with_counts(data_path):
    from click.testing import CliRunner
    result = CliRunner().invoke(canal_cli, ["check", data_path("minimal.toml")])
    assert result.exit_code == 0
    assert result.output == "OK: 3 sites, 5 events (2 recurring)\n"


def test_check_command_lists_every_problem_and_fails(data_path):
    from click.testing import CliRunner
    result = CliRunner().invoke(canal_cli, ["check", data_path("broken.toml")])
    assert result.exit_code == 1
    assert result.output.count("broken.toml:") == 19


def test_flask_canal_check_passes_on_the_shipped_content():
    flask = Path(sys.executable).with_name("flask")
    result = subprocess.run([str(flask), "--app", "app", "canal", "check"], cwd=ROOT,
                            env={k: v for k, v in os.environ.items() if k != "CANAL_EVENTS"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: ")


def test_control_characters_are_refused():
    text = VALID_HEAD + '\n[events.x]\ntitle = { zh = "响\\u0007铃" }\nsite = "wharf"\ncategories = ["festival"]\nstart = 2027-01-01\n'
    assert problems_of(text) == [
        "events.toml:22: events.x.title.zh: contains the invisible control character U+0007; remove it"]


def test_dates_outside_the_years_the_site_deals_in_are_refused():
    text = VALID_HEAD + '''
[events.far]
title = { zh = "远" }
site = "wharf"
categories = ["festival"]
start = 9999-12-31
end = 9999-12-31

[events.skip]
title = { zh = "跳" }
site = "wharf"
categories = ["festival"]
start = 2027-01-02
repeat = "FREQ=WEEKLY;COUNT=3"
except = [1900-01-01]
'''
    assert problems_of(text) == [
        "events.toml:25: events.far.start: 9999-12-31 is not between 2000 and 2100",
        "events.toml:26: events.far.end: 9999-12-31 is not between 2000 and 2100",
        "events.toml:34: events.skip.except: 1900-01-01 is not between 2000 and 2100",
    ]


def test_an_id_ending_in_a_newline_is_refused():
    # "$" in a pattern matches before a final newline: such an id used to pass and then
    # put a bare LF in every feed's UID line.
    text = VALID_HEAD + '\n[events."fair\\n"]\ntitle = { zh = "集市" }\nsite = "wharf"\n' \
        'categories = ["festival"]\nstart = 2026-12-05\nend = 2026-12-05\nsource = "https://canal.test/"\n'
    assert problems_of(text) == [
        "events.toml:21: events.fair\\n: id 'fair\\n' may only use lowercase letters a-z, "
        "digits 0-9 and '-' (it appears in URLs)"]
