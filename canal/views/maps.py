"""The map on pages: built once per (language, day), kept in app.extensions, never per request.

Templates call `home_map()` / `canal_site_map(site_id)` (template globals) and hand the
result to the macros in templates/_map.html and templates/_site_map.html.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask, current_app, request
from flask_babel import gettext as _

from .. import hours, links, maps
from ..route import load_line
from ..settings import StartupProblem
from ..text import punctuation
from .current import catalog, now
from .language import current_lang
from .security import allow_inline_script


def map_labels() -> dict[str, str]:
    """Interface words static/map.js shows, in the current language."""
    return {
        "fullscreen": _("Show the map full screen"),
        "exitFullscreen": _("Leave full screen"),
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "layers": _("Choose what the map shows"),
        "routeLayer": _("North Canal"),
        "route": _("North Canal (traced from OpenStreetMap)"),
        "routeSchematic": _("North Canal, approximate (schematic, ±1–2 km)"),
        "routeAttribution": _("Canal line © OpenStreetMap contributors (ODbL)"),
        "otherSites": _("Sites without events"),
        "search": _("Search sites"),
        "searchHint": _("Name in Chinese or English"),
        "noResults": _("No site has that name."),
        "legend": _("Legend"),
        "site": _("Canal site"),
        "approximate": _("Approximate location"),
        "km": _("km"),
        "cluster": _("{count} sites here: zoom in"),
        "upcoming": _("Coming up"),
        "noUpcoming": _("No upcoming events."),
        "cancelled": _("Cancelled"),
        "addToPlan": _("Add to plan"),
        "sitePage": _("About this site and all its events"),
        "feed": _("Subscribe to this site's events (calendar feed)"),
        "close": _("Close"),
        "twoFingers": _("Use two fingers to move the map"),
        "showMap": _("Show the map"),
        "getThere": _("Get there"),
        "bookingRequired": _("Booking required"),
        "bookByPhone": _("By phone:"),
        "bookOnline": _("Book online"),
        "miniprogram": _("WeChat mini-program:"),
        **punctuation(current_lang()),
    }


def canal_line_has_schematic_reach() -> bool:
    """Whether part of the canal line is still a schematic (the map credit says so)."""
    return any(segment.schematic for segment in load_line().segments)


def lang_root() -> str:
    """The path prefix of the current language: '' for Chinese, '/en' for English."""
    return request.script_root + links.prefix(current_lang())


class MapCache:
    """Rendered maps keyed by (what, language); an entry is good for one local day."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parts: dict[tuple, tuple] = {}

    def get(self, key: tuple, day, build: Callable[[], maps.MapParts]) -> maps.MapParts:
        found = self._parts.get(key)
        if found and found[0] == day:
            return found[1]
        with self._lock:
            found = self._parts.get(key)
            if not found or found[0] != day:
                found = (day, build())
                self._parts[key] = found
            return found[1]


def _tiles() -> maps.Tiles:
    return current_app.extensions["canal_tiles"][current_lang()]


def home_map() -> maps.MapParts:
    """The home page map for the current language and today."""
    lang, moment = current_lang(), now()
    return _allowed(current_app.extensions["canal_maps"].get(
        ("home", lang, request.script_root), moment.date(),
        lambda: maps.home_map(catalog(), lang, moment, _tiles(), map_labels(), request.script_root,
                              current_app.extensions.get("canal_holidays", hours.no_holidays))))


def site_map(site_id: str, ends_at: str | None = None) -> maps.MapParts:
    """The small map centred on one site (KeyError for an unknown id: check before calling);
    with `ends_at`, also the site where a trip from it ends."""
    lang = current_lang()
    return _allowed(current_app.extensions["canal_maps"].get(
        ("site", lang, site_id, request.script_root, ends_at), None,
        lambda: maps.site_map(catalog(), site_id, lang, _tiles(), map_labels(), request.script_root,
                              ends_at)))


def _allowed(parts: maps.MapParts) -> maps.MapParts:
    # folium's generated script is the page's one inline script: let exactly it run.
    allow_inline_script(parts.script)
    return parts


def init_app(app: Flask) -> None:
    """Check the tile settings, point folium at our static files, expose the map to templates."""
    settings = app.extensions["canal_settings"]
    try:
        app.extensions["canal_tiles"] = {lang: maps.tiles_for(settings.tiles, lang, settings.tianditu_key)
                                         for lang in ("zh", "en")}
    except ValueError as err:
        # Bad settings stop start-up with a clear message rather than break every page.
        raise StartupProblem(f"Map configuration: {err}") from None
    try:  # read once now: a broken line file stops start-up, never a page
        load_line()
    except ValueError as err:
        raise StartupProblem(f"Canal line: {err}") from None
    suffix = app.extensions["canal_tiles"]["zh"].host_suffix
    app.config["CSP_IMAGE_HOSTS"] = (f"https://*.{suffix}", f"https://{suffix}")
    maps.use_local_assets(app.static_url_path or "/static", app.extensions["canal_assets"].url_name)
    app.extensions["canal_maps"] = MapCache()
    app.add_template_global(home_map, "home_map")
    app.add_template_global(site_map, "canal_site_map")
    app.add_template_global(lang_root, "lang_root")
    app.add_template_global(canal_line_has_schematic_reach, "canal_line_has_schematic_reach")
