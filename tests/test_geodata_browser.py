"""Issue 12 in Chromium: the traced and the schematic reaches are drawn and explained
differently, the line is credited in the map, and an approximate site shows its circle of
uncertainty while selected. Served from the shipped events.toml, offline."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from canal import create_app
from conftest import Watch, wait_for_map

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-12-01T09:00:00"
HANDLE = "window.canalMaps.map_home"
LEGEND = {
    "zh": ["北运河（据 OpenStreetMap 描绘）", "北运河，位置近似（示意线，±1–2 公里）"],
    "en": ["North Canal (traced from OpenStreetMap)", "North Canal, approximate (schematic, ±1–2 km)"],
}
CREDIT = {"zh": "运河线 © OpenStreetMap 贡献者（ODbL）", "en": "Canal line © OpenStreetMap contributors (ODbL)"}
PREFIX = {"zh": "", "en": "/en"}

# Every reach of the line as Leaflet drew it: its segment, whether schematic, its dash
# pattern and the SVG path's stroke-dasharray.
ROUTE = """(() => {
  const data = JSON.parse(document.querySelector("script.canal-map-data").textContent);
  return window[data.route].getLayers().map(l => [
    l.feature.properties.segment, l.feature.properties.schematic,
    l.options.dashArray || null, l.getElement().getAttribute("stroke-dasharray")]);
})()"""
CIRCLES = """(map => {
  const found = [];
  map.eachLayer(l => { if (l instanceof L.Circle) found.push([l.getRadius(), l.getLatLng().lat, l.getLatLng().lng]); });
  return found;
})"""


def open_page(page, url: str, handle: str = HANDLE) -> Watch:
    watch = Watch(page)
    page.goto(url)
    wait_for_map(page, handle.removeprefix("window.canalMaps."))
    return watch


@pytest.fixture(scope="module")
def shipped_app():
    return create_app({"TESTING": True, "CANAL_EVENTS": str(ROOT / "events.toml"), "CANAL_NOW": NOW})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_traced_and_schematic_reaches_look_different_and_the_legend_says_which(
        page, network, serve, shipped_app, lang):
    watch = open_page(page, serve(shipped_app) + PREFIX[lang] + "/")
    assert page.evaluate(ROUTE) == [
        ["A", False, None, None], ["B", False, None, None], ["C", False, None, None],
        ["D", False, None, None], ["E", True, "8 8", "8 8"]]
    legend = page.locator(".canal-legend")
    rows = legend.locator("li").all_inner_texts()
    assert [r.strip() for r in rows if "北运河" in r or "North Canal" in r] == LEGEND[lang]
    styles = page.evaluate("""() => [".canal-legend__route:not(.canal-legend__route--schematic)",
                                     ".canal-legend__route--schematic"].map(
        s => getComputedStyle(document.querySelector(s)).backgroundImage)""")
    assert styles[0] == "none" and styles[1].startswith("repeating-linear-gradient")
    assert CREDIT[lang] in page.locator(".leaflet-control-attribution").inner_text()
    assert network["blocked"] == [] and watch.errors == []


def test_the_line_is_credited_in_the_map_whatever_the_tiles(page, network, serve):
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(ROOT / "events.toml"),
                      "CANAL_NOW": NOW, "CANAL_TILES": "gaode"})
    watch = open_page(page, serve(app) + "/en/")
    attribution = page.locator(".leaflet-control-attribution")
    assert "高德地图" in attribution.inner_text() and CREDIT["en"] in attribution.inner_text()
    assert attribution.get_by_role("link", name=CREDIT["en"]).get_attribute("href") == \
        "https://www.openstreetmap.org/copyright"
    assert watch.errors == []


def click_marker(page, site_id: str, name: str) -> None:
    page.evaluate("""id => new Promise(done => {
        const h = window.canalMaps.map_home;
        h.cluster.zoomToShowLayer(h.markers[id], done);
    })""", site_id)
    page.get_by_role("button", name=re.compile("^" + re.escape(name))).click()
    page.locator(".leaflet-popup-content").wait_for()


def test_an_approximate_site_shows_its_circle_while_selected(page, serve, shipped_app):
    watch = open_page(page, serve(shipped_app) + "/en/")
    circles = f"({CIRCLES})({HANDLE}.map)"
    assert page.evaluate(circles) == []
    click_marker(page, "caoyun-wharf", "Caoyun (Grain-Transport) Wharf")
    assert "Approximate location (±1.5 km)" in page.locator(".leaflet-popup-content").inner_text()
    assert page.evaluate(circles) == [[1500, 39.89023, 116.71114]]
    assert page.locator("path.canal-precision").count() == 1
    page.keyboard.press("Escape")
    page.locator(".leaflet-popup-content").wait_for(state="detached")
    assert page.evaluate(circles) == []
    # Below a kilometre: a plain marker, no circle, no "approximate".
    click_marker(page, "yangwa-lock", "Yangwa Ship Lock")
    assert "Approximate" not in page.locator(".leaflet-popup-content").inner_text()
    assert page.evaluate(circles) == []
    assert page.evaluate(f"{HANDLE}.markers['yangwa-lock'].getElement().className").split().count(
        "canal-marker--approx") == 0
    assert watch.errors == []


@pytest.mark.parametrize(("site_id", "expected"), [
    ("anyun-wharf", [[1500, 39.70229, 116.9458]]), ("jinmen-sluice", [])])
def test_a_site_page_map_shows_the_circle_only_for_an_approximate_site(
        page, serve, shipped_app, site_id, expected):
    handle = "window.canalMaps.map_site_" + site_id.replace("-", "_")
    watch = open_page(page, serve(shipped_app) + f"/en/sites/{site_id}/", handle)
    assert page.evaluate(f"({CIRCLES})({handle}.map)") == expected
    assert [row[1] for row in page.evaluate(ROUTE)] == [False, False, False, False, True]
    # The small map starts with its legend closed (it would cover the map); it opens on demand.
    legend = page.locator(".canal-legend")
    assert legend.get_attribute("open") is None
    legend.locator("summary").click()
    rows = [r.strip() for r in legend.locator("li").all_inner_texts()]
    assert rows[-2:] == LEGEND["en"]
    assert watch.errors == []
