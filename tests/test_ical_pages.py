"""Subscribe box and add-to-calendar links as a visitor sees them."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import g, render_template_string

ADD = '{% from "_add_to_calendar.html" import add_to_calendar %}{{ add_to_calendar(event) }}'


def hrefs(html: str, css_class: str) -> list[str]:
    return [unescape(h) for h in re.findall(rf'class="{css_class}" href="([^"]+)"', html)]


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_home_page_has_the_subscribe_box(client, prefix):
    html = client.get(prefix + "/").get_data(as_text=True)
    feed = f"https://canal.test{prefix}/feeds/all.ics"
    assert hrefs(html, "subscribe-webcal") == [f"webcal://canal.test{prefix}/feeds/all.ics"]
    assert hrefs(html, "subscribe-google") == [
        f"https://calendar.google.com/calendar/render?cid=webcal://canal.test{prefix}/feeds/all.ics"]
    [outlook] = hrefs(html, "subscribe-outlook")
    assert outlook.startswith("https://outlook.live.com/calendar/0/addfromweb?")
    assert query(outlook) == {"url": feed, "name": "North Canal Events" if prefix else "北运河文旅活动"}
    assert f'type="url" readonly value="{feed}"' in html
    assert 'class="copy-url"' in html and re.search(r"/static/subscribe\.[0-9a-f]{12}\.js", html)
    box = html[html.index('class="subscribe"'):]
    box = box[:box.index("</section>")]
    assert "<script" not in box  # the copy button works from static/subscribe.js (strict CSP)
    assert ("Thunderbird checks every 30 minutes" in html) == (prefix == "/en")
    assert ("谷歌日历每 8 到 24 小时检查一次更新" in html) == (prefix == "")


def test_subscribe_box_feed_links_work(client):
    html = client.get("/").get_data(as_text=True)
    [webcal] = hrefs(html, "subscribe-webcal")
    assert client.get(urlsplit(webcal).path).status_code == 200


def render_add(app, event_id: str, lang: str = "zh") -> str:
    with app.test_request_context("/"):
        g.lang = lang
        return render_template_string(ADD, event=app.extensions["canal_catalog"].events[event_id])


def test_one_off_event_gets_ics_google_and_outlook_links(app, client):
    html = render_add(app, "night-lecture", "en")
    [ics] = re.findall(r'class="add-ics" href="([^"]+)"', html)
    assert ics == "/en/events/night-lecture.ics" and client.get(ics).status_code == 200
    [google] = hrefs(html, "add-google")
    assert google.startswith("https://calendar.google.com/calendar/render?")
    params = query(google)
    assert params["action"] == "TEMPLATE"
    assert params["text"] == "运河夜话"
    assert params["dates"] == "20261231T220000/20270101T010000"
    assert params["ctz"] == "Asia/Shanghai"
    assert params["location"].startswith("Grand Canal Museum of Beijing")
    assert params["details"].endswith("https://canal.test/en/events/night-lecture/")
    [outlook] = hrefs(html, "add-outlook")
    assert outlook.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    params = query(outlook)
    assert (params["startdt"], params["enddt"]) == ("2026-12-31T22:00:00+08:00", "2027-01-01T01:00:00+08:00")
    assert params["allday"] == "false" and params["subject"] == "运河夜话"
    assert params["body"].endswith("/en/events/night-lecture/")


def test_all_day_event_links_use_exclusive_end_dates(app):
    html = render_add(app, "kaicao-festival")
    assert query(hrefs(html, "add-google")[0])["dates"] == "20270417/20270420"
    outlook = query(hrefs(html, "add-outlook")[0])
    assert (outlook["startdt"], outlook["enddt"], outlook["allday"]) == ("2027-04-17", "2027-04-20", "true")


def test_recurring_events_point_to_the_ics(app):
    boat = render_add(app, "boat-trip")
    [google] = hrefs(boat, "add-google")
    # Weekends from 1 May through 31 May: ten dates, counted (as in the feeds).
    assert query(google)["recur"] == "RRULE:FREQ=WEEKLY;BYDAY=SA,SU;COUNT=10"
    assert hrefs(boat, "add-outlook") == []  # Outlook's link cannot repeat
    assert "/events/boat-trip.ics" in boat and "这是重复活动" in boat
    # With skipped dates no web link can be exact: only the .ics.
    festival = render_add(app, "farm-food-festival")
    assert hrefs(festival, "add-google") == hrefs(festival, "add-outlook") == []
    assert 'href="/events/farm-food-festival.ics"' in festival


def test_hostile_titles_stay_inert_in_links(app):
    from pathlib import Path

    from canal.loader import parse
    text = (Path(__file__).parent / "data" / "minimal.toml").read_text(encoding="utf-8")
    app.extensions["canal_catalog"] = parse(text.replace(
        'title = { zh = "运河夜话" }', 'title = { zh = "\\"><script>alert(1)</script>&{{ 7*7 }}" }'))
    html = render_add(app, "night-lecture")
    assert "<script>" not in html and "49" not in html
    assert query(hrefs(html, "add-google")[0])["text"] == '"><script>alert(1)</script>&{{ 7*7 }}'


def test_copy_button_copies_the_feed_address(page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto(live_server + "/en/")
    button = page.locator("button.copy-url")
    button.click()
    status = page.locator(".subscribe .copy-status")
    status.wait_for(state="visible")
    assert status.inner_text() == "Address copied"
    assert page.evaluate("navigator.clipboard.readText()") == "https://canal.test/en/feeds/all.ics"
