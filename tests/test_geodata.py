"""The canal and its sites where they really are: the traced line and its segments, the
positions of data/SITES.md with honest precision, the OpenStreetMap/ODbL credit, and the
`flask canal check` warning that keeps sites on the water beside the line."""
from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from canal import create_app, maps
from canal.cli import canal as canal_cli
from canal.geo import distance_to_polyline_m, haversine_m, nearest_on_polyline, wgs84_to_gcj02
from canal.loader import LoadError, load, parse
from canal.placement import MAX_FROM_LINE_M, on_water, position_warnings
from canal.plan import build_plan
from canal.route import ROUTE_PATH, RouteError, load_line, parse_line
from pages_html import Page

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events.toml"
NOW = "2026-12-01T09:00:00"
# The credit ../shared/data/geo/README.md says to ship, word for word.
ATTRIBUTION_EN = ("Map data © OpenStreetMap contributors, available under the Open Database "
                  "License (ODbL 1.0). Canal line south of Yangcun is an approximate schematic.")
ATTRIBUTION_ZH = "地图数据 © OpenStreetMap 贡献者，依开放数据库许可协议（ODbL 1.0）提供。杨村以南的运河线为示意线，位置近似。"  # noqa: E501 - the exact words
NOT_LOCATED = {"caoyun-wharf", "liuyin-wharf", "anyun-wharf", "canal-night-city"}


def sites_md() -> dict[str, tuple[float, float, int]]:
    """id -> (lat, lon, precision_m) from the table in data/SITES.md."""
    rows = {}
    for line in (ROOT / "data" / "SITES.md").read_text(encoding="utf-8").splitlines():
        found = re.match(r"\| `([a-z0-9-]+)` \|[^|]+\| ([0-9.]+), ([0-9.]+) \|[^|]+\|[^|]+\| ±([0-9]+) m \|",
                         line)
        if found:
            rows[found.group(1)] = (float(found.group(2)), float(found.group(3)), int(found.group(4)))
    return rows


@pytest.fixture(scope="module")
def shipped():
    return load(EVENTS)


@pytest.fixture(scope="module")
def real_client():
    return create_app({"TESTING": True, "CANAL_EVENTS": str(EVENTS), "CANAL_NOW": NOW}).test_client()


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(Page(response.get_data(as_text=True)).text.split())


# --- Positions --------------------------------------------------------------------------

def test_every_site_is_within_its_stated_precision_of_its_position_in_sites_md(shipped):
    table = sites_md()
    assert set(table) == set(shipped.sites) and len(table) == 26
    for site_id, (lat, lon, precision) in table.items():
        site = shipped.sites[site_id]
        assert haversine_m(site.lat, site.lon, lat, lon) <= site.precision_m, site_id
        assert site.precision_m == precision, site_id
        assert site.position_source, site_id  # the evidence travels with the position


def test_the_corrections_the_issue_names_are_in(shipped):
    # Xianghe wharves were 5–7 km too far south, Yulinzhuang lock 3.4 km east of its
    # village, Yangwa lock 2.2 km south: each now within its precision of the new evidence.
    assert haversine_m(39.708, 116.912, shipped.sites["xianghe-wharf"].lat,
                       shipped.sites["xianghe-wharf"].lon) > 7000
    assert shipped.sites["yulinzhuang-lock"].lon == pytest.approx(116.785)
    assert shipped.sites["yangwa-lock"].lat == pytest.approx(39.7648)


def test_every_site_on_the_water_is_within_300_m_of_the_line_or_says_why(shipped):
    line = load_line()
    water = {s.id for s in shipped.sites.values() if on_water(s)}
    assert water == {  # the kinds that name a wharf, lock, sluice or bridge
        "beiguan-confluence", "canal-culture-square", "tongzhou-wharf-2", "caoyun-wharf",
        "liuyin-wharf", "zhangjiawan", "gantang-lock", "yulinzhuang-lock", "heheyi-wharf",
        "yangwa-lock", "lujiawu-wharf", "xianghe-wharf", "wangjiabai-wharf", "anyun-wharf",
        "jinmen-sluice"}
    for site_id in water:
        site = shipped.sites[site_id]
        distance, _ = line.nearest(site.lat, site.lon)
        assert distance <= MAX_FROM_LINE_M or site.off_canal, (site_id, distance)
    assert [s.id for s in shipped.sites.values() if s.off_canal] == ["zhangjiawan"]
    assert line.nearest(shipped.sites["zhangjiawan"].lat, shipped.sites["zhangjiawan"].lon)[0] > 4000


def test_approximate_means_a_kilometre_or_more(shipped):
    approximate = {s.id for s in shipped.sites.values() if s.approximate}
    assert approximate == NOT_LOCATED | {"xianghe-wharf", "xianghe-canal-park", "shisicang",
                                         "canal-legend-park"}
    assert all(s.precision_m >= 1000 for s in shipped.sites.values() if s.approximate)
    assert all(s.precision_m < 1000 for s in shipped.sites.values() if not s.approximate)


# --- The check ----------------------------------------------------------------------------

def test_the_shipped_content_passes_the_check_without_warnings():
    result = CliRunner().invoke(canal_cli, ["check", str(EVENTS)])
    assert result.exit_code == 0
    assert result.output == "OK: 26 sites, 39 events (14 recurring)\n"


def edited(tmp_path, *changes: tuple[str, str]) -> tuple[Path, str]:
    text = EVENTS.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "events.toml"
    path.write_text(text, encoding="utf-8")
    return path, text


def line_number(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def test_a_site_on_the_water_away_from_the_line_is_a_warning_not_a_failure(tmp_path):
    off = ('off_canal = "Tongyun Bridge crosses the Xiaotaihou River at the old Zhangjiawan '
           "harbour, 4.6 km from today's North Canal\"\n")
    path, text = edited(tmp_path, ("lat = 39.76480\n", "lat = 39.74500\n"), (off, ""))
    result = CliRunner().invoke(canal_cli, ["check", str(path)])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"{path}:{line_number(text, 'lat = 39.84260')}: sites.zhangjiawan: warning: kind 'Old town "
        "and bridge' is on the water, but the site is 4,628 m from the canal line (more than 300 m): "
        "check lat and lon (WGS-84, not GCJ-02), or say why with off_canal = \"…\"",
        f"{path}:{line_number(text, 'lat = 39.74500')}: sites.yangwa-lock: warning: kind 'Ship lock "
        "(Beijing–Hebei boundary)' is on the water, but the site is 1,957 m from the canal line "
        "(more than 300 m): check lat and lon (WGS-84, not GCJ-02), or say why with off_canal = \"…\"",
        "OK: 26 sites, 39 events (14 recurring); 2 warning(s) above",
    ]


def test_an_off_canal_reason_on_a_site_beside_the_line_is_a_warning(tmp_path):
    path, text = edited(tmp_path, ("lat = 39.90889\nlon = 116.67405\nprecision_m = 200\n",
                                   "lat = 39.90889\nlon = 116.67405\nprecision_m = 200\n"
                                   'off_canal = "moored in a side basin"\n'))
    result = CliRunner().invoke(canal_cli, ["check", str(path)])
    assert result.exit_code == 0
    added = line_number(text, 'off_canal = "moored in a side basin"')
    assert result.output.splitlines()[0] == (
        f"{path}:{added}: "
        "sites.tongzhou-wharf-2.off_canal: warning: the site is 0 m from the canal line, within "
        "300 m: off_canal is not needed; remove it")


MINIMAL = '''[meta]
name = { zh = "北运河" }
timezone = "Asia/Shanghai"
base_url = "https://canal.test"

[areas.wuqing]
name = { zh = "武清" }

[sites.%s]
name = { zh = "码头" }
area = "wuqing"
kind = { zh = "%s" }
lat = %s
lon = %s
precision_m = 200
description = { zh = "码头。" }
'''


def test_near_the_schematic_reach_the_warning_says_the_line_is_approximate():
    # 39.30 N is on segment E (south of Yangcun), drawn by hand to ±1–2 km.
    catalog = parse(MINIMAL % ("tianjin-pier", "码头", "39.30", "117.05"))
    [warning] = position_warnings(catalog, load_line(), MINIMAL % ("tianjin-pier", "码头", "39.30", "117.05"))
    assert str(warning).startswith("events.toml:13: sites.tianjin-pier: warning: kind '码头' is on "
                                   "the water, but the site is ")
    assert ("from the canal line (more than 300 m); the line there is segment E, a schematic "
            "(±2,000 m): check lat and lon") in str(warning)


def test_a_site_not_on_the_water_may_be_far_from_the_line():
    text = MINIMAL % ("far-park", "公园", "39.30", "117.05")
    assert position_warnings(parse(text), load_line(), text) == []


@pytest.mark.parametrize(("line", "message"), [
    ("position_source = 42", "events.toml:17: sites.p.position_source: expected non-empty text, got a number"),
    ('off_canal = "a\\u0007b"', "events.toml:17: sites.p.off_canal: contains the invisible control "
                                 "character U+0007; remove it"),
    ('position_sorce = "OSM"', "events.toml:17: sites.p.position_sorce: unknown key 'position_sorce' "
                               "(did you mean 'position_source'?); allowed: name, area, kind, lat, lon, "
                               "precision_m, description, address, url, source, position_source, off_canal, "
                               "opening_hours, last_entry, hours_source, entrances, transport, parking, "
                               "accessibility, booking, phone"),
])
def test_the_new_site_fields_are_checked(line, message):
    with pytest.raises(LoadError) as caught:
        parse(MINIMAL % ("p", "码头", "39.5", "117.0") + line + "\n")
    assert [str(p) for p in caught.value.problems] == [message]


def test_the_new_site_fields_are_read():
    site = parse(MINIMAL % ("p", "码头", "39.5", "117.0")
                 + 'position_source = " OSM z13 "\noff_canal = "old channel"\n').sites["p"]
    assert (site.position_source, site.off_canal) == ("OSM z13", "old channel")


# --- The line -----------------------------------------------------------------------------

def test_the_line_file_is_segments_with_sources_errors_licence_and_attribution():
    doc = json.loads(ROUTE_PATH.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert doc["license"] == "ODbL-1.0" and doc["attribution"] == ATTRIBUTION_EN
    assert [f["properties"]["segment"] for f in doc["features"]] == ["A", "B", "C", "D", "E"]
    for feature in doc["features"]:
        props = feature["properties"]
        assert props["source"] and props["est_error_m"] and props["licence"] and props["check"]
    line = load_line()
    assert [s.schematic for s in line.segments] == [False, False, False, False, True]
    assert [s.max_error_m for s in line.segments] == [50, 40, 40, 160, 2000]
    assert len(line.points) == 597
    length = sum(haversine_m(*a, *b) for a, b in pairwise(line.points))
    assert 127_000 < length < 130_000  # 128 km, Beiguan to Sanchakou
    # Yangcun, where the schematic begins.
    assert line.segments[-1].points[0] == pytest.approx((39.401006, 117.073746))


def doc_with(**changes):
    doc = json.loads(ROUTE_PATH.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            del doc[key]
        else:
            doc[key] = value
    return doc


def test_a_broken_line_file_says_what_is_wrong():
    with pytest.raises(RouteError, match=r"north-canal.geojson: attribution must be non-empty text"):
        parse_line(doc_with(attribution=None))
    doc = doc_with()
    doc["features"][1]["geometry"]["coordinates"].pop(0)
    with pytest.raises(RouteError, match="segment B does not start where A ends: the drawn line would have a gap"):
        parse_line(doc)
    doc = doc_with()
    doc["features"][4]["properties"]["max_error_m"] = "1-2 km"
    with pytest.raises(RouteError, match=r"features\[4\].properties.max_error_m must be a whole number"):
        parse_line(doc)
    with pytest.raises(RouteError, match="expected a GeoJSON FeatureCollection"):
        parse_line({"type": "Feature"})


def test_distance_from_a_point_to_a_polyline():
    reach = [(39.9, 116.6), (39.9, 116.8), (39.8, 116.8)]
    # Between two vertices 17 km apart: the perpendicular foot, not the nearest vertex.
    assert distance_to_polyline_m(39.9, 116.7, reach) == pytest.approx(0, abs=0.01)
    assert distance_to_polyline_m(39.901, 116.7, reach) == pytest.approx(111.2, abs=0.5)
    distance, piece = nearest_on_polyline(39.85, 116.81, reach)
    assert piece == 1 and distance == pytest.approx(haversine_m(39.85, 116.81, 39.85, 116.8), rel=1e-3)
    # Beyond the end: the distance to the end vertex.
    assert distance_to_polyline_m(39.7, 116.8, reach) == pytest.approx(haversine_m(39.7, 116.8, 39.8, 116.8), rel=1e-3)
    assert distance_to_polyline_m(39.9, 116.6, [(39.9, 116.6)]) == 0
    with pytest.raises(ValueError):
        distance_to_polyline_m(39.9, 116.6, [])


# --- Credit -------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/sites/caoyun-wharf/", "/sites/yangwa-lock/",
                                 "/events/kaicao-festival/", "/plan/?o=kaicao-festival@2027-04-17"])
def test_every_page_with_a_map_shows_the_attribution_in_both_languages(real_client, url):
    assert ATTRIBUTION_EN in text_of(real_client, "/en" + url)
    zh = text_of(real_client, url)
    assert ATTRIBUTION_ZH in zh and "Open Database License" not in zh
    html = real_client.get(url).get_data(as_text=True)
    assert '<a href="https://www.openstreetmap.org/copyright" rel="external noopener">' in html


def test_the_page_attribution_is_the_line_file_s_attribution(real_client):
    assert load_line().attribution == ATTRIBUTION_EN
    assert ATTRIBUTION_EN in text_of(real_client, "/en/")


@pytest.mark.parametrize("url", ["/api/sites.geojson", "/en/api/sites.geojson"])
def test_sites_geojson_carries_licence_attribution_and_position_sources(real_client, url):
    data = real_client.get(url).get_json()
    assert data["license"] == "ODbL-1.0" and data["attribution"] == ATTRIBUTION_EN
    assert data["license_url"] == "https://opendatacommons.org/licenses/odbl/1-0/"
    assert data["attribution_url"] == "https://www.openstreetmap.org/copyright"
    table = sites_md()
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert (lat, lon) == table[feature["id"]][:2]
        assert feature["properties"]["precision_m"] == table[feature["id"]][2]
        assert feature["properties"]["position_source"]


def test_repository_says_which_files_are_odbl():
    licence = " ".join((ROOT / "data" / "LICENSE").read_text(encoding="utf-8").split())
    assert "Open Database License 1.0" in licence and "data/north-canal.geojson" in licence
    assert "it offers them under the ODbL" in licence  # share-alike for a derived database
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Where the canal line and the site positions come from" in readme
    assert "overpass-api.de/api/interpreter" in readme and '["name"="北运河"]' in readme


# --- Precision on the site page -----------------------------------------------------------

@pytest.mark.parametrize("site_id", sorted(NOT_LOCATED))
def test_sites_that_could_not_be_located_say_so(real_client, site_id):
    assert "Approximate location, ±1.5 km" in text_of(real_client, f"/en/sites/{site_id}/")
    assert "大致位置，±1.5 公里" in text_of(real_client, f"/sites/{site_id}/")


def test_a_located_site_has_no_approximate_note(real_client):
    assert "Approximate location" not in text_of(real_client, "/en/sites/yangwa-lock/")
    assert "±1 km" in text_of(real_client, "/en/sites/shisicang/")  # 1000 m, not "1.0"


# --- Plan, nearby and GCJ-02 on the new positions ------------------------------------------

def test_plan_distance_and_nearby_use_the_new_positions(shipped):
    plan = build_plan(shipped, ["city-reach-cruise@2027-05-02", "zhongfan-show@2027-05-02"])
    [leg] = plan.days[0].legs
    # Canal Park (the scenic area) to Xianghe Central Wharf: 26.3 km now (30 km before).
    assert leg.km == pytest.approx(26.3, abs=0.05) and leg.minutes == 70
    near = build_plan(shipped, ["boat-tongzhou-xianghe@2027-05-01"]).days[0].nearby
    assert {o.event.site for o in near} >= {"randeng-pagoda", "canal-scenic-area"}  # 1.4, 0.6 km


def test_gaode_tiles_shift_every_new_position_by_500_to_600_m(shipped):
    tiles = maps.tiles_for("gaode")
    for site in shipped.sites.values():
        data = maps.site_data(shipped, site, "zh", None, tiles)
        assert (data["lat"], data["lon"]) == tuple(round(v, 6) for v in wgs84_to_gcj02(site.lat, site.lon))
        assert 500 < haversine_m(site.lat, site.lon, data["lat"], data["lon"]) < 600, site.id


def test_a_broken_line_file_stops_start_up_and_the_check_with_its_reason(monkeypatch, tmp_path):
    import canal.route
    broken = tmp_path / "north-canal.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    real = canal.route.load_line

    def load_broken(path=broken):
        return real(broken)
    monkeypatch.setattr("canal.views.maps.load_line", load_broken)
    with pytest.raises(SystemExit) as stopped:
        create_app({"TESTING": True, "CANAL_NOW": NOW})
    assert str(stopped.value) == (f"Canal line: {broken}: expected at least one feature "
                                  "(a segment of the line)")
    monkeypatch.setattr("canal.route.load_line", load_broken)
    result = CliRunner().invoke(canal_cli, ["check", str(EVENTS)])
    assert result.exit_code == 1
    assert f"canal line: {broken}: expected at least one feature" in result.output
