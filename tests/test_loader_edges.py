"""The loader's checks at their edges, each with its exact message (file:line, id, field).

A timed event needs a length; a region box needs its minimum below its maximum on both
axes; invisible control characters are refused in English text as in Chinese; the limits
of coordinates, years and numbers are inclusive where they say so.
"""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from canal.loader import load
from edges import HEAD, HEAD_LINES, catalog_of, event_of, event_toml, problems

# Line numbers in a file made of HEAD and one event_toml(): the header, then its fields.
HEADER = HEAD_LINES + 2
FIRST_FIELD = HEADER + 4


def event_problems(**fields: str) -> list[str]:
    return problems(HEAD + event_toml(**fields))


# --- Times -------------------------------------------------------------------------------

def test_a_timed_event_of_no_length_is_refused():
    assert event_problems(start="2027-04-19T09:00:00", end="2027-04-19T09:00:00") == [
        f"events.toml:{FIRST_FIELD + 1}: events.e.end: ends when it starts (2027-04-19T09:00:00)"]


def test_a_timed_event_ending_before_it_starts_is_refused():
    assert event_problems(start="2027-04-19T09:00:00", end="2027-04-19T08:59:59") == [
        f"events.toml:{FIRST_FIELD + 1}: events.e.end: ends (2027-04-19T08:59:59) before it "
        "starts (2027-04-19T09:00:00)"]


def test_an_all_day_event_may_end_on_its_first_day_but_not_before():
    event = event_of(start="2027-04-19", end="2027-04-19")
    assert (event.start, event.end) == (date(2027, 4, 19), date(2027, 4, 19))
    assert event_problems(start="2027-04-19", end="2027-04-18") == [
        f"events.toml:{FIRST_FIELD + 1}: events.e.end: ends (2027-04-18) before it starts (2027-04-19)"]


def test_the_shortest_timed_event_is_accepted():
    event = event_of(start="2027-04-19T09:00:00", end="2027-04-19T09:00:01")
    assert event.end - event.start == datetime(2027, 1, 1, 0, 0, 1) - datetime(2027, 1, 1)


def test_an_all_day_event_without_end_lasts_its_start_day():
    event = event_of(start="2027-04-19")
    assert (event.start, event.end) == (date(2027, 4, 19), date(2027, 4, 19))


def test_start_and_end_of_different_kinds_are_refused_both_ways():
    assert event_problems(start="2027-04-19T09:00:00", end="2027-04-19") == [
        f"events.toml:{FIRST_FIELD + 1}: events.e.end: start 2027-04-19T09:00:00 has a time but end "
        "2027-04-19 is a date; give both with times, or both as dates for an all-day event"]
    assert event_problems(start="2027-04-19", end="2027-04-20T09:00:00") == [
        f"events.toml:{FIRST_FIELD + 1}: events.e.end: start 2027-04-19 is a date (all-day) but end "
        "2027-04-20T09:00:00 has a time; give both as dates, or both with times"]


def test_a_bad_end_is_reported_once_and_drops_the_event():
    assert event_problems(start="2027-04-19", end='"tomorrow"') == [
        f"events.toml:{FIRST_FIELD + 1}: events.e.end: expected a date (2027-04-19) or a local "
        "date-time (2027-04-19T09:00:00), got 'tomorrow'"]


def test_timed_times_are_in_the_catalogs_zone():
    event = event_of(start="2027-04-19T09:00:00", end="2027-04-19T10:00:00")
    assert event.start.tzinfo.key == event.end.tzinfo.key == "Asia/Shanghai"


@pytest.mark.parametrize("value, ok", [
    ("2000-01-01", True), ("2100-12-31", True), ("1999-12-31", False), ("2101-01-01", False),
    ("2000-01-01T00:00:00", True), ("2101-01-01T00:00:00", False),
])
def test_the_years_a_date_may_have_are_inclusive(value, ok):
    end = value if "T" not in value else value.replace("T00:00:00", "T00:00:01")
    if ok:
        assert event_of(start=value, end=end).start.year == int(value[:4])
    else:
        assert f"events.toml:{FIRST_FIELD}: events.e.start: {value} is not between 2000 and 2100" in \
            event_problems(start=value, end=end)


def test_a_local_time_alone_is_not_a_start():
    assert event_problems(start="09:00:00") == [
        f"events.toml:{FIRST_FIELD}: events.e.start: expected a date (2027-04-19) or a local date-time "
        "(2027-04-19T09:00:00), got 09:00:00"]


# --- The region box ------------------------------------------------------------------------

BBOX_MESSAGE = "meta.bbox: expected [min_lat, min_lon, max_lat, max_lon] with min below max"


@pytest.mark.parametrize("bbox", [
    "[39.0, 117.5, 40.2, 116.3]",  # longitudes reversed
    "[40.2, 116.3, 39.0, 117.5]",  # latitudes reversed
    "[39.0, 116.3, 39.0, 117.5]",  # no height
    "[39.0, 116.3, 40.2, 116.3]",  # no width
    "[39.0, 116.3, 40.2]",
    "[39.0, 116.3, 40.2, 117.5, 1.0]",
    "[39.0, true, 40.2, 117.5]",
    '[39.0, "116.3", 40.2, 117.5]',
    '"39.0, 116.3, 40.2, 117.5"',
])
def test_a_region_box_needs_four_numbers_min_below_max(bbox):
    head = HEAD.replace('base_url = "https://canal.test"', f'base_url = "https://canal.test"\nbbox = {bbox}')
    assert problems(head) == [f"events.toml:5: {BBOX_MESSAGE}"]


def test_a_region_box_of_whole_numbers_is_used_and_its_edges_are_inside():
    head = HEAD.replace('base_url = "https://canal.test"', 'base_url = "https://canal.test"\nbbox = [39, 116, 40, 117]')
    at_edges = head.replace("lat = 39.88\nlon = 116.70", "lat = 39\nlon = 117", 1)
    catalog = catalog_of(head=at_edges)
    assert catalog.meta.bbox == (39.0, 116.0, 40.0, 117.0)
    assert (catalog.sites["wharf"].lat, catalog.sites["wharf"].lon) == (39.0, 117.0)
    assert isinstance(catalog.sites["wharf"].lat, float)
    beyond = head.replace("lat = 39.88\nlon = 116.70", "lat = 40.01\nlon = 115.99", 1)
    assert problems(beyond) == [
        "events.toml:17: sites.wharf.lat: latitude 40.01 is outside the region (39.0 to 40.0, meta.bbox); "
        "swapped with lon, or a typo?",
        "events.toml:18: sites.wharf.lon: longitude 115.99 is outside the region (116.0 to 117.0, meta.bbox); "
        "swapped with lat, or a typo?"]


@pytest.mark.parametrize("lat, lon, messages", [
    ("90.5", "116.7", ["sites.wharf.lat: latitude 90.5 is out of range (-90 to 90)"]),
    ("-90.5", "116.7", ["sites.wharf.lat: latitude -90.5 is out of range (-90 to 90)"]),
    ("90", "116.7", ["sites.wharf.lat: latitude 90.0 is outside the region (39.0 to 40.2, meta.bbox); "
                     "swapped with lon, or a typo?"]),
    ("39.88", "180.5", ["sites.wharf.lon: longitude 180.5 is out of range (-180 to 180)"]),
    ("39.88", "-180", ["sites.wharf.lon: longitude -180.0 is outside the region (116.3 to 117.5, "
                       "meta.bbox); swapped with lat, or a typo?"]),
    ("39.0", "117.5", []),  # the default box's corners are inside
    ("40.2", "116.3", []),
    ("true", "116.7", ["sites.wharf.lat: expected a number, got true/false"]),
])
def test_coordinates_against_the_globe_and_the_default_region(lat, lon, messages):
    text = HEAD.replace("lat = 39.88\nlon = 116.70", f"lat = {lat}\nlon = {lon}", 1)
    if not messages:
        site = catalog_of(head=text).sites["wharf"]
        assert (site.lat, site.lon) == (float(lat), float(lon))
        return
    lines = {"lat": 16, "lon": 17}
    assert problems(text) == [f"events.toml:{lines[m.split('.')[2].split(':')[0]]}: {m}" for m in messages]


def test_an_entrance_outside_the_region_is_named_by_its_number():
    text = HEAD.replace('description = { zh = "码头。" }',
                        'description = { zh = "码头。" }\nentrances = [{ name = { zh = "东门" }, lat = 39.9, '
                        'lon = 116.71 }, { name = { zh = "西门" }, lat = 39.9, lon = 118.0 }]', 1)
    assert problems(text) == [
        "events.toml:20: sites.wharf.entrances: entrance 2 longitude 118.0 is outside the region "
        "(116.3 to 117.5, meta.bbox); swapped with lat, or a typo?"]


# --- Text ------------------------------------------------------------------------------------

@pytest.mark.parametrize("char, code", [("\\u0007", "0007"), ("\\u001f", "001F"), ("\\u007f", "007F"),
                                        ("\\u0000", "0000"), ("\\u000b", "000B"), ("\\u0008", "0008")])
def test_control_characters_in_english_text_are_refused(char, code):
    title = f'{{ zh = "响铃", en = "Bell{char}" }}'
    text = HEAD + event_toml(start="2027-01-01").replace('title = { zh = "活动e", en = "Event e" }', f"title = {title}")
    assert problems(text) == [
        f"events.toml:{HEADER + 1}: events.e.title.en: contains the invisible control character U+{code}; remove it"]


def test_control_characters_in_plain_fields_are_refused():
    assert event_problems(start="2027-01-01", status='"confirmed\\u0007"') == [
        f"events.toml:{FIRST_FIELD + 1}: events.e.status: contains the invisible control character U+0007; "
        "remove it"]


def test_tabs_and_line_breaks_are_not_control_characters_here():
    text = HEAD + event_toml(start="2027-01-01", description='{ zh = "第一行\\n第二行\\t完", en = "a\\r\\nb" }')
    event = catalog_of(text[len(HEAD):]).events["e"]
    assert (event.description.zh, event.description.en) == ("第一行\n第二行\t完", "a\r\nb")


def test_text_is_trimmed_and_blank_english_is_no_english():
    event = catalog_of(event_toml(start="2027-01-01", description='{ zh = "  说明 ", en = "  " }')).events["e"]
    assert (event.description.zh, event.description.en) == ("说明", None)
    event = catalog_of(event_toml(start="2027-01-01", description='{ zh = "说明", en = " Notes " }')).events["e"]
    assert event.description.en == "Notes"


@pytest.mark.parametrize("value, message", [
    ('{ zh = "说明", en = 5 }', "events.e.description.en: expected text, got a number"),
    ('{ zh = "  ", en = "Notes" }', "events.e.description.zh: Chinese text 'zh' is required and must be non-empty text"),
    ('{ zh = 5 }', "events.e.description.zh: Chinese text 'zh' is required and must be non-empty text"),
    ('{ zh = "说明", fr = "Notes" }', "events.e.description.fr: unknown key 'fr'; allowed: zh, en"),
    ('"说明"', 'events.e.description: expected bilingual text { zh = "…", en = "…" }, got text'),
])
def test_bilingual_text_mistakes(value, message):
    problems_found = event_problems(start="2027-01-01", description=value)
    assert problems_found == [f"events.toml:{FIRST_FIELD + 1}: {message}"]


def test_english_text_with_a_wrong_type_is_dropped_but_the_rest_loads_nothing():
    # One problem is enough to stop the file; the message is the one above (no second one).
    assert len(event_problems(start="2027-01-01", description='{ zh = "说明", en = [1] }')) == 1


@pytest.mark.parametrize("field, value, message", [
    ("url", '"ftp://canal.test/x"', "'ftp://canal.test/x' is not a web address: expected https://…"),
    ("url", '"https:// canal.test"', "'https:// canal.test' is not a web address: expected https://…"),
    ("url", '"  "', "expected non-empty text, got text"),
    ("url", "5", "expected non-empty text, got a number"),
    ("source", '"https://"', "'https://' is not a web address: expected https://…"),
    ("status", '"delayed"', "status 'delayed' is not one of confirmed, cancelled, postponed, rescheduled"),
])
def test_plain_field_mistakes(field, value, message):
    assert event_problems(start="2027-01-01", **{field: value}) == [
        f"events.toml:{FIRST_FIELD + 1}: events.e.{field}: {message}"]


def test_urls_are_kept_trimmed():
    event = event_of(start="2027-01-01", url='" http://canal.test/a?b=1 "')
    assert event.url == "http://canal.test/a?b=1"


# --- Sites -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, message", [
    ("0", "expected a whole number of metres above 0, got a number"),
    ("-5", "expected a whole number of metres above 0, got a number"),
    ("1.5", "expected a whole number of metres above 0, got a number"),
    ("true", "expected a whole number of metres above 0, got true/false"),
])
def test_precision_is_a_whole_number_of_metres_above_zero(value, message):
    text = HEAD.replace("precision_m = 1000", f"precision_m = {value}", 1)
    assert problems(text) == [f"events.toml:18: sites.wharf.precision_m: {message}"]


def test_one_metre_is_precise_enough():
    assert catalog_of(head=HEAD.replace("precision_m = 1000", "precision_m = 1", 1)).sites["wharf"].precision_m == 1


@pytest.mark.parametrize("value, ok", [("1", True), ("600", True), ("0", False), ("601", False),
                                       ("true", False), ("19:00:30", True)])
def test_last_entry_minutes_are_1_to_600(value, ok):
    text = HEAD.replace('description = { zh = "码头。" }',
                        f'description = {{ zh = "码头。" }}\nopening_hours = "Mo-Su 09:00-20:00"\nlast_entry = {value}', 1)
    if ok:
        entry = catalog_of(head=text).sites["wharf"].last_entry
        assert entry == (time(19, 0) if ":" in value else int(value))
    else:
        assert problems(text) == [
            "events.toml:21: sites.wharf.last_entry: expected a local time such as 19:00:00 or the minutes "
            f"before closing (1 to 600), got {'true/false' if value == 'true' else 'a number'}"]


def test_a_last_entry_outside_the_opening_hours_is_refused():
    text = HEAD.replace('description = { zh = "码头。" }',
                        'description = { zh = "码头。" }\nopening_hours = "Mo-Su 09:00-17:00"\nlast_entry = 18:00:00', 1)
    assert problems(text) == [
        "events.toml:21: sites.wharf.last_entry: last entry 18:00 is not inside the opening hours "
        "'Mo-Su 09:00-17:00' on any day"]


def test_visiting_fields_without_opening_hours_are_refused():
    text = HEAD.replace('description = { zh = "码头。" }',
                        'description = { zh = "码头。" }\nlast_entry = 30\nhours_source = "https://canal.test/h"', 1)
    assert problems(text) == [
        "events.toml:20: sites.wharf.last_entry: 'last_entry' only makes sense with 'opening_hours'",
        "events.toml:21: sites.wharf.hours_source: 'hours_source' only makes sense with 'opening_hours'"]


# --- Events and their schedule ---------------------------------------------------------------

def test_an_event_may_not_end_where_it_starts():
    assert event_problems(start="2027-01-01", ends_at='"wharf"') == [
        f"events.toml:{FIRST_FIELD + 1}: events.e.ends_at: ends where it starts ('wharf'): leave 'ends_at' out"]
    assert event_of(start="2027-01-01", ends_at='"museum"').ends_at == "museum"


@pytest.mark.parametrize("fields, messages", [
    ({"status": '"rescheduled"'}, [(1, "events.e.status: status 'rescheduled' needs 'previous_start', the start "
                                       "it had before it moved")]),
    ({"previous_start": "2026-12-01"}, [(1, "events.e.previous_start: 'previous_start' only makes sense with "
                                            "status 'postponed' or 'rescheduled'")]),
    ({"status": '"cancelled"', "previous_start": "2026-12-01"},
     [(2, "events.e.previous_start: 'previous_start' only makes sense with status 'postponed' or 'rescheduled'")]),
    ({"status": '"postponed"', "previous_start": "2026-12-01T09:00:00"},
     [(2, "events.e.previous_start: give 'previous_start' like 'start': both dates, or both with times")]),
])
def test_a_moved_event_and_its_previous_start(fields, messages):
    assert event_problems(start="2027-01-01", **fields) == [
        f"events.toml:{FIRST_FIELD + offset}: {message}" for offset, message in messages]


def test_a_postponed_event_may_not_know_its_previous_start_a_rescheduled_one_must():
    assert event_of(start="2027-01-01", status='"postponed"').previous_start is None


def test_a_postponed_event_keeps_its_previous_start_in_the_zone():
    event = event_of(start="2027-01-01T09:00:00", end="2027-01-01T10:00:00", status='"postponed"',
                     previous_start="2026-12-01T09:00:00")
    assert event.previous_start == datetime(2026, 12, 1, 9, tzinfo=event.start.tzinfo)
    assert event_of(start="2027-01-01", status='"rescheduled"', previous_start="2026-12-01").previous_start == \
        date(2026, 12, 1)


@pytest.mark.parametrize("value, message", [
    ("[2027-01-08]", "2027-01-08 is not a date of the rule 'FREQ=WEEKLY;COUNT=3', so there is nothing to skip"),
    ('["2027-01-09"]', "expected a list of dates such as [2027-02-13], got a list"),
    ("[2027-01-09T10:00:00]", "expected a list of dates such as [2027-02-13], got a list"),
    ('"2027-01-09"', "expected a list of dates such as [2027-02-13], got '2027-01-09'"),
])
def test_except_dates_must_be_dates_of_the_rule(value, message):
    assert event_problems(start="2027-01-02", repeat='"FREQ=WEEKLY;COUNT=3"', **{"except": value}) == [
        f"events.toml:{FIRST_FIELD + 2}: events.e.except: {message}"]


def test_except_dates_of_the_rule_are_kept():
    event = event_of(start="2027-01-02T10:00:00", end="2027-01-02T11:00:00", repeat='"FREQ=WEEKLY;COUNT=3"',
                     **{"except": "[2027-01-16, 2027-01-09]"})
    assert event.except_dates == (date(2027, 1, 16), date(2027, 1, 9))


def test_a_broken_rule_drops_the_event_with_one_message():
    assert event_problems(start="2027-01-02", repeat='"FREQ=WEEKLY;COUNT=0"', **{"except": "[2027-01-09]"}) == [
        f"events.toml:{FIRST_FIELD + 1}: events.e.repeat: COUNT=0 must be a whole number from 1 to 1000 "
        "(got 'FREQ=WEEKLY;COUNT=0')"]


@pytest.mark.parametrize("rule, message", [
    ("FREQ=WEEKLY;COUNT=1000", None),
    ("FREQ=WEEKLY;INTERVAL=1000", None),
    ("FREQ=WEEKLY;COUNT=1001", "COUNT=1001 must be a whole number from 1 to 1000"),
    ("FREQ=WEEKLY;INTERVAL=1001", "INTERVAL=1001 must be a whole number from 1 to 1000"),
    ("FREQ=WEEKLY;COUNT=1", None),
    ("FREQ=WEEKLY;COUNT=+3", "COUNT=+3 must be a whole number from 1 to 1000"),
    ("FREQ=WEEKLY;COUNT=3;COUNT=4", "COUNT is given twice"),
    ("FREQ=WEEKLY;COUNT", "'COUNT' is not NAME=VALUE (example: FREQ=MONTHLY;BYDAY=2SA)"),
    ("FREQ=WEEKLY;COUNT= ;INTERVAL=2", "'COUNT= ' is not NAME=VALUE (example: FREQ=MONTHLY;BYDAY=2SA)"),
    ("FREQ=WEEKLY;SKIP=OMIT", "SKIP needs RSCALE=CHINESE (a lunar rule); a Gregorian rule has no SKIP"),
    ("FREQ=WEEKLY;BYDAY=2SA", "BYDAY=2SA has a number, which needs FREQ=MONTHLY or FREQ=YEARLY "
                              "(the 2nd Saturday of each month: FREQ=MONTHLY;BYDAY=2SA)"),
    ("FREQ=DAILY;BYDAY=-1SA", "BYDAY=-1SA has a number, which needs FREQ=MONTHLY or FREQ=YEARLY "
                              "(the 2nd Saturday of each month: FREQ=MONTHLY;BYDAY=2SA)"),
    ("FREQ=YEARLY;BYDAY=1SA", None),
    ("freq=weekly ; count=2 ;", None),
    ("FREQ=WEEKLY;UNTIL=20270102", None),  # the start day itself is the last
    ("FREQ=WEEKLY;UNTIL=20270101", "UNTIL 2027-01-01 is before the start 2027-01-02"),
    ("FREQ=WEEKLY;UNTIL=20270102T100000", None),
    ("FREQ=WEEKLY;UNTIL=20270102T095959", "UNTIL 2027-01-02 is before the start 2027-01-02"),
    ("FREQ=WEEKLY;UNTIL=20270102T020000Z", None),  # 10:00 in Shanghai
    ("FREQ=WEEKLY;UNTIL=20270102T015959Z", "UNTIL 2027-01-02 is before the start 2027-01-02"),
    ("FREQ=WEEKLY;UNTIL=20271302", "UNTIL=20271302 is not a date: write YYYYMMDD (the last day, local time)"),
    ("FREQ=WEEKLY;UNTIL=21010101", "UNTIL 2101-01-01 is not between 2000 and 2100"),
    ("FREQ=WEEKLY;UNTIL=21001231", None),
    ("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2", "the rule gives no dates at all"),
])
def test_rule_limits(rule, message):
    fields = {"start": "2027-01-02T10:00:00", "end": "2027-01-02T11:00:00", "repeat": f'"{rule}"'}
    if message is None:
        assert event_of(**fields).repeat == rule
    else:
        assert event_problems(**fields) == [
            f"events.toml:{FIRST_FIELD + 2}: events.e.repeat: {message} (got '{rule}')"]


# --- Files -------------------------------------------------------------------------------------

def test_a_missing_or_undecodable_file_is_one_problem(tmp_path):
    missing = tmp_path / "events.toml"
    with pytest.raises(Exception) as caught:
        load(missing)
    assert [str(p) for p in caught.value.problems] == [f"{missing}:1: file not found"]
    missing.write_bytes(b'[meta]\nname = "\xff"\n')
    with pytest.raises(Exception) as caught:
        load(missing)
    assert [str(p) for p in caught.value.problems] == [
        f"{missing}:1: not UTF-8 text (invalid start byte)"]


def test_problems_of_the_events_and_the_holidays_files_are_listed_together(tmp_path):
    events = tmp_path / "events.toml"
    events.write_text(HEAD + event_toml(start="2027-04-19T09:00:00", end="2027-04-19T09:00:00"), encoding="utf-8")
    holidays = tmp_path / "events.holidays.toml"
    holidays.write_text("[years]\n", encoding="utf-8")
    with pytest.raises(Exception) as caught:
        load(events)
    found = [str(p) for p in caught.value.problems]
    assert found[0] == f"{events}:{FIRST_FIELD + 1}: events.e.end: ends when it starts (2027-04-19T09:00:00)"
    assert len(found) >= 2 and all(str(holidays) in p for p in found[1:])


def test_a_valid_file_next_to_no_holidays_file_loads(tmp_path):
    events = tmp_path / "events.toml"
    events.write_text(HEAD + event_toml(start="2027-04-19"), encoding="utf-8")
    catalog = load(events)
    assert list(catalog.events) == ["e"] and catalog.path == str(events)


# --- Where a problem is: lines of multi-line text, inline tables, dotted and quoted keys --------

def test_lines_after_multi_line_text_and_in_inline_tables_are_right():
    text = HEAD + event_toml(start="2027-01-01").replace(
        'categories = ["festival"]',
        'categories = ["festival"]\ndescription = { zh = """第一行\n[not.a.table]\nend = 1\n""" }\n'
        'booking = { required = true, phone = "call us" }')
    line = FIRST_FIELD  # description starts here; its text runs three more lines
    assert problems(text) == [
        f"events.toml:{line + 4}: events.e.booking.phone: 'call us' is not a phone number: use digits, "
        "spaces, '-', '(' ')' and a leading '+' only (e.g. \"010-12345678\")"]


def test_dotted_and_quoted_keys_are_found_on_their_line():
    text = HEAD + '\n[events.e]\ntitle.zh = " "\n"site" = "nowhere"\ncategories = ["festival"]\nstart = 2027-01-01\n'
    assert problems(text) == [
        f"events.toml:{HEADER + 1}: events.e.title.zh: Chinese text 'zh' is required and must be non-empty text",
        f"events.toml:{HEADER + 2}: events.e.site: unknown site 'nowhere'"]


def test_a_problem_with_no_line_of_its_own_is_put_at_its_table_or_the_top():
    # [meta] is written on line 1; a missing section is reported on line 1 too.
    assert problems(HEAD.replace('timezone = "Asia/Shanghai"\n', "")) == [
        "events.toml:1: meta.timezone: required field 'timezone' is missing"]
    no_meta = HEAD[HEAD.index("[areas.tongzhou]"):]
    found = problems(no_meta)
    assert found[0] == "events.toml:1: meta: the [meta] table is missing"


def test_problems_come_sorted_by_line():
    text = HEAD.replace("precision_m = 1000", "precision_m = 0", 1) + event_toml(start="2027-01-01", status='"late"')
    found = problems(text.replace('timezone = "Asia/Shanghai"', 'timezone = "Mars/Base"'))
    assert [int(p.split(":")[1]) for p in found] == sorted(int(p.split(":")[1]) for p in found)
    assert len(found) == 3


@pytest.mark.parametrize("section, value, message", [
    ("events", "5", "events: expected a table [events], got a number"),
])
def test_a_section_that_is_not_a_table(section, value, message):
    assert f"events.toml:1: {message}" in problems(f"{section} = {value}\n" + HEAD)


def test_an_entry_that_is_not_a_table():
    found = problems(HEAD + '\n[events]\nx = "a fair"\n')
    assert found[0] == f"events.toml:{HEAD_LINES + 3}: events.x: expected a table [events.x], got text"


def test_references_must_be_ids():
    text = HEAD + event_toml(start="2027-01-01").replace('site = "wharf"', "site = 5")
    assert problems(text) == [f"events.toml:{HEADER + 2}: events.e.site: expected the id of site, got a number"]


@pytest.mark.parametrize("value, message", [
    ("[]", 'expected a list of category ids such as ["festival"], got a list'),
    ('"festival"', "expected a list of category ids such as [\"festival\"], got 'festival'"),
    ('["festival", "musik"]', "unknown category 'musik'"),
    ("[5]", "expected the id of category, got a number"),
])
def test_categories_of_an_event(value, message):
    text = HEAD + event_toml(start="2027-01-01").replace('categories = ["festival"]', f"categories = {value}")
    assert problems(text) == [f"events.toml:{HEADER + 3}: events.e.categories: {message}"]


# --- Entrances, booking and accessibility tables ----------------------------------------------

def site_with(lines: str) -> str:
    return HEAD.replace('description = { zh = "码头。" }', 'description = { zh = "码头。" }\n' + lines, 1)


@pytest.mark.parametrize("lines, messages", [
    ("entrances = []", ['sites.wharf.entrances: expected a list of entrances such as [{ name = { zh = "东门" }, '
                        "lat = 39.9, lon = 116.7 }], got a list"]),
    ('entrances = "east gate"', ['sites.wharf.entrances: expected a list of entrances such as [{ name = '
                                 '{ zh = "东门" }, lat = 39.9, lon = 116.7 }], got \'east gate\'']),
    ('entrances = [{ name = { zh = "东门" }, lat = 39.9, lon = 116.7 }, "west"]',
     ["sites.wharf.entrances: entrance 2: expected a table { name, lat, lon }, got text"]),
    ('entrances = [{ name = { zh = "东门" }, lat = 39.9, lon = 116.7, door = 1 }]',
     ["sites.wharf.entrances.door: unknown key 'door'; allowed: name, lat, lon, source"]),
    ('entrances = [{ lat = 39.9, lon = 116.7 }]', ["sites.wharf.entrances.name: required field 'name' is missing"]),
    ('entrances = [{ name = { zh = "东门" }, lat = 95.0, lon = 116.7 }]',
     ["sites.wharf.entrances: entrance 1 latitude 95.0 is out of range (-90 to 90)"]),
])
def test_entrance_mistakes(lines, messages):
    assert problems(site_with(lines)) == [f"events.toml:20: {m}" for m in messages]


def test_entrances_load_with_their_sources():
    site = catalog_of(head=site_with('entrances = [{ name = { zh = "东门", en = "East gate" }, lat = 39.9, lon = 116.7, '
                                     'source = "https://canal.test/map" }, { name = { zh = "西门" }, lat = 39.0, lon = 117.5 }]')
                      ).sites["wharf"]
    assert [(e.name.en, e.lat, e.lon, e.source) for e in site.entrances] == [
        ("East gate", 39.9, 116.7, "https://canal.test/map"), (None, 39.0, 117.5, None)]


@pytest.mark.parametrize("value, message", [
    ('"yes"', 'events.e.booking: expected a table { required = true, url = "https://…", phone = "…" }, got text'),
    ("{ required = true, fax = \"1\" }", "events.e.booking.fax: unknown key 'fax'; allowed: required, url, "
                                         "miniprogram, official_account, phone, opens, note, source"),
    ("{}", "events.e.booking: says nothing: give required = true, a url, miniprogram, official_account, phone or note"),
])
def test_booking_mistakes(value, message):
    assert event_problems(start="2027-01-01", booking=value) == [f"events.toml:{FIRST_FIELD + 1}: {message}"]


@pytest.mark.parametrize("value, required, channels", [
    ("{ required = true }", True, False),
    ('{ note = { zh = "现场排队" } }', False, False),
    ('{ phone = "010-12345678" }', False, True),
    ('{ url = "https://canal.test/book" }', False, True),
    ('{ miniprogram = { zh = "小程序" } }', False, True),
    ('{ official_account = { zh = "公众号" } }', False, True),
])
def test_bookings_that_say_something_load(value, required, channels):
    booking = event_of(start="2027-01-01", booking=value).booking
    assert booking.required is required and bool(booking.channels) is channels


@pytest.mark.parametrize("value, message", [
    ('"yes"', 'sites.wharf.accessibility: expected a table { wheelchair = "yes", note = { zh = "…" } }, got text'),
    ("{}", "sites.wharf.accessibility: says nothing: give one of wheelchair, toilets_wheelchair, step_free, "
           "hearing_loop or a note"),
    ('{ step_free = true }', "sites.wharf.accessibility.step_free: step_free true/false is not one of yes, limited, no"),
])
def test_accessibility_mistakes(value, message):
    assert problems(site_with(f"accessibility = {value}")) == [f"events.toml:20: {message}"]


def test_accessibility_with_a_note_only_or_values_loads():
    site = catalog_of(head=site_with('accessibility = { note = { zh = "有坡道" } }')).sites["wharf"]
    assert site.accessibility.note.zh == "有坡道"
    site = catalog_of(head=site_with('accessibility = { step_free = "limited", hearing_loop = "no" }')).sites["wharf"]
    assert (site.accessibility.value("step_free"), site.accessibility.value("hearing_loop")) == ("limited", "no")
    assert site.accessibility.value("wheelchair") is None and site.accessibility.note is None


@pytest.mark.parametrize("value, message", [
    ('"1"', "expected a local time such as 19:00:00 or the minutes before closing (1 to 600), got '1'"),
])
def test_last_entry_as_text_is_refused(value, message):
    text = site_with(f'opening_hours = "Mo-Su 09:00-20:00"\nlast_entry = {value}')
    assert problems(text) == [f"events.toml:21: sites.wharf.last_entry: {message}"]


def test_transport_with_a_source_and_a_flag_that_is_not_one():
    site = catalog_of(head=site_with('transport = { zh = "地铁", source = "https://canal.test/metro" }')).sites["wharf"]
    assert (site.transport.text.zh, site.transport.source) == ("地铁", "https://canal.test/metro")
    assert problems(site_with('transport = { zh = " " }')) == [
        "events.toml:20: sites.wharf.transport.zh: Chinese text 'zh' is required and must be non-empty text"]


# --- The [meta] table ----------------------------------------------------------------------------

def test_meta_defaults_and_a_trailing_slash():
    head = HEAD.replace('base_url = "https://canal.test"', 'base_url = "https://canal.test/"')
    meta = catalog_of(head=head).meta
    assert meta.base_url == "https://canal.test"
    assert meta.description == meta.name and meta.name.en == "North Canal"
    assert meta.bbox == (39.0, 116.3, 40.2, 117.5) and meta.timezone.key == "Asia/Shanghai"
    assert meta.embed_origins == ()


def test_meta_mistakes_each_have_a_message():
    head = HEAD.replace('name = { zh = "北运河", en = "North Canal" }', 'name = "北运河"\ncolour = "red"', 1)
    assert problems(head) == [
        'events.toml:2: meta.name: expected bilingual text { zh = "…", en = "…" }, got text',
        "events.toml:3: meta.colour: unknown key 'colour'; allowed: name, description, timezone, base_url, "
        "bbox, embed_origins"]
    assert problems(HEAD.replace('timezone = "Asia/Shanghai"', 'timezone = ""')) == [
        "events.toml:3: meta.timezone: expected non-empty text, got text"]


def test_embed_origins_name_the_line_of_each_bad_entry():
    head = HEAD.replace('base_url = "https://canal.test"',
                        'base_url = "https://canal.test"\nembed_origins = [\n  "https://a.example",\n'
                        '  "http://b.example/path",\n  "https://a.example",\n  5,\n]')
    found = problems(head)
    # Each entry on its own line; a number cannot be found in the text, so it is put at the key.
    assert [p.split(": ")[0] for p in found] == ["events.toml:5", "events.toml:7", "events.toml:8"]
    assert found[0].startswith("events.toml:5: meta.embed_origins: entry 4: expected text such as") and \
        found[0].endswith(", got a number")
    assert found[1].startswith("events.toml:7: meta.embed_origins: entry 2: 'http://b.example/path' is a page address")
    assert found[2] == "events.toml:8: meta.embed_origins: entry 3: 'https://a.example' is listed twice"
    assert problems(HEAD.replace('base_url = "https://canal.test"', 'base_url = "https://canal.test"\nembed_origins = "x"'))[0] \
        .startswith("events.toml:5: meta.embed_origins: expected a list of web origins such as")
    good = catalog_of(head=HEAD.replace('base_url = "https://canal.test"',
                                        'base_url = "https://canal.test"\nembed_origins = ["https://a.example"]'))
    assert good.meta.embed_origins == ("https://a.example",)


# --- TOML syntax -------------------------------------------------------------------------------

@pytest.mark.parametrize("tail, line, message", [
    ('\n[events.e]\ntitle = { zh = "开"\nsite = "wharf"\n', HEADER + 1,
     "events.e.title: a { … } is not closed with } on the same line"),
    ('\n[events.e]\ncategories = ["festival"\n\nsite = "wharf"\n', HEADER + 1,
     "events.e.categories: a [ … ] list is not closed with ]"),
    ("\n[events.e]\nstart = 2027-02-30\n", HEADER + 1, "events.e.start: not a date: write 2027-04-17 or 2027-04-17T09:00:00"),
    ('\n[events.e]\ntitle = "a" "b"\n', HEADER + 1, "events.e.title: the line goes on after its value"),
    ("\n[events.e]\n= 5\n", HEADER + 1, "events.e: "),
])
def test_syntax_mistakes_point_at_the_line_where_the_mistake_is(tail, line, message):
    [problem] = problems(HEAD + tail)
    assert problem.startswith(f"events.toml:{line}") and message in problem, problem
    assert problem.endswith("; the rest of the file is checked once this is fixed")


def test_an_unknown_syntax_error_is_still_shown_with_its_line():
    [problem] = problems(HEAD + '\n[events.e]\ntitle = "a" "b"\n')
    assert problem.startswith(f"events.toml:{HEADER + 1}:")


def test_lines_after_literal_multi_line_text_are_right():
    text = HEAD + event_toml(start="2027-01-01").replace(
        'categories = ["festival"]',
        "categories = [\"festival\"]\ndescription = { zh = '''一\n二 = 3\n[x]\n''' }\nurl = \"ftp://x\"")
    assert problems(text) == [
        f"events.toml:{FIRST_FIELD + 4}: events.e.url: 'ftp://x' is not a web address: expected https://…"]


def test_a_repeated_origin_in_single_quotes_or_on_one_line_is_found():
    head = HEAD.replace('base_url = "https://canal.test"',
                        "base_url = \"https://canal.test\"\nembed_origins = [\n  'https://a.example',\n"
                        "  'https://a.example',\n]")
    assert problems(head) == ["events.toml:7: meta.embed_origins: entry 2: 'https://a.example' is listed twice"]
    head = HEAD.replace('base_url = "https://canal.test"',
                        'base_url = "https://canal.test"\nembed_origins = ["https://a.example", "https://a.example"]')
    assert problems(head) == ["events.toml:5: meta.embed_origins: entry 2: 'https://a.example' is listed twice"]


def test_a_mistake_found_at_the_end_of_the_file_is_put_on_its_last_line():
    # The parser says "at end of document", with no line: the last written line is where it is.
    assert problems(HEAD + '\n[events.e]\ncategories = ["festival",\n\n') == [
        f'events.toml:{HEADER + 1}: events.e.categories: not a value TOML can read: text needs "quotes", '
        'dates are written 2027-04-17, lists ["a", "b"] (TOML: Invalid value); the rest of the file is '
        "checked once this is fixed"]


def test_a_syntax_mistake_before_any_table_names_its_key():
    assert problems('x = = 1\n' + HEAD) == [
        'events.toml:1:5: x: not a value TOML can read: text needs "quotes", dates are written 2027-04-17, '
        'lists ["a", "b"] (TOML: Invalid value); the rest of the file is checked once this is fixed']
