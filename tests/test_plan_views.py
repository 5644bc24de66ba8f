"""The trip plan pages as a visitor reads them: /plan/ and /en/plan/ over tests/data/plan.toml."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from canal import create_app
from conftest import DATA, NOW
from pages_html import Page

SHOW = "zhongfan-show@2026-12-12"
FAIR = "farm-food-festival@2026-12-12"
TALK = "museum-talk@2026-12-12"
EXHIBITION = "wharf-exhibition@2026-12-12"


def plan_app(**config):
    return create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "plan.toml"), "CANAL_NOW": NOW,
                       **config})


@pytest.fixture
def plan_client():
    return plan_app().test_client()


def read(client, url: str) -> Page:
    response = client.get(url)
    assert response.status_code == 200, url
    return Page(response.get_data(as_text=True))


def plan_of(href: str) -> list[str]:
    """The `o` keys of a plan link, in order ([] for an empty plan)."""
    values = parse_qs(urlsplit(href).query, keep_blank_values=True).get("o", [""])
    return [k for k in values[0].split(",") if k]


def links_labelled(page: Page, label_start: str) -> dict[str, str]:
    return {a["aria-label"]: a["href"] for t, a in page.elements
            if t == "a" and a.get("aria-label", "").startswith(label_start)}


def test_stops_in_time_order_with_event_site_and_area(plan_client):
    page = read(plan_client, f"/en/plan/?o={TALK},{SHOW}")
    text = page.text
    assert text.index("14:00–15:00 Zhongfan show") < text.index("18:00–19:00 Museum talk")
    assert "Xianghe Central Wharf · Langfang, Hebei" in text
    assert "Grand Canal Museum of Beijing · Tongzhou, Beijing" in text
    assert "/en/events/zhongfan-show/" in page.links and "/en/sites/canal-museum/" in page.links
    assert "Saturday, 12 December 2026" in text


def test_distance_and_travel_estimate_are_labelled_approximate(plan_client):
    text = read(plan_client, f"/en/plan/?o={SHOW},{TALK}").text
    assert ("26.7 km in a straight line from “Xianghe Central Wharf”; roughly 70 min by road "
            "(approximate).") in text
    tight = read(plan_client, f"/en/plan/?o={FAIR},{TALK}").text
    assert "Tight: only 60 min between the two." in tight


def test_a_conflict_names_both_events(plan_client):
    text = read(plan_client, f"/en/plan/?o={FAIR},{SHOW}").text
    assert ("Time conflict: “Tongwulang Farm-Tourism Food Carnival” (10:00–17:00) and "
            "“Zhongfan show” (14:00–15:00) overlap.") in text
    zh = read(plan_client, f"/plan/?o={FAIR},{SHOW}").text
    assert "时间冲突：" in zh and "“通武廊农旅美食嘉年华”（10:00–17:00）与“中幡表演”（14:00–15:00）时间重叠。" in zh


def test_cancelled_and_not_on_that_date_are_flagged(plan_client):
    text = read(plan_client, "/en/plan/?o=cancelled-fair@2026-12-12,farm-food-festival@2026-12-13").text
    assert "Cancelled fair Cancelled" in text
    assert "Tongwulang Farm-Tourism Food Carnival Not on this date" in text


def test_notices_name_each_ignored_item_and_why(plan_client):
    url = f"/en/plan/?o={SHOW},nope@2026-12-12,{SHOW},museum-talk@2026-13-40,%3Cscript%3E"
    response = plan_client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = Page(html).text
    assert "nope@2026-12-12: no such event" in text
    assert f"{SHOW}: already in the plan" in text
    assert "museum-talk@2026-13-40: not an event and a date written event-id@YYYY-MM-DD" in text
    assert "<script>: not an event" in text and "<script>:" not in html  # shown, escaped
    assert "14:00–15:00 Zhongfan show" in text  # the valid item still makes the plan
    zh = read(plan_client, "/plan/?o=nope@2026-12-12").text
    assert "nope@2026-12-12: 没有这个活动" in zh
    old = read(plan_client, "/en/plan/?o=museum-talk@1999-12-31").text
    assert "museum-talk@1999-12-31: a date in the years 2000 to 2100" in old


def test_the_cap_is_a_notice(plan_client):
    keys = [f"farm-food-festival@2026-12-{d:02d}" for d in range(1, 32)] + \
           [f"farm-food-festival@2027-01-{d:02d}" for d in range(1, 21)]
    text = read(plan_client, "/en/plan/?o=" + ",".join(keys)).text
    assert "farm-food-festival@2027-01-20: a plan holds at most 50 items" in text
    assert "farm-food-festival@2027-01-19: a plan holds" not in text


@pytest.mark.parametrize("query", [
    "o=", "o=,,,", "o=%00", "o=a@b@c", "o=x@9999-99-99", "o=farm-food-festival@0001-01-01",
    "o=farm-food-festival@9999-12-31", "o=farm-food-festival@2100-12-31", "o=%E2%80%AE", "o={{7*7}}", "o=${x}",
    "add=", "add=%0d%0a",
    "o=zhongfan-show@2026-12-12&o=museum-talk@2026-12-12", "x=1", "o=" + "a@2026-12-12," * 300,
])
def test_odd_input_never_fails(plan_client, query):
    for path in ("/plan/", "/en/plan/", "/plan.ics", "/en/plan.ics"):
        response = plan_client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query)


def test_text_too_long_to_be_a_plan_is_a_400(plan_client):
    response = plan_client.get("/en/plan/?o=" + "x" * 9000)
    assert response.status_code == 400
    text = Page(response.get_data(as_text=True)).text
    assert "The parameter “o” has the value" in text
    assert "expected a list of at most 50 items written event-id@YYYY-MM-DD" in text
    assert plan_client.get("/plan.ics?add=" + "x" * 9000).status_code == 400


def test_empty_plan_explains_how_to_add(plan_client):
    for url in ("/en/plan/", "/en/plan/?o="):
        page = read(plan_client, url)
        assert "Your plan is empty." in page.text
        assert "“Add to plan”" in page.text
        assert "/en/calendar/" in page.links
    assert "你的行程还是空的。" in read(plan_client, "/plan/").text


def test_remove_and_reorder_links_rewrite_the_plan(plan_client):
    page = read(plan_client, f"/en/plan/?o={EXHIBITION},{SHOW},{TALK}")
    removes = links_labelled(page, "Remove: ")
    assert plan_of(removes["Remove: Zhongfan show"]) == [EXHIBITION, TALK]
    assert plan_of(removes["Remove: Wharf exhibition"]) == [SHOW, TALK]
    # Timed stops go by the clock; the all-day exhibition goes where the visitor puts it.
    assert set(links_labelled(page, "Move")) == {"Move later: Wharf exhibition"}
    later = links_labelled(page, "Move later: ")["Move later: Wharf exhibition"]
    assert plan_of(later) == [SHOW, EXHIBITION, TALK]
    moved = read(plan_client, later).text
    assert moved.index("Zhongfan show") < moved.index("Wharf exhibition") < moved.index("Museum talk")
    assert set(links_labelled(Page(plan_client.get(later).get_data(as_text=True)), "Move")) == {
        "Move earlier: Wharf exhibition", "Move later: Wharf exhibition"}
    clear = [a["href"] for t, a in page.elements if t == "a" and a.get("class") == "plan-clear"]
    assert plan_of(clear[0]) == [] and "o=" in clear[0]


def test_every_link_on_a_full_plan_answers(plan_client):
    page = read(plan_client, f"/en/plan/?o={EXHIBITION},{SHOW},{TALK},{FAIR},cancelled-fair@2026-12-12")
    internal = [href for href in page.links if href.startswith("/")]
    assert len(internal) > 15
    for href in internal:
        assert plan_client.get(href).status_code == 200, href


def test_nearby_suggestions_add_to_the_plan(plan_client):
    page = read(plan_client, f"/en/plan/?o={SHOW}")
    assert "Also that day, nearby" in page.text
    adds = links_labelled(page, "Add to plan: ")
    assert set(adds) == {"Add to plan: Tongwulang Farm-Tourism Food Carnival"}  # same wharf; the rest is 26 km off
    assert plan_of(adds["Add to plan: Tongwulang Farm-Tourism Food Carnival"]) == [SHOW, FAIR]
    wide = read(plan_app(CANAL_PLAN_NEARBY_KM=40).test_client(), f"/en/plan/?o={SHOW}")
    assert plan_of(links_labelled(wide, "Add to plan: ")["Add to plan: Wharf exhibition"]) == [SHOW, EXHIBITION]
    assert "Add to plan: Cancelled fair" not in links_labelled(wide, "Add to plan: ")


def test_nearby_radius_setting_is_checked_at_start_up():
    with pytest.raises(SystemExit, match="CANAL_PLAN_NEARBY_KM"):
        plan_app(CANAL_PLAN_NEARBY_KM="far")


def test_add_link_without_javascript_adds_one_item(plan_client):
    text = read(plan_client, f"/en/plan/?add={SHOW}").text
    assert "14:00–15:00 Zhongfan show" in text
    page = read(plan_client, f"/en/plan/?o={TALK}&add={SHOW}&add={TALK}")
    assert "already in the plan" not in page.text  # adding what is there is no mistake
    assert plan_of(links_labelled(page, "Remove: ")["Remove: Museum talk"]) == [SHOW]


def test_map_data_lists_the_days_stops_in_order_and_the_tiles(plan_client):
    page = read(plan_client, f"/en/plan/?o={TALK},{SHOW},{FAIR}")
    data = json.loads(next(s for s in page.scripts if s.startswith('{"tiles"')))
    assert data["keys"] == [TALK, SHOW, FAIR]
    [day] = data["days"]
    assert day["day"] == "2026-12-12"
    assert [(s["number"], s["title"]) for s in day["stops"]] == [
        (1, "Tongwulang Farm-Tourism Food Carnival"), (2, "Zhongfan show"), (3, "Museum talk")]
    assert day["stops"][2]["lat"] == 39.885 and day["stops"][2]["url"] == "/en/events/museum-talk/"
    assert data["tiles"]["url"].startswith("https://tile.openstreetmap.org/")
    gaode = read(plan_app(CANAL_TILES="gaode").test_client(), f"/plan/?o={TALK}")
    moved = json.loads(next(s for s in gaode.scripts if s.startswith('{"tiles"')))["days"][0]["stops"][0]
    assert (moved["lat"], moved["lon"]) != (39.885, 116.7)  # shifted to GCJ-02 for Gaode's tiles


def test_hostile_titles_stay_text_in_the_plan(data_path):
    client = create_app({"TESTING": True, "CANAL_EVENTS": data_path("hostile_pages.toml"),
                         "CANAL_NOW": NOW}).test_client()
    response = client.get("/en/plan/?o=evil-event@2026-12-12")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in html
    page = Page(html)
    assert 'Event </script><script>alert("title")</script> & more' in page.text
    data = json.loads(next(s for s in page.scripts if s.startswith('{"tiles"')))
    assert data["days"][0]["stops"][0]["title"] == 'Event </script><script>alert("title")</script> & more'


def test_the_plan_page_has_validators_and_is_not_shared_between_plans(plan_client):
    first = plan_client.get(f"/en/plan/?o={SHOW}")
    assert first.headers["ETag"]
    again = plan_client.get(f"/en/plan/?o={SHOW}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    other = plan_client.get(f"/en/plan/?o={TALK}")
    assert other.headers["ETag"] != first.headers["ETag"] and "Museum talk" in other.get_data(as_text=True)


def test_download_and_subscribe_buttons(plan_client):
    page = read(plan_client, f"/en/plan/?o={SHOW},nope@2026-12-12")
    download = [a for t, a in page.elements if t == "a" and a.get("class") == "button plan-download"][0]
    assert urlsplit(download["href"]).path == "/en/plan.ics" and plan_of(download["href"]) == [SHOW]
    assert "download" in download
    subscribe = [a for t, a in page.elements if t == "a" and a.get("class") == "button plan-subscribe"][0]
    assert subscribe["href"].startswith("webcal://canal.test/en/plan.ics?o=")
    assert plan_of(subscribe["href"]) == [SHOW]


def test_chinese_and_english_pages(plan_client):
    zh = read(plan_client, f"/plan/?o={SHOW}")
    en = read(plan_client, f"/en/plan/?o={SHOW}")
    assert "我的行程" in zh.text and "下载日历文件（.ics）" in zh.text and "/events/zhongfan-show/" in zh.links
    assert "My plan" in en.text and "Download calendar file (.ics)" in en.text
    assert "/en/events/zhongfan-show/" in en.links


def test_add_to_plan_on_every_occurrence_listing(plan_client):
    grid = read(plan_client, "/en/calendar/2026/12/")
    adds = links_labelled(grid, "Add to plan: ")
    assert adds["Add to plan: Zhongfan show, Saturday, 12 December 2026"] == f"/en/plan/?add={SHOW}"
    # A long festival can be added on any of its days.
    assert adds["Add to plan: Wharf exhibition, Sunday, 13 December 2026"] == \
        "/en/plan/?add=wharf-exhibition@2026-12-13"
    assert not any("Cancelled fair" in label for label in adds)
    agenda = links_labelled(read(plan_client, "/en/events/"), "Add to plan: ")
    assert agenda["Add to plan: Museum talk, Saturday, 12 December 2026"] == f"/en/plan/?add={TALK}"
    event = links_labelled(read(plan_client, "/en/events/farm-food-festival/"), "Add to plan: ")
    assert event["Add to plan: Tongwulang Farm-Tourism Food Carnival, Saturday, 9 January 2027"] == \
        "/en/plan/?add=farm-food-festival@2027-01-09"
    home = links_labelled(read(plan_client, "/"), "加入行程：")
    assert home["加入行程：中幡表演，2026年12月12日星期六"] == f"/plan/?add={SHOW}"
    site = links_labelled(read(plan_client, "/en/sites/canal-museum/"), "Add to plan: ")
    assert site["Add to plan: Museum talk, Saturday, 12 December 2026"] == f"/en/plan/?add={TALK}"


def test_every_page_has_the_plan_in_its_navigation(plan_client):
    for url in ("/", "/en/calendar/", "/en/events/zhongfan-show/", "/no/such/page"):
        page = Page(plan_client.get(url).get_data(as_text=True))
        navs = [a for t, a in page.elements if t == "a" and a.get("class") == "plan-nav"]
        assert navs and navs[0]["href"].endswith("/plan/"), url
