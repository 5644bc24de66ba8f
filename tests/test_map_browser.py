"""The canal map in Chromium, offline: markers, popups, search, keyboard, tiles, hostile text.

The `page` fixture answers map-tile requests with a tiny PNG and blocks (and records in
`network["blocked"]`) every other request that is not to loopback.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from flask import render_template_string

from canal import create_app, recurrence
from canal.geo import wgs84_to_gcj02
from canal.loader import load
from conftest import Watch, wait_for_map

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
NOW = "2026-12-01T09:00:00"
HANDLE = "window.canalMaps.map_home"


def make_app(events: Path, **config):
    return create_app({"TESTING": True, "CANAL_EVENTS": str(events), "CANAL_NOW": NOW, **config})


def open_map(page, url: str) -> Watch:
    watch = Watch(page)
    page.goto(url)
    wait_for_map(page, HANDLE.removeprefix("window.canalMaps."))
    return watch


def show_marker(page, site_id: str) -> None:
    """Zoom until the site's marker is out of its cluster and on screen."""
    page.evaluate("""id => new Promise(done => {
        const h = window.canalMaps.map_home;
        h.cluster.zoomToShowLayer(h.markers[id], done);
    })""", site_id)


def marker_count(page) -> int:
    return page.evaluate(f"{HANDLE}.cluster.getLayers().length")


@pytest.fixture
def real_site(serve):
    return serve(make_app(ROOT / "events.toml"))


def test_every_site_has_a_marker_and_only_tiles_are_fetched_from_outside(page, network, real_site):
    watch = open_map(page, real_site + "/")
    catalog = load(ROOT / "events.toml")
    assert marker_count(page) == len(catalog.sites) == 26
    page.wait_for_function("document.querySelectorAll('.leaflet-tile-loaded').length > 0")
    assert network["tiles"] and all("tile.openstreetmap.org" in url for url in network["tiles"])
    assert network["blocked"] == []
    assert watch.errors == []


def test_clicking_the_xianghe_wharf_shows_its_upcoming_events(page, network, real_site):
    watch = open_map(page, real_site + "/")
    catalog = load(ROOT / "events.toml")
    now = datetime.fromisoformat(NOW).replace(tzinfo=catalog.tz)
    coming = recurrence.upcoming(catalog, now, days=366, events=catalog.events_at("xianghe-wharf"))[:3]
    assert coming  # the shipped content has events at the central wharf

    show_marker(page, "xianghe-wharf")
    page.get_by_role("button", name=re.compile("^北运河香河段中心码头")).click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".canal-popup__name").inner_text() == "北运河香河段中心码头"
    events = popup.locator("a.canal-popup__event")
    assert events.count() == len(coming)
    for index, occurrence in enumerate(coming):
        assert events.nth(index).inner_text() == occurrence.event.title.zh
        assert events.nth(index).get_attribute("href") == f"/events/{occurrence.event.id}/"
    assert popup.get_by_role("link", name="本地点介绍及全部活动").get_attribute("href") == "/sites/xianghe-wharf/"
    assert popup.locator("a.canal-popup__feed").get_attribute("href") == "/feeds/sites/xianghe-wharf.ics"
    assert network["blocked"] == [] and watch.errors == []


def test_markers_and_controls_work_by_keyboard_with_names_in_the_page_language(page, live_server):
    watch = open_map(page, live_server + "/en/")
    for name in ("Zoom in", "Zoom out", "Show the map full screen", "Choose what the map shows"):
        assert page.get_by_role("button", name=name, exact=True).count() == 1, name
    assert page.get_by_label("Search sites").count() == 1

    show_marker(page, "canal-museum")
    marker = page.get_by_role("button", name="Grand Canal Museum of Beijing, Museum, Tongzhou, Beijing")
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "运河夜话" in popup.inner_text()  # no English title: the Chinese one
    assert page.get_by_role("button", name="Close").count() == 1
    assert watch.errors == []


def test_a_popup_opened_by_keyboard_takes_focus_and_escape_gives_it_back(page, live_server):
    watch = open_map(page, live_server + "/en/")
    show_marker(page, "canal-museum")
    marker = page.get_by_role("button", name="Grand Canal Museum of Beijing, Museum, Tongzhou, Beijing")
    marker.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content").wait_for()
    # The popup's first link is next, not every other marker on the map.
    assert page.evaluate("document.activeElement.closest('.leaflet-popup') !== null")
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached")
    assert page.evaluate("document.activeElement.classList.contains('leaflet-marker-icon')")
    assert watch.errors == []


def test_the_layer_panel_opens_and_closes_by_keyboard(page, live_server):
    open_map(page, live_server + "/en/")
    toggle = page.get_by_role("button", name="Choose what the map shows", exact=True)
    toggle.focus()
    panel = page.locator(".leaflet-control-layers")
    assert "leaflet-control-layers-expanded" not in panel.get_attribute("class")  # focus alone
    page.keyboard.press("Enter")
    assert "leaflet-control-layers-expanded" in panel.get_attribute("class")
    assert page.evaluate("document.activeElement.type") == "checkbox"
    page.keyboard.press("Escape")
    assert "leaflet-control-layers-expanded" not in panel.get_attribute("class")
    assert page.evaluate("document.activeElement.classList.contains('leaflet-control-layers-toggle')")


def test_on_a_phone_an_open_popup_can_be_closed_with_its_button(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url
               else route.fulfill(status=204))
    open_map(page, live_server + "/")
    page.get_by_label("搜索地点").fill("xianghe central")
    page.locator(".canal-search__result").first.tap()
    close = page.locator(".leaflet-popup-close-button")
    close.wait_for()
    page.evaluate("""() => new Promise(done => {  // the popup pans into view first
        const map = window.canalMaps.map_home.map;
        if (map._panAnim && map._panAnim._inProgress) map.once("moveend", done); else done();
    })""")
    # Nothing of the map's own controls lies over the close button.
    box = close.bounding_box()
    assert page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.leaflet-popup-close-button')",
                         [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    close.tap()
    page.locator(".leaflet-popup").wait_for(state="detached")
    context.close()


def test_skip_link_jumps_past_the_map(page, live_server):
    open_map(page, live_server + "/")
    skip = page.get_by_role("link", name="跳过地图")
    skip.focus()
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "map_home-after"


def test_search_finds_sites_by_chinese_or_english_name(page, live_server):
    watch = open_map(page, live_server + "/")
    search = page.get_by_label("搜索地点")
    search.fill("xianghe central")
    result = page.locator(".canal-search__result")
    assert result.count() == 1
    assert result.first.inner_text().startswith("北运河香河段中心码头")
    result.first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".canal-popup__name").inner_text() == "北运河香河段中心码头"
    # The English name under the Chinese one is marked as English, for screen readers.
    assert result.first.locator(".canal-search__alt").get_attribute("lang") == "en"
    search.fill("漕运")
    assert page.locator(".canal-search__result").inner_text().startswith("漕运码头")
    search.fill("no such place")
    assert page.locator(".canal-search__none").inner_text() == "没有这个名称的地点。"
    assert watch.errors == []


def test_category_filters_hide_sites_without_those_events(page, live_server):
    open_map(page, live_server + "/")
    assert marker_count(page) == 3
    page.locator(".leaflet-control-layers").hover()
    page.get_by_role("checkbox", name="节庆").uncheck()
    # The museum only has a festival event; both wharves also have food events.
    assert marker_count(page) == 2
    page.get_by_role("checkbox", name="美食").uncheck()
    page.get_by_role("checkbox", name="游船").uncheck()
    assert marker_count(page) == 0
    page.get_by_role("checkbox", name="节庆").check()
    assert marker_count(page) == 3


HOSTILE = {
    "zh": {
        "site": "香河码头<script>window.__xss='site'</script>",
        "kind": "码头 ${window.__xss='kind'}",
        "area": "廊坊 {% if true %}JINJA-IF{% endif %}",
        "events": ["集市<script>window.__xss='event'</script>",
                   "讲座 `${window.__xss='title-tpl'}` {% if 1 %}X{% endif %}"],
        "category": "美食<img src=x onerror=\"window.__xss='cat'\">",
        "search": "香河",
    },
    "en": {
        "site": "Xianghe Wharf <img src=x onerror=\"window.__xss='site-en'\">",
        "kind": "Wharf `+(window.__xss='kind-en')+`",
        "area": "Langfang `${window.__xss='area-tpl'}`",
        "events": ["Fair <img src=x onerror=\"window.__xss='event-en'\"> {{ 7*7 }}",
                   "Talk ${alert(1)} `backtick` \"quote\" 'single'"],
        "category": "Food </script><script>window.__xss='cat-en'</script>",
        "search": "xianghe",
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_text_is_shown_literally_and_never_runs(page, network, serve, lang):
    base = serve(make_app(DATA / "hostile.toml"))
    watch = open_map(page, base + ("/en/" if lang == "en" else "/"))
    expected = HOSTILE[lang]
    assert marker_count(page) == 3

    # The list of sites by area.
    listing = page.locator(".sites-by-area")
    assert listing.get_by_role("link", name=expected["site"]).get_attribute("href").endswith(
        "/sites/xianghe-wharf/")

    # Tooltip (opens on keyboard focus) and popup.
    show_marker(page, "xianghe-wharf")
    page.evaluate(f"{HANDLE}.markers['xianghe-wharf'].getElement().focus()")
    tooltip = page.locator(".leaflet-tooltip .canal-tooltip strong")
    assert tooltip.inner_text() == expected["site"]
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".canal-popup__name").inner_text() == expected["site"]
    assert popup.locator(".canal-popup__meta").inner_text() == f"{expected['kind']} · {expected['area']}"
    titles = popup.locator("a.canal-popup__event").all_inner_texts()
    for title in expected["events"]:
        assert title in titles

    # Search results and the layer control.
    page.locator(".canal-search__input").fill(expected["search"])
    assert page.locator(".canal-search__result").first.inner_text().startswith(expected["site"])
    overlay_names = [name.strip() for name in
                     page.locator(".leaflet-control-layers-overlays label span span").all_text_contents()]
    assert expected["category"] in overlay_names

    assert page.evaluate("typeof window.__xss") == "undefined"
    assert watch.dialogs == []
    assert network["blocked"] == []
    assert watch.errors == []  # an <img src=x> that became HTML would also fail to load here


@pytest.mark.parametrize(("tiles", "host"), [("osm", "tile.openstreetmap.org"),
                                              ("gaode", "is.autonavi.com"),
                                              ("tianditu", "tianditu.gov.cn")])
def test_markers_carry_gcj02_only_on_gaode_tiles(page, network, serve, tiles, host):
    app = make_app(DATA / "minimal.toml", CANAL_TILES=tiles, CANAL_TIANDITU_KEY="0123456789abcdef")
    watch = open_map(page, serve(app) + "/")
    shown = page.evaluate(f"(() => {{ const p = {HANDLE}.markers['xianghe-wharf'].getLatLng();"
                          f" return [p.lat, p.lng]; }})()")
    expected = wgs84_to_gcj02(39.77235, 116.93426) if tiles == "gaode" else (39.77235, 116.93426)
    assert shown == pytest.approx(list(expected), abs=1e-6)
    page.wait_for_function("document.querySelectorAll('.leaflet-tile-loaded').length > 0")
    assert network["tiles"] and all(host in url for url in network["tiles"])
    assert network["blocked"] == [] and watch.errors == []
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert {"osm": "OpenStreetMap", "gaode": "高德地图", "tianditu": "天地图"}[tiles] in attribution


def test_small_site_map_is_centred_on_its_site(page, network, serve):
    app = make_app(DATA / "minimal.toml")
    template = ('{% extends "base.html" %}{% from "_site_map.html" import site_map with context %}'
                '{% block main %}{{ site_map(catalog.sites[site_id]) }}{% endblock %}')
    # The /sites/<id>/ page is built elsewhere; a probe page shows the macro alone.
    app.add_url_rule("/probe/<site_id>/", "probe",
                     lambda site_id: render_template_string(template, site_id=site_id))
    watch = Watch(page)
    page.goto(serve(app) + "/probe/xianghe-wharf/")
    wait_for_map(page, "map_site_xianghe_wharf")
    centre = page.evaluate("(() => { const c = window.canalMaps.map_site_xianghe_wharf.map.getCenter();"
                           " return [c.lat, c.lng]; })()")
    assert centre == pytest.approx([39.77235, 116.93426], abs=1e-6)
    marker = page.get_by_role("button", name=re.compile("^北运河香河段中心码头"))
    assert marker.count() == 1
    marker.click()
    assert "大致位置 (±1.2 公里)" in page.locator(".leaflet-popup-content").inner_text()
    assert page.locator("path.leaflet-interactive, path").count() >= 2  # route and the ±1.2 km circle
    assert network["blocked"] == [] and watch.errors == []
