"""The canal map: folium builds the Leaflet skeleton, our data fills it in the browser.

Folium renders only what contains no content text: the map, its tiles, the North
Canal route, an empty marker-cluster group and the fullscreen button. Folium's
Popup/Tooltip run HTML, JavaScript template strings and (through branca) Jinja found
in the data, so no site or event text ever passes through folium: it travels as JSON in
a `<script type="application/json">` block, and static/map.js builds markers, popups,
tooltips, search and the legend from it with `textContent`.

We never use folium's whole document: `MapParts` carries its asset URLs, its map
`<div>` and its script, for our own templates. No Flask here: views pass the catalog,
language, "now", tile settings and translated interface labels.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
from branca.element import CssLink, Figure, JavascriptLink
from folium import plugins

from . import hours as opening
from . import links, recurrence, text, visit
from .geo import wgs84_to_gcj02
from .model import Catalog, Site
from .route import ROUTE_PATH, CanalLine, load_line
from .safejson import json_for_script  # noqa: F401 (part of this module's API)
from .span import midnight

UPCOMING_PER_SITE = 3
UPCOMING_DAYS = 366
ROUTE_STYLE = {"color": "#0b5f8a", "weight": 4, "opacity": 0.75}
# The schematic reach (±1–2 km) is dashed and thinner, as the legend says: it shows
# roughly where the canal runs, not where its banks are.
ROUTE_SCHEMATIC_STYLE = {"color": "#0b5f8a", "weight": 3, "opacity": 0.7, "dashArray": "8 8"}


@dataclass(frozen=True)
class Tiles:
    """Which tile server draws the background, and the datum its pictures use."""

    kind: str
    url: str
    attribution: str
    subdomains: str = "abc"
    max_zoom: int = 18
    labels_url: str | None = None  # Tianditu draws place names on a separate layer
    host_suffix: str = ""          # every tile request goes to a host ending with this

    @property
    def gcj02(self) -> bool:
        """Whether markers and route must be shifted to GCJ-02 to sit right on these tiles."""
        return self.kind == "gaode"


TILE_KINDS = ("osm", "tianditu", "gaode")
# The only hosts the map may contact: tile servers (tests answer these and block the rest).
TILE_HOST_SUFFIXES = ("tile.openstreetmap.org", "tianditu.gov.cn", "is.autonavi.com")
_OSM_ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright">'
                    "OpenStreetMap</a> contributors")
_TIANDITU = ("https://t{s}.tianditu.gov.cn/%s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
             "&LAYER=%s&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
             "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=%s")


def tiles_for(kind: str, lang: str = "zh", tianditu_key: str | None = None) -> Tiles:
    """The tile settings for CANAL_TILES = "osm" | "tianditu" | "gaode"; ValueError if unusable."""
    if kind == "osm":
        return Tiles("osm", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", _OSM_ATTRIBUTION,
                     subdomains="abc", max_zoom=19, host_suffix="tile.openstreetmap.org")
    if kind == "tianditu":
        if not tianditu_key or not re.fullmatch(r"[A-Za-z0-9]{8,64}", tianditu_key):
            raise ValueError("CANAL_TILES = 'tianditu' needs CANAL_TIANDITU_KEY, the browser key "
                             "(tk) from the Tianditu developer console: letters and digits")
        labels = "eva" if lang == "en" else "cva"  # English or Chinese place names
        return Tiles("tianditu", _TIANDITU % ("vec", "vec", tianditu_key),
                     '&copy; <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a>',
                     subdomains="01234567", labels_url=_TIANDITU % (labels, labels, tianditu_key),
                     host_suffix="tianditu.gov.cn")
    if kind == "gaode":
        return Tiles("gaode", "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1"
                              "&scale=1&style=8&x={x}&y={y}&z={z}",
                     '&copy; <a href="https://www.amap.com/">高德地图 AutoNavi</a>',
                     subdomains="1234", host_suffix="is.autonavi.com")
    raise ValueError(f"CANAL_TILES = {kind!r} is not one of {', '.join(TILE_KINDS)}")


@dataclass(frozen=True)
class MapParts:
    """One rendered map, ready for templates/_map.html."""

    map_id: str              # the map <div> id and folium's JavaScript variable
    mode: str                # "home" (every site) or "site" (one site, small)
    css: tuple[str, ...]     # stylesheet URLs, in order
    js: tuple[str, ...]      # script URLs, in order, before `script`
    html: str                # folium's map <div>
    script: str              # folium's generated script, to be placed inline as it is
    data_id: str             # id of the JSON data block read by static/map.js
    data_json: str           # that block's text, safe inside <script type="application/json">


_local_assets: dict[str, Any] = {}  # "base": a URL prefix, "icons": marker image URLs


def use_local_assets(static_url: str = "/static",
                     published: Callable[[str], str] = lambda path: path) -> None:
    """Point folium at our self-hosted Leaflet and plugins instead of CDNs (once, at start-up).

    Folium keeps asset URLs in class attributes; setting them here, before any map is
    built, means no request ever changes shared state. Safe to call again with the same URL.
    `published` gives the name a static file is served under (its content-hashed name).
    """
    base = static_url.rstrip("/") + "/vendor/"

    def url(path: str) -> str:
        return static_url.rstrip("/") + "/" + published("vendor/" + path)

    folium.Map.default_js = [("leaflet", url("leaflet/leaflet.js"))]
    folium.Map.default_css = [("leaflet_css", url("leaflet/leaflet.css"))]
    plugins.MarkerCluster.default_js = [
        ("markerclusterjs", url("leaflet.markercluster/leaflet.markercluster.js"))]
    plugins.MarkerCluster.default_css = [
        ("markerclustercss", url("leaflet.markercluster/MarkerCluster.css")),
        ("markerclusterdefaultcss", url("leaflet.markercluster/MarkerCluster.Default.css"))]
    plugins.Fullscreen.default_js = [
        ("Control.Fullscreen.js", url("leaflet.fullscreen/Control.FullScreen.js"))]
    plugins.Fullscreen.default_css = [
        ("Control.FullScreen.css", url("leaflet.fullscreen/Control.FullScreen.css"))]
    _local_assets["base"] = base
    # Leaflet finds its marker images through a stylesheet rule that names
    # marker-icon.png; under hashed names it cannot, so static/map.js is told them.
    _local_assets["icons"] = {
        "iconUrl": url("leaflet/images/marker-icon.png"),
        "iconRetinaUrl": url("leaflet/images/marker-icon-2x.png"),
        "shadowUrl": url("leaflet/images/marker-shadow.png"),
    }


def _marker_images(root: str) -> dict[str, str]:
    return {name: root + url for name, url in _local_assets.get("icons", {}).items()}


@lru_cache(maxsize=4)
def load_route(path: Path = ROUTE_PATH) -> tuple[tuple[float, float], ...]:
    """The North Canal line from the repository's GeoJSON, as (lat, lon) WGS-84 points."""
    return load_line(Path(path)).points


def route_features(line: CanalLine, tiles: Tiles) -> dict:
    """The line as folium draws it: one feature per segment, `schematic` telling the style.

    Only the id and `schematic` travel to the page; sources stay in the data file.
    """
    features = []
    for segment in line.segments:
        points = [wgs84_to_gcj02(*p) if tiles.gcj02 else p for p in segment.points]
        features.append({
            "type": "Feature", "id": segment.id,
            "properties": {"segment": segment.name, "schematic": segment.schematic},
            "geometry": {"type": "LineString",
                         "coordinates": [[round(lon, 6), round(lat, 6)] for lat, lon in points]}})
    return {"type": "FeatureCollection", "features": features}


def _route_style(feature: dict) -> dict:
    return ROUTE_SCHEMATIC_STYLE if feature["properties"]["schematic"] else ROUTE_STYLE


def _lang_root(root: str, lang: str) -> str:
    return root.rstrip("/") + links.prefix(lang)


def _position(site: Site, tiles: Tiles) -> tuple[float, float]:
    return wgs84_to_gcj02(site.lat, site.lon) if tiles.gcj02 else (site.lat, site.lon)


def site_data(catalog: Catalog, site: Site, lang: str, now: datetime | None,
              tiles: Tiles, root: str = "",
              is_holiday: opening.Holidays = opening.no_holidays) -> dict:
    """Everything static/map.js shows about one site (texts are plain text, never HTML)."""
    base = _lang_root(root, lang)
    lat, lon = _position(site, tiles)
    other = "en" if lang == "zh" else "zh"
    events = catalog.events_at(site.id)
    data = {
        "id": site.id,
        "name": site.name.get(lang),
        "altName": site.name.get(other),
        "area": catalog.areas[site.area].name.get(lang),
        "kind": site.kind.get(lang),
        "lat": round(lat, 6),
        "lon": round(lon, 6),
        "approximate": site.approximate,
        "precisionM": site.precision_m,
        "url": f"{base}/sites/{site.id}/",
        "feedUrl": f"{base}/feeds/sites/{site.id}.ics",
        "categories": sorted({c for e in events for c in e.categories}),
        # "Get there": https links only (map.js refuses anything else).
        "mapLinks": visit.map_links(site, lang),
        "booking": visit.booking_data(site.booking, lang),
    }
    if now is not None and site.opening_hours:
        found_hours = visit.site_hours(site, now, lang, is_holiday)
        if found_hours is not None:  # None only for a site without opening_hours
            data["hours"] = {"today": found_hours.today, "now": found_hours.now,
                             "windows": found_hours.windows}
    if now is not None:
        found = recurrence.upcoming(catalog, now, days=UPCOMING_DAYS, events=events)
        data["upcoming"] = [{
            "title": o.event.title.get(lang),
            "when": text.when(o, lang, "medium"),
            "date": o.day.isoformat(),
            "url": f"{base}/events/{o.event.id}/",
            "cancelled": o.cancelled,
            "bookingRequired": bool((b := visit.booking_of(catalog, o.event)) and b.required),
            **({"booking": visit.booking_data(b, lang)} if b and b.required else {}),
            # "Add to plan" for the day shown: a festival already running counts from today.
            "plan": f"{base}/plan/?add={o.event.id}@{max(o.day, now.date()).isoformat()}",
        } for o in found[:UPCOMING_PER_SITE]]
        data["more"] = len(found) > UPCOMING_PER_SITE
    return data


def _new_map(map_id: str, center, zoom: int, tiles: Tiles, line: CanalLine, labels):
    """The folium skeleton (map, tiles, route, fullscreen) with stable ids; and the route's name."""
    fmap = folium.Map(location=center, zoom_start=zoom, tiles=None, zoom_control=False,
                      control_scale=True)
    fmap._id = map_id
    layers = [folium.TileLayer(tiles.url, attr=tiles.attribution, max_zoom=tiles.max_zoom,
                               subdomains=tiles.subdomains, name="tiles", control=False)]
    if tiles.labels_url:
        layers.append(folium.TileLayer(tiles.labels_url, attr=tiles.attribution,
                                       max_zoom=tiles.max_zoom, subdomains=tiles.subdomains,
                                       name="labels", overlay=True, control=False))
    for number, layer in enumerate(layers):
        layer._id = f"{map_id}_tiles{number}"
        layer.add_to(fmap)
    route_layer = folium.GeoJson(route_features(line, tiles), style_function=_route_style,
                                 control=False, interactive=False)
    route_layer._id = f"{map_id}_route"
    route_layer.add_to(fmap)
    fullscreen = plugins.Fullscreen(position="topleft", title=labels["fullscreen"],
                                    title_cancel=labels["exitFullscreen"])
    fullscreen._id = f"{map_id}_fullscreen"
    fullscreen.add_to(fmap)
    return fmap, route_layer.get_name()


def _render(fmap: folium.Map, data: dict) -> MapParts:
    """Take folium's asset links, div and script out of its document; drop everything else."""
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.render()
    header = list(figure.header._children.values())
    css = tuple(c.url for c in header if isinstance(c, CssLink))
    js = tuple(c.url for c in header if isinstance(c, JavascriptLink))
    base = _local_assets.get("base")
    outside = [url for url in css + js if not base or not url.startswith(base)]
    if outside:
        raise RuntimeError(f"map assets not self-hosted (call use_local_assets first): {outside}")
    script = figure.script.render().strip()
    if "</script" in script.lower() or "<!--" in script:
        raise RuntimeError("folium's script would end its <script> element early")
    map_id = fmap.get_name()
    return MapParts(map_id=map_id, mode=data["mode"], css=css, js=js, html=figure.html.render().strip(),
                    script=script, data_id=f"{map_id}_data",
                    data_json=json_for_script(dict(data, mapId=map_id)))


def home_map(catalog: Catalog, lang: str, now: datetime, tiles: Tiles,
             labels: Mapping[str, str], root: str = "",
             is_holiday: opening.Holidays = opening.no_holidays) -> MapParts:
    """The home page map of every site, with each site's next occurrences as of `now`'s day.

    "Upcoming" is counted from the start of the local day, so the result is the same
    all day long and can be kept per (language, date).
    """
    day_start = midnight(now.astimezone(catalog.tz).date(), catalog.tz)
    line = load_line()
    lats, lons = [p[0] for p in line.points], [p[1] for p in line.points]
    center = (round((min(lats) + max(lats)) / 2, 6), round((min(lons) + max(lons)) / 2, 6))
    if tiles.gcj02:
        lat, lon = wgs84_to_gcj02(*center)
        center = (round(lat, 6), round(lon, 6))
    fmap, route_name = _new_map("home", center, 9, tiles, line, labels)
    cluster = plugins.MarkerCluster(control=False, show_coverage_on_hover=False,
                                    max_cluster_radius=40, disable_clustering_at_zoom=14)
    cluster._id = "home_sites"
    cluster.add_to(fmap)
    data = {
        "mode": "home",
        "lang": lang,
        "icons": _marker_images(root),
        "cluster": cluster.get_name(),
        "route": route_name,
        "schematicRoute": any(s.schematic for s in line.segments),
        "labels": dict(labels),
        "categories": [{"id": c.id, "name": c.name.get(lang)} for c in catalog.categories.values()],
        "hoursLabels": visit.hours_labels(lang),
        "sites": [site_data(catalog, s, lang, day_start, tiles, root, is_holiday)
                  for s in catalog.sites.values()],
    }
    return _render(fmap, data)


def site_map(catalog: Catalog, site_id: str, lang: str, tiles: Tiles,
             labels: Mapping[str, str], root: str = "", ends_at: str | None = None) -> MapParts:
    """A small map centred on one site (for /sites/<id>/); KeyError for an unknown id.

    `ends_at`: the site a boat trip or walk ends at, drawn as a second marker joined to
    the first by a dashed line (the event page of such a trip)."""
    site = catalog.sites[site_id]
    map_id = "site_" + site.id.replace("-", "_")
    fmap, route_name = _new_map(map_id, _position(site, tiles), 13, tiles, load_line(), labels)
    data = {
        "mode": "site",
        "lang": lang,
        "icons": _marker_images(root),
        "cluster": None,
        "route": route_name,
        "schematicRoute": any(s.schematic for s in load_line().segments),
        "labels": dict(labels),
        "categories": [],
        "sites": [site_data(catalog, site, lang, None, tiles, root)],
    }
    if ends_at:
        data["sites"].append(site_data(catalog, catalog.sites[ends_at], lang, None, tiles, root))
        data["endsAt"] = ends_at
    return _render(fmap, data)
