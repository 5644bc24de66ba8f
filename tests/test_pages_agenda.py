"""The agenda /events/: filters that combine, pages, empty states, 400 on bad values."""
from __future__ import annotations

import re

import pytest

from pages_html import Page

# /events/archive/ (issue 19) is the archive, never an event: the loader refuses that id.
EVENT_LINK = re.compile(r"^(?:/en)?/events/(?!archive/)([a-z0-9-]+)/$")


def listed(client, url) -> tuple[Page, list[str]]:
    """The page and the event ids it lists, in order, repeated per occurrence."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    page = Page(response.get_data(as_text=True))
    return page, [m.group(1) for link in page.links if (m := EVENT_LINK.match(link))]


def api_ids(client, query) -> list[str]:
    return [o["event"] for o in client.get("/api/events.json?" + query).get_json()["occurrences"]]


@pytest.mark.parametrize("query, expected", [
    ("area=langfang&category=food", {"farm-food-festival"}),
    ("area=tongzhou&category=festival", {"kaicao-festival", "night-lecture"}),
    ("area=tongzhou&area=langfang&category=boat-trip", {"boat-trip"}),
    ("category=boat-trip&category=food", {"boat-trip", "farm-food-festival", "cancelled-fair"}),
    ("site=caoyun-wharf", {"kaicao-festival", "cancelled-fair"}),
    ("site=caoyun-wharf&site=canal-museum&category=food", {"cancelled-fair"}),
    ("from=2027-04-01&to=2027-04-30", {"farm-food-festival", "kaicao-festival"}),
    ("from=2027-04-01&to=2027-04-30&area=tongzhou", {"kaicao-festival"}),
    ("q=夜话", {"night-lecture"}),
    ("q=CARNIVAL", {"farm-food-festival"}),  # English title, any case
    ("q=carnival&from=2027-05-01&to=2027-05-31", {"farm-food-festival"}),
    ("q=carnival&area=tongzhou", set()),
    ("q=xianghe+wharf", {"farm-food-festival", "boat-trip"}),  # every word, also in the place
    ("q=boat++XIANGHE", {"boat-trip"}),  # words in any order and case, apart in the text
    ("q=夜话+博物馆", {"night-lecture"}),  # title and site name, in Chinese
    ("q=boat+museum", set()),  # every word must be found
    ("area=&category=&q=", {"farm-food-festival", "kaicao-festival", "boat-trip",
                            "night-lecture", "cancelled-fair"}),  # the form's "any"
])
def test_filters_combine(client, query, expected):
    occurrences = api_ids(client, query)  # the API is not paginated: it shows them all
    assert set(occurrences) == expected
    _, ids = listed(client, "/events/?" + query)
    assert ids == occurrences[:20]  # the page lists the same occurrences, in the same order


def test_date_window_is_inclusive_and_in_order(client):
    _, ids = listed(client, "/en/events/?from=2027-05-01&to=2027-05-02")
    assert ids == ["boat-trip", "boat-trip"]  # Saturday and Sunday, the `to` day included
    page, _ = listed(client, "/en/events/?from=2027-05-01&to=2027-05-02")
    assert page.text.index("Saturday, 1 May 2027") < page.text.index("Sunday, 2 May 2027")


def test_agenda_groups_by_day_and_starts_now(client):
    page, ids = listed(client, "/events/")
    assert ids[0] == "farm-food-festival"  # 2026-12-12 is the first date after now
    headings = [a.get("datetime") for t, a in page.elements if t == "time"]
    assert headings[0] == "2026-12-12" and headings == sorted(headings)
    assert "2026年12月12日星期六 10:00–17:00" in page.text


def test_pagination_keeps_filters(client):
    page, ids = listed(client, "/en/events/?category=food&category=boat-trip")
    assert "22 dates · page 1 of 2" in page.text  # 11 carnivals, 10 boat trips, 1 fair
    assert len(ids) == 20
    nxt = [link for link in page.links if "page=2" in link]
    assert nxt == ["/en/events/?category=food&category=boat-trip&page=2"]
    second, more = listed(client, nxt[0])
    assert len(more) == 2 and "page 2 of 2" in second.text
    assert "/en/events/?category=food&category=boat-trip" in second.links  # back to page 1


def test_form_shows_what_was_chosen(client):
    page, _ = listed(client, "/en/events/?area=tongzhou&category=food&from=2027-01-01&q=fair")
    checked = {(a["name"], a["value"]) for t, a in page.elements if t == "input" and "checked" in a}
    assert checked == {("area", "tongzhou"), ("category", "food")}
    values = {a["name"]: a.get("value") for t, a in page.elements
              if t == "input" and a.get("type") in ("date", "search")}
    assert values == {"from": "2027-01-01", "to": "", "q": "fair"}
    form = [a for t, a in page.elements if t == "form" and "filters" in a.get("class", "")]
    assert form == [{"class": "filters", "method": "get", "action": "/en/events/",
                     "role": "search", "aria-label": "Filter events"}]


def test_empty_result_is_helpful(client):
    page, ids = listed(client, "/en/events/?q=nothing-like-this")
    assert ids == []
    assert "No events match these filters." in page.text
    assert "/en/events/" in page.links  # show everything again
    assert "/en/calendar/" in page.links


@pytest.mark.parametrize("query, parameter, hint", [
    ("area=nowhere", "area", "tongzhou, langfang"),
    ("site=nowhere", "site", "sites page"),
    ("category=nope", "category", "food, festival, boat-trip"),
    ("from=2026-13-01", "from", "YYYY-MM-DD"),
    ("from=2026-1-1", "from", "YYYY-MM-DD"),
    ("to=tomorrow", "to", "YYYY-MM-DD"),
    ("from=1999-12-31", "from", "2000 to 2100"),
    ("from=2027-05-01&to=2027-04-01", "to", "on or after"),
    ("from=2020-01-01&to=2030-01-01", "to", "days after"),
    ("page=0", "page", "1 or more"),
    ("page=-1", "page", "1 or more"),
    ("page=two", "page", "1 or more"),
    ("page=99", "page", "from 1 to 2"),
    ("from=2027-01-01&from=2027-02-01", "from", "single value"),
    ("q=" + "x" * 101, "q", "at most 100 characters"),
])
def test_bad_parameters_answer_400_naming_them(client, query, parameter, hint):
    response = client.get("/en/events/?" + query)
    assert response.status_code == 400
    text = Page(response.get_data(as_text=True)).text
    assert f"The parameter “{parameter}”" in text
    assert hint in text
    api = client.get("/en/api/events.json?" + query)
    if parameter != "page":  # the API is not paginated
        assert api.status_code == 400 and api.get_json()["parameter"] == parameter


def test_bad_parameter_page_is_in_chinese_too(client):
    response = client.get("/events/?from=2026-02-30")
    assert response.status_code == 400
    text = Page(response.get_data(as_text=True)).text
    assert "参数“from”的值为“2026-02-30”；应为格式为 YYYY-MM-DD" in text


def test_hostile_parameter_value_is_shown_inert(client):
    response = client.get("/en/events/?area=<script>alert(1)</script>")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
