"""The month grid: /calendar/ and /calendar/<yyyy>/<mm>/."""
from __future__ import annotations

import pytest

from pages_html import Page

FESTIVAL = "通武廊农旅美食嘉年华"


def grid(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Page(response.get_data(as_text=True))


def test_food_festival_shows_on_the_second_saturday(client):
    page = grid(client, "/calendar/2027/01/")
    assert FESTIVAL in page.cell("2027-01-09")["text"]  # 2nd Saturday of January 2027
    assert page.column_of("2027-01-09") == 5  # Saturday column, weeks start on Monday
    saturdays = ["2027-01-02", "2027-01-16", "2027-01-23", "2027-01-30"]
    assert all(FESTIVAL not in page.cell(d)["text"] for d in saturdays)
    assert "10:00" in page.cell("2027-01-09")["text"]


def test_excepted_date_is_not_in_the_grid(client):
    page = grid(client, "/calendar/2027/02/")
    assert FESTIVAL not in page.text  # 2027-02-13 is in `except`


def test_weeks_start_on_monday_and_cover_whole_weeks(client):
    page = grid(client, "/en/calendar/2026/12/")
    assert page.grid[0][0]["date"] == "2026-11-30"  # a Monday, from the month before
    assert page.grid[-1][-1]["date"] == "2027-01-03"  # a Sunday, in the month after
    assert all(len(row) == 7 for row in page.grid)
    assert "other-month" in page.cell("2026-11-30")["classes"]
    assert [a.get("title") for t, a in page.elements if t == "abbr"][:2] == ["Monday", "Tuesday"]


def test_multi_day_event_is_one_bar_per_week_over_every_day_it_runs(client):
    # Issue 16 changed this: a festival is drawn once per week row, not copied into each day.
    # 17-19 April 2027 is Saturday to Monday: one bar over Sat+Sun, one on Monday.
    page = grid(client, "/calendar/2027/04/")
    saturday, sunday, monday = (page.cell(d) for d in ("2027-04-17", "2027-04-18", "2027-04-19"))
    assert "大运河开漕节 4月17日至19日" in " ".join(saturday["text"].split())
    assert "大运河开漕节" not in sunday["text"]
    assert "大运河开漕节 4月17日至19日" in " ".join(monday["text"].split())
    assert page.text.count("大运河开漕节") == 2
    bars = [a["class"].split() for t, a in page.elements if t == "li" and "span" in a.get("class", "").split()]
    assert bars == [["span", "span-2", "to-after"], ["span", "span-1", "from-before"]]
    assert "大运河开漕节" not in page.cell("2027-04-20")["text"]


def test_event_running_past_midnight_shows_on_both_days(client):
    page = grid(client, "/calendar/2026/12/")
    assert "运河夜话" in page.cell("2026-12-31")["text"]
    assert "运河夜话" in page.cell("2027-01-01")["text"]


def test_today_is_marked_and_current_month_is_the_default(client):
    page = grid(client, "/calendar/")  # now = 2026-12-01 in tests
    today = page.cell("2026-12-01")
    assert "today" in today["classes"] and "今天" in today["text"]
    assert "日历：2026年12月" in page.text
    marked = [c["date"] for row in page.grid for c in row if c["attrs"].get("aria-current") == "date"]
    assert marked == ["2026-12-01"]


def test_previous_and_next_month_links(client):
    page = grid(client, "/en/calendar/2027/01/")
    assert "/en/calendar/2026/12/" in page.links
    assert "/en/calendar/2027/02/" in page.links
    page = grid(client, "/calendar/2026/12/")
    assert "/calendar/2026/11/" in page.links and "/calendar/2027/01/" in page.links


def test_jump_form_goes_to_the_month(client):
    response = client.get("/en/calendar/?month=2027-04")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/calendar/2027/04/")
    form = Page(client.get("/calendar/").get_data(as_text=True))
    assert ("input", {"type": "month", "id": "jump-month", "name": "month", "value": "2026-12",
                      "min": "2000-01", "max": "2100-12", "placeholder": "2027-04",
                      "required": None}) in form.elements


def test_short_month_redirects_to_canonical_url(client):
    response = client.get("/calendar/2027/4/")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/calendar/2027/04/")


@pytest.mark.parametrize("url, parameter", [
    ("/calendar/2026/13/", "month"),
    ("/calendar/2026/00/", "month"),
    ("/calendar/2026/ab/", "month"),
    ("/calendar/1999/12/", "year"),
    ("/calendar/2101/01/", "year"),
    ("/calendar/26/01/", "year"),
    ("/en/calendar/99999/01/", "year"),
    ("/calendar/?month=2027-13", "month"),
    ("/en/calendar/?month=April", "month"),
])
def test_absurd_months_answer_400_naming_the_parameter(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    text = Page(response.get_data(as_text=True)).text
    assert f"“{parameter}”" in text
    assert ("expected" in text) if url.startswith("/en/") else ("应为" in text)
