"""The canal map as the server sends it: assets, embedding, data, caching, tiles, safety."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import render_template_string

from canal import create_app, maps
from canal.geo import wgs84_to_gcj02
from canal.loader import load
from conftest import set_now
from pages_html import plain_asset

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
NOW = "2026-12-01T09:00:00"


class Page(HTMLParser):
    """The parts of a page the map cares about: assets, scripts, metas, elements by id."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self.links: list[dict] = []
        self.metas: list[dict] = []
        self.ids: dict[str, tuple[str, dict]] = {}
        self.attributes: set[str] = set()
        self._script: dict | None = None
        self._text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.attributes.update(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] = (tag, attrs)
        if tag == "script":
            self._script, self._text = attrs, []
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "meta":
            self.metas.append(attrs)

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def make_app(events="minimal.toml", **config):
    return create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / events) if "/" not in events
                       else events, "CANAL_NOW": NOW, **config})


def folium_script(html: str) -> str:
    """folium's generated script: inline, or waiting (text/x-canal-later) for a map that
    loads Leaflet after the page."""
    [script] = [t for a, t in Page(html).scripts
                if "src" not in a and a.get("type") in (None, "text/x-canal-later")]
    return script


def map_data(html: str, map_id: str = "map_home") -> dict:
    page = Page(html)
    blocks = [text for attrs, text in page.scripts if attrs.get("id") == f"{map_id}_data"]
    assert len(blocks) == 1
    assert blocks[0].count("<") == 0  # nothing in the data can end the <script> element
    return json.loads(blocks[0])


def strings(value) -> list[str]:
    """Every text inside parsed JSON."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def test_home_embeds_the_map_with_only_self_hosted_assets(client):
    html = client.get("/").get_data(as_text=True)
    page = Page(html)
    assert page.ids["map_home"][0] == "div"
    hashed = [attrs["src"] for attrs, _ in page.scripts if "src" in attrs]
    # Leaflet and its plugins load after the page (static/map.js reads their list from the
    # map's data block), so the first paint does not wait for them.
    [data] = [attrs for attrs, _ in page.scripts if "canal-map-data" in attrs.get("class", "")]
    later = json.loads(data["data-scripts"])
    hashed_sheets = [link["href"] for link in page.links if link.get("rel") == "stylesheet"]
    # Every asset is linked under its content-hashed name (cache-forever; test_compression).
    sources = [plain_asset(u) for u in later + hashed]
    sheets = [plain_asset(u) for u in hashed_sheets]
    assert "/static/vendor/leaflet/leaflet.js" not in [plain_asset(u) for u in hashed]
    assert "/static/vendor/leaflet/leaflet.js" in sources
    assert "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in sources
    assert "/static/vendor/leaflet.fullscreen/Control.FullScreen.js" in sources
    assert sources[-1] == "/static/map.js"
    assert "/static/vendor/leaflet/leaflet.css" in sheets
    for url in sources + sheets:
        assert url.startswith("/static/"), url
        assert (ROOT / url.lstrip("/")).is_file(), url
    assert hashed != sources and hashed_sheets != sheets


def test_no_folium_page_styles_or_zoom_lock_leak_into_the_page(client):
    html = client.get("/en/").get_data(as_text=True)
    viewports = [m["content"] for m in Page(html).metas if m.get("name") == "viewport"]
    assert viewports == ["width=device-width, initial-scale=1"]  # pinch-zoom stays possible
    for leak in ("user-scalable", "maximum-scale", "html, body", "position:absolute",
                 "bootstrap", "jquery", "awesome", "cdn.", "L_NO_TOUCH", "<!DOCTYPE html>\n<html>\n<head>"):
        assert leak not in html, leak
    assert html.count("<!doctype html>") == 1 and "<iframe" not in html


def test_the_only_inline_script_is_folium_s_and_its_hash_is_published(app, client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    response_csp = response.headers["Content-Security-Policy"]
    inline = [text for attrs, text in Page(html).scripts
              if "src" not in attrs and attrs.get("type") != "application/json"]
    assert len(inline) == 1
    with app.test_request_context("/"):
        app.preprocess_request()
        parts = app.jinja_env.globals["home_map"]()
    assert inline[0] == parts.script
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response_csp


def test_map_is_built_once_per_language_and_day(monkeypatch):
    app = make_app()
    calls = []
    real = maps.home_map

    def counting(catalog, lang, now, *args, **kwargs):
        calls.append((lang, now.date()))
        return real(catalog, lang, now, *args, **kwargs)

    monkeypatch.setattr(maps, "home_map", counting)
    client = app.test_client()
    pages = [client.get(url).get_data(as_text=True) for url in ("/", "/", "/en/", "/en/", "/")]
    assert calls == [("zh", datetime(2026, 12, 1).date()), ("en", datetime(2026, 12, 1).date())]
    assert pages[0] == pages[1] == pages[4]
    set_now(app, "2026-12-02T08:00:00")  # the next day: upcoming lists change
    client.get("/")
    assert calls[-1] == ("zh", datetime(2026, 12, 2).date())


def test_element_ids_and_script_are_stable_across_processes():
    first, second = make_app().test_client(), make_app().test_client()
    a, b = first.get("/en/").get_data(as_text=True), second.get("/en/").get_data(as_text=True)
    assert a == b
    assert not re.search(r"[0-9a-f]{32}", a)  # folium's random uuids would look like this


def test_popup_data_lists_upcoming_occurrences_with_links_per_language(client):
    zh = map_data(client.get("/").get_data(as_text=True))
    en = map_data(client.get("/en/").get_data(as_text=True))
    assert [s["id"] for s in zh["sites"]] == ["xianghe-wharf", "caoyun-wharf", "canal-museum"]
    wharf = en["sites"][0]
    assert wharf["name"] == "Xianghe Central Wharf" and wharf["altName"] == "北运河香河段中心码头"
    assert wharf["area"] == "Langfang, Hebei" and wharf["kind"] == "Wharf"
    assert wharf["approximate"] is True and wharf["precisionM"] == 1200
    assert wharf["url"] == "/en/sites/xianghe-wharf/"
    assert wharf["feedUrl"] == "/en/feeds/sites/xianghe-wharf.ics"
    assert [o["date"] for o in wharf["upcoming"]] == ["2026-12-12", "2027-01-09", "2027-03-13"]
    assert wharf["upcoming"][0] == {
        "title": "Tongwulang Farm-Tourism Food Carnival", "when": "12 Dec 2026 10:00–17:00",
        "date": "2026-12-12", "url": "/en/events/farm-food-festival/", "cancelled": False,
        "bookingRequired": False, "plan": "/en/plan/?add=farm-food-festival@2026-12-12"}
    assert wharf["more"] is True
    assert zh["sites"][0]["upcoming"][0]["url"] == "/events/farm-food-festival/"
    assert zh["sites"][0]["feedUrl"] == "/feeds/sites/xianghe-wharf.ics"
    fair = zh["sites"][1]["upcoming"][0]
    assert fair["title"] == "取消的集市" and fair["cancelled"] is True
    assert zh["labels"]["zoomIn"] == "放大" and en["labels"]["zoomIn"] == "Zoom in"


def test_sites_are_listed_by_area_for_readers_without_the_map(client):
    html = client.get("/en/").get_data(as_text=True)
    section = html[html.index('id="sites-by-area-heading"'):]
    assert section.index("Tongzhou, Beijing") < section.index("Caoyun Wharf")
    assert section.index("Langfang, Hebei") < section.index("Xianghe Central Wharf")
    assert '<a href="/en/sites/xianghe-wharf/">Xianghe Central Wharf</a>' in section
    zh = client.get("/").get_data(as_text=True)
    assert '<a href="/sites/canal-museum/">北京大运河博物馆</a>' in zh
    assert 'href="#map_home-after">跳过地图</a>' in zh


HOSTILE_TEXTS = [
    "香河码头<script>window.__xss='site'</script>",
    "Xianghe Wharf <img src=x onerror=\"window.__xss='site-en'\">",
    "Wharf `+(window.__xss='kind-en')+`",
    "Langfang `${window.__xss='area-tpl'}`",
    "Fair <img src=x onerror=\"window.__xss='event-en'\"> {{ 7*7 }}",
    "Talk ${alert(1)} `backtick` \"quote\" 'single'",
    "Museum night </script><!--",
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_text_travels_only_as_inert_data(lang):
    app = make_app("hostile.toml")
    html = app.test_client().get("/en/" if lang == "en" else "/").get_data(as_text=True)
    page = Page(html)
    texts = strings(map_data(html))
    catalog = load(DATA / "hostile.toml")
    for site in catalog.sites.values():
        assert site.name.get(lang) in texts  # the data carries it exactly…
    assert "__xss" not in page.scripts[-2][1]  # …and folium's script never sees it
    assert "<script>window.__xss" not in html and "<img src=x" not in html
    assert not [name for name in page.attributes if name.startswith("on")]
    assert plain_asset([attrs.get("src") for attrs, _ in page.scripts if "src" in attrs][-1]) == "/static/map.js"
    # Jinja syntax in content is shown, not evaluated, in the HTML list and in the data.
    assert not re.search(r"\b49\b", html)  # {{ 7*7 }} was never worked out
    assert "{{ 7*7 }}" in html
    if lang == "zh":
        assert "{% if true %}JINJA-IF{% endif %}" in html


def test_hostile_strings_round_trip_exactly_through_the_data():
    app = make_app("hostile.toml")
    data = map_data(app.test_client().get("/en/").get_data(as_text=True))
    seen = strings(data)
    for text in HOSTILE_TEXTS:
        assert text in seen, text


def points_in(script: str) -> list[list[float]]:
    found = re.search(r'"coordinates": (\[\[.*?\]\])', script)
    return json.loads(found.group(1))


@pytest.mark.parametrize("kind", ["osm", "tianditu"])
def test_wgs84_tiles_get_wgs84_markers_and_route(kind):
    app = make_app(CANAL_TILES=kind, CANAL_TIANDITU_KEY="0123456789abcdef0123456789abcdef")
    html = app.test_client().get("/").get_data(as_text=True)
    wharf = map_data(html)["sites"][0]
    assert (wharf["lat"], wharf["lon"]) == (39.77235, 116.93426)
    script = folium_script(html)
    assert points_in(script)[0] == [116.660738, 39.919136]  # Beiguan, the traced line's start


def test_gaode_tiles_get_gcj02_markers_and_route():
    app = make_app(CANAL_TILES="gaode")
    html = app.test_client().get("/").get_data(as_text=True)
    wharf = map_data(html)["sites"][0]
    lat, lon = wgs84_to_gcj02(39.77235, 116.93426)
    assert (wharf["lat"], wharf["lon"]) == (round(lat, 6), round(lon, 6))
    assert wharf["lat"] != 39.77235 and wharf["lon"] != 116.93426
    script = folium_script(html)
    start = wgs84_to_gcj02(39.919136, 116.660738)
    assert points_in(script)[0] == [round(start[1], 6), round(start[0], 6)]
    assert "is.autonavi.com" in script and "AutoNavi" in script


def test_tile_attribution_and_tianditu_key_and_label_language():
    osm = maps.tiles_for("osm")
    assert "OpenStreetMap" in osm.attribution and not osm.gcj02
    tdt = maps.tiles_for("tianditu", "en", "abcdef0123456789")
    assert "tk=abcdef0123456789" in tdt.url and "LAYER=eva" in tdt.labels_url
    assert "LAYER=cva" in maps.tiles_for("tianditu", "zh", "abcdef0123456789").labels_url
    assert "天地图" in tdt.attribution and not tdt.gcj02
    assert maps.tiles_for("gaode").gcj02


@pytest.mark.parametrize(("config", "message"), [
    ({"CANAL_TILES": "google"}, "not one of osm, tianditu, gaode"),
    ({"CANAL_TILES": "tianditu"}, "needs CANAL_TIANDITU_KEY"),
    ({"CANAL_TILES": "tianditu", "CANAL_TIANDITU_KEY": "abc\"def;alert(1)"}, "letters and digits"),
])
def test_unusable_tile_settings_stop_start_up_with_a_clear_message(config, message):
    with pytest.raises(SystemExit) as stopped:
        make_app(**config)
    assert message in str(stopped.value)


def test_vendored_libraries_match_the_pinned_versions_and_carry_licences():
    pins = json.loads((ROOT / "package.json").read_text())["dependencies"]
    assert pins == {"leaflet": "1.9.4", "leaflet.markercluster": "1.5.3", "leaflet.fullscreen": "3.0.2"}
    for name, version in pins.items():
        folder = ROOT / "static" / "vendor" / name
        assert json.loads((folder / "package.json").read_text())["version"] == version
        licence = (folder / "LICENSE").read_text()
        assert ("BSD 2-Clause" if name == "leaflet" else "Permission is hereby granted") in licence


def test_route_comes_from_the_repository_geojson_with_its_source():
    doc = json.loads(maps.ROUTE_PATH.read_text())
    for feature in doc["features"]:  # one per segment, each saying where it comes from
        props = feature["properties"]
        assert props["source"] and props["licence"] and props["est_error_m"]
    assert [f["properties"]["schematic"] for f in doc["features"]] == [False] * 4 + [True]
    route = maps.load_route()
    assert route[0] == (39.919136, 116.660738) and route[-1] == (39.157, 117.193)
    assert len(route) == 597


def test_site_map_macro_centres_a_small_map_on_one_site(app):
    template = ('{% from "_site_map.html" import site_map with context %}'
                '{{ site_map(catalog.sites["canal-museum"]) }}')
    with app.test_request_context("/en/"):
        app.preprocess_request()
        from flask import g
        g.lang = "en"
        html = render_template_string(template)
    page = Page(html)
    assert page.ids["map_site_canal_museum"][0] == "div"
    assert ('class="canal-map canal-map--site" role="region" '
            'aria-label="Map: where Grand Canal Museum of Beijing is"') in html
    data = map_data(html, "map_site_canal_museum")
    assert data["mode"] == "site" and [s["id"] for s in data["sites"]] == ["canal-museum"]
    assert "center: [39.885, 116.7]" in page.scripts[-2][1]


def test_site_map_label_escapes_a_hostile_site_name():
    app = make_app("hostile.toml")
    template = ('{% from "_site_map.html" import site_map with context %}'
                '{{ site_map(catalog.sites["xianghe-wharf"]) }}')
    with app.test_request_context("/en/"):
        app.preprocess_request()
        from flask import g
        g.lang = "en"
        html = render_template_string(template)
    assert Page(html).ids["map_site_xianghe_wharf"][0] == "div"
    assert 'aria-label="Map: where Xianghe Wharf &lt;img src=x onerror=&#34;' in html
    assert not [name for name in Page(html).attributes if name.startswith("on")]
