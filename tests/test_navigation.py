""""Get there" links: each app gets its documented parameters and its own datum, within 1 m."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from canal.geo import gcj02_to_bd09, haversine_m, wgs84_to_bd09, wgs84_to_gcj02
from canal.navigation import APPS, links_for

# GCJ-02 -> BD-09 reference pairs, (lat, lon): coordtransform's test suite (Tiananmen,
# gcj02tobd09(116.404, 39.915)) and Beijing railway station from the R package
# "coordtransform" documentation (GCJ 39.90245,116.42703 -> BD 39.90851,116.43351).
BD09_PAIRS = [
    ((39.915, 116.404), (39.92133699351021, 116.41036949371029)),
    ((39.90245, 116.42703), (39.90851, 116.43351)),
]
# Published WGS-84 -> GCJ-02 pairs (the same as tests/test_map_geo.py) and the result
# of chaining them into BD-09, as coordtransform's wgs84tobd09 does.
WGS_GCJ = ((39.915, 116.404), (39.91640428150164, 116.41024449916938))
# Three shipped sites (WGS-84 points of events.toml).
SITES = [("北京大运河博物馆", 39.885, 116.700), ("北运河香河段中心码头", 39.708, 116.912),
         ("三岔河口", 39.157, 117.193)]


@pytest.mark.parametrize(("gcj", "bd"), BD09_PAIRS)
def test_bd09_matches_reference_pairs_within_a_metre(gcj, bd):
    assert haversine_m(*gcj02_to_bd09(*gcj), *bd) < 1.0


def test_wgs84_to_bd09_chains_the_two_reference_conversions():
    wgs, gcj = WGS_GCJ
    assert haversine_m(*wgs84_to_bd09(*wgs), *gcj02_to_bd09(*gcj)) < 1.0
    # and it is far from the WGS-84 point: pasting one for the other lands ~1 km off
    assert 800 < haversine_m(*wgs84_to_bd09(*wgs), *wgs) < 1500


def _query(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert parts.scheme == "https"  # never an app scheme: WeChat's browser blocks those
    return {k: v[0] for k, v in parse_qs(parts.query, strict_parsing=True).items()}


def _point(text: str, lat_first: bool) -> tuple[float, float]:
    a, b = (float(v) for v in text.split(",")[:2])
    return (a, b) if lat_first else (b, a)


@pytest.mark.parametrize(("name", "lat", "lon"), SITES)
def test_each_link_has_documented_parameters_and_the_right_datum(name, lat, lon):
    found = {link.app: link for link in links_for(lat, lon, name, "地址", "zh")}
    assert list(found) == list(APPS)
    gcj, bd = wgs84_to_gcj02(lat, lon), wgs84_to_bd09(lat, lon)

    amap = urlsplit(found["amap"].url)
    assert (amap.netloc, amap.path) == ("uri.amap.com", "/navigation")
    q = _query(found["amap"].url)
    assert set(q) == {"to", "mode", "src", "callnative"}
    assert q["mode"] == "bus" and q["callnative"] == "0" and q["to"].endswith("," + name)
    assert haversine_m(*_point(q["to"], lat_first=False), *gcj) < 1.0  # lon,lat in GCJ-02

    baidu = urlsplit(found["baidu"].url)
    assert (baidu.netloc, baidu.path) == ("api.map.baidu.com", "/marker")
    q = _query(found["baidu"].url)
    assert q["coord_type"] == "bd09ll" and q["output"] == "html" and q["src"]
    assert q["title"] == name and q["content"] == "地址"
    assert haversine_m(*_point(q["location"], lat_first=True), *bd) < 1.0  # lat,lng in BD-09

    tencent = urlsplit(found["tencent"].url)
    assert (tencent.netloc, tencent.path) == ("apis.map.qq.com", "/uri/v1/marker")
    q = _query(found["tencent"].url)
    assert q["coord_type"] == "1" and q["referer"]  # 1 = GPS (WGS-84); referer is required
    fields = dict(part.split(":", 1) for part in q["marker"].split(";"))
    assert fields["title"] == name and fields["addr"] == "地址"
    assert haversine_m(*_point(fields["coord"], lat_first=True), lat, lon) < 1.0

    apple = urlsplit(found["apple"].url)
    assert apple.netloc == "maps.apple.com"
    q = _query(found["apple"].url)
    assert q["q"] == name
    assert haversine_m(*_point(q["ll"], lat_first=True), *gcj) < 1.0

    osm = urlsplit(found["osm"].url)
    q = _query(found["osm"].url)
    assert osm.netloc == "www.openstreetmap.org"
    assert haversine_m(float(q["mlat"]), float(q["mlon"]), lat, lon) < 1.0
    zoom, f_lat, f_lon = osm.fragment.removeprefix("map=").split("/")
    assert zoom == "16" and haversine_m(float(f_lat), float(f_lon), lat, lon) < 1.0

    google = urlsplit(found["google"].url)
    assert (google.netloc, google.path) == ("www.google.com", "/maps/search/")
    q = _query(found["google"].url)
    assert q["api"] == "1"
    assert haversine_m(*_point(q["query"], lat_first=True), *gcj) < 1.0


def test_the_converted_links_really_differ_from_the_raw_point():
    """A link that sent WGS-84 to a GCJ-02 app would pass a sloppy test; this one would not."""
    found = {link.app: link for link in links_for(39.885, 116.700, "馆", None)}
    to = _query(found["amap"].url)["to"]
    assert 400 < haversine_m(*_point(to, lat_first=False), 39.885, 116.700) < 700


def test_hostile_names_stay_inside_their_parameter():
    found = {link.app: link for link in links_for(39.885, 116.700, 'a&b=c;title:x,"<s>', None)}
    assert _query(found["baidu"].url)["title"] == 'a&b=c;title:x,"<s>'
    marker = _query(found["tencent"].url)["marker"]
    assert marker.count(";") == 2 and marker.count("title:") == 1
    assert len(_query(found["amap"].url)["to"].split(",")) == 3


def test_english_labels():
    assert [link.label for link in links_for(39.9, 116.7, "x", None, "en")][:2] == ["Amap (Gaode)", "Baidu Maps"]
