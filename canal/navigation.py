""""Get there / 导航" links: open a point in Amap, Baidu, Tencent, Apple Maps, OSM, Google.

Every point in events.toml is WGS-84. Each app gets the datum its documentation asks for:

| app | URL (https, so it works inside WeChat, which blocks app schemes) | datum |
| --- | --- | --- |
| 高德 Amap | uri.amap.com/navigation `to=LON,LAT,NAME&mode=bus&callnative=0&src=` | GCJ-02 (the page documents no `coordinate` parameter) |
| 百度 Baidu | api.map.baidu.com/marker `location=LAT,LNG&title&content&output=html&coord_type=bd09ll&src=` | BD-09, converted by us |
| 腾讯 Tencent | apis.map.qq.com/uri/v1/marker `marker=coord:LAT,LNG;title:;addr:&coord_type=1&referer=` | WGS-84 (`coord_type=1` = GPS) |
| Apple Maps | maps.apple.com `?ll=LAT,LNG&q=NAME` | GCJ-02: in China Apple draws AutoNavi data and has no WGS-84 parameter |
| OpenStreetMap | www.openstreetmap.org `?mlat=&mlon=#map=16/LAT/LON` | WGS-84 |
| Google Maps | www.google.com/maps/search/ `?api=1&query=LAT,LNG` | GCJ-02: Google's road map of mainland China is drawn in it |

`callnative=0` keeps Amap in the web page: the Amap page warns that opening the app fails
inside WeChat and QQ. No Flask here.
"""  # noqa: E501 - the table above is read as a table, one app a row
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from .geo import wgs84_to_bd09, wgs84_to_gcj02

# Who is asking, as Baidu (`src`, "webapp.<company>.<app>") and Tencent (`referer`) require.
SOURCE = "webapp.beiyunhe.events"
REFERER = "beiyunhe-events"
APPS = ("amap", "baidu", "tencent", "apple", "osm", "google")
NAMES = {"amap": {"zh": "高德地图", "en": "Amap (Gaode)"},
         "baidu": {"zh": "百度地图", "en": "Baidu Maps"},
         "tencent": {"zh": "腾讯地图", "en": "Tencent Maps"},
         "apple": {"zh": "苹果地图", "en": "Apple Maps"},
         "osm": {"zh": "OpenStreetMap", "en": "OpenStreetMap"},
         "google": {"zh": "谷歌地图", "en": "Google Maps"}}
DIGITS = 6  # about 0.1 m: plenty, and keeps URLs short


@dataclass(frozen=True)
class MapLink:
    app: str
    label: str
    url: str


def _r(value: float) -> str:
    return f"{value:.{DIGITS}f}"


def _q(pairs: list[tuple[str, str]]) -> str:
    # Commas and colons stay readable; everything else (names, spaces) is escaped.
    return urlencode(pairs, quote_via=quote, safe=",:;")


def links_for(lat: float, lon: float, name: str, address: str | None = None,
              lang: str = "zh") -> list[MapLink]:
    """The six map links for a WGS-84 point, in the order Chinese visitors use them."""
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    b_lat, b_lon = wgs84_to_bd09(lat, lon)
    # Tencent's marker takes ';' and ':' as separators, so they cannot be part of a name.
    clean = name.replace(";", " ").replace(":", " ")
    clean_address = (address or name).replace(";", " ").replace(":", " ")
    urls = {
        "amap": "https://uri.amap.com/navigation?" + _q([
            ("to", f"{_r(g_lon)},{_r(g_lat)},{name.replace(',', ' ')}"), ("mode", "bus"),
            ("src", SOURCE), ("callnative", "0")]),
        "baidu": "https://api.map.baidu.com/marker?" + _q([
            ("location", f"{_r(b_lat)},{_r(b_lon)}"), ("title", name), ("content", address or name),
            ("output", "html"), ("coord_type", "bd09ll"), ("src", SOURCE)]),
        "tencent": "https://apis.map.qq.com/uri/v1/marker?" + _q([
            ("marker", f"coord:{_r(lat)},{_r(lon)};title:{clean};addr:{clean_address}"),
            ("coord_type", "1"), ("referer", REFERER)]),
        "apple": "https://maps.apple.com/?" + _q([("ll", f"{_r(g_lat)},{_r(g_lon)}"), ("q", name)]),
        "osm": "https://www.openstreetmap.org/?" + _q([("mlat", _r(lat)), ("mlon", _r(lon))])
               + f"#map=16/{_r(lat)}/{_r(lon)}",
        "google": "https://www.google.com/maps/search/?" + _q([
            ("api", "1"), ("query", f"{_r(g_lat)},{_r(g_lon)}")]),
    }
    lang = "en" if lang == "en" else "zh"
    return [MapLink(app, NAMES[app][lang], urls[app]) for app in APPS]


def site_links(site, lang: str) -> list[MapLink]:
    """Links to a site's point (its main entrance when one is given)."""
    if site.entrances:
        first = site.entrances[0]
        return links_for(first.lat, first.lon, f"{site.name.zh} {first.name.zh}",
                         site.address.zh if site.address else None, lang)
    return links_for(site.lat, site.lon, site.name.zh,
                     site.address.zh if site.address else None, lang)


def as_data(found: list[MapLink]) -> list[dict]:
    """For the map's JSON (static/map.js writes them as links, https only)."""
    return [{"app": link.app, "label": link.label, "url": link.url} for link in found]
