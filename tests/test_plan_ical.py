"""/plan.ics: exactly the chosen occurrences, read back with icalendar and ical.js."""
from __future__ import annotations

from datetime import date

import icalendar
import pytest

from canal import create_app
from conftest import DATA, NOW
from ical_support import run_node

PLAN = ("farm-food-festival@2027-01-09,zhongfan-show@2026-12-12,wharf-exhibition@2026-12-12,"
        "cancelled-fair@2026-12-12,farm-food-festival@2026-12-13,nope@2026-12-12,<bad>,"
        "zhongfan-show@2026-12-12")
# What the file must hold: the stop on a Sunday the festival skips, the unknown, the
# malformed and the duplicate item are left out; a cancelled stop stays, marked so.
EXPECTED = {
    "farm-food-festival-20270109@canal.test": ("2027-01-09T10:00:00", "CONFIRMED"),
    "zhongfan-show-20261212@canal.test": ("2026-12-12T14:00:00", "CONFIRMED"),
    "wharf-exhibition-20261212@canal.test": ("2026-12-12", "CONFIRMED"),
    "cancelled-fair-20261212@canal.test": ("2026-12-12T09:00:00", "CANCELLED"),
}


@pytest.fixture(scope="module")
def plan_client():
    return create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "plan.toml"),
                       "CANAL_NOW": NOW}).test_client()


def fetch(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return response.data


def test_icalendar_reads_exactly_the_chosen_occurrences(plan_client):
    body = fetch(plan_client, f"/en/plan.ics?o={PLAN}")
    cal = icalendar.Calendar.from_ical(body)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == set(EXPECTED)
    for uid, (start, status) in EXPECTED.items():
        event = events[uid]
        value = event.decoded("DTSTART")
        assert value.isoformat().startswith(start)
        assert str(event["STATUS"]) == status
        assert "RRULE" not in event and "EXDATE" not in event
        assert str(event["URL"]).startswith("https://canal.test/en/events/")
    assert events["zhongfan-show-20261212@canal.test"].decoded("DTSTART").tzinfo.key == "Asia/Shanghai"
    assert str(events["zhongfan-show-20261212@canal.test"]["URL"]) == "https://canal.test/en/events/zhongfan-show/"
    # The exhibition runs 10-20 December; the plan's calendar holds the day chosen.
    exhibition = events["wharf-exhibition-20261212@canal.test"]
    assert exhibition.decoded("DTSTART") == date(2026, 12, 12) and exhibition.decoded("DTEND") == date(2026, 12, 13)
    assert [str(c["TZID"]) for c in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_the_file_follows_the_feed_rules(plan_client):
    body = fetch(plan_client, f"/plan.ics?o={PLAN}")
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    for line in body.split(b"\r\n"):
        assert b"\n" not in line and len(line) <= 75, line
        line.decode("utf-8")
    unfolded = body.replace(b"\r\n ", b"").decode()
    assert "DTSTART;TZID=Asia/Shanghai:20261212T140000\r\n" in unfolded
    assert "SUMMARY:中幡表演\r\n" in unfolded
    assert fetch(plan_client, f"/plan.ics?o={PLAN}") == body  # same plan, same bytes


def test_ical_js_finds_each_occurrence_once_at_its_local_time(plan_client, tmp_path):
    path = tmp_path / "plan.ics"
    path.write_bytes(fetch(plan_client, f"/en/plan.ics?o={PLAN}"))
    [parsed] = run_node("icaljs.mjs", "2028-01-01", str(path)).values()
    assert parsed["timezones"] == ["Asia/Shanghai"]
    assert parsed["name"] == "North Canal Events · My plan"
    found = {e["uid"]: e for e in parsed["events"]}
    assert set(found) == set(EXPECTED)
    for uid, (start, status) in EXPECTED.items():
        assert found[uid]["occurrences"] == [start], uid  # a single date, no repeats
        assert found[uid]["status"] == status
    show = found["zhongfan-show-20261212@canal.test"]
    assert show["tzid"] == "Asia/Shanghai" and show["startUtc"] == "2026-12-12T06:00:00.000Z"
    assert show["summary"] == "Zhongfan show"
    assert found["wharf-exhibition-20261212@canal.test"]["allDay"] is True


def test_an_empty_or_invalid_plan_is_a_valid_empty_calendar(plan_client, tmp_path):
    files = []
    for number, url in enumerate(["/plan.ics", "/plan.ics?o=", "/en/plan.ics?o=nope@2026-12-12,%3Cx%3E"]):
        body = fetch(plan_client, url)
        assert icalendar.Calendar.from_ical(body).walk("VEVENT") == []
        path = tmp_path / f"empty{number}.ics"
        path.write_bytes(body)
        files.append(str(path))
    for parsed in run_node("icaljs.mjs", "2028-01-01", *files).values():
        assert parsed["events"] == [] and parsed["timezones"] == ["Asia/Shanghai"]


def test_validators_and_file_name(plan_client):
    response = plan_client.get("/en/plan.ics?o=zhongfan-show@2026-12-12")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="plan-en.ics"' in response.headers["Content-Disposition"]
    again = plan_client.get("/en/plan.ics?o=zhongfan-show@2026-12-12",
                            headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    other = plan_client.get("/en/plan.ics?o=museum-talk@2026-12-12")
    assert other.headers["ETag"] != response.headers["ETag"]


def test_an_overlong_plan_ics_request_says_what_is_expected(client):
    response = client.get("/en/plan.ics?o=" + "a" * 9000)
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "o: a list of at most 50 items written event-id@YYYY-MM-DD, separated by commas\n")
