"""Template helpers for visiting a site: hours, "open now", map-app links, booking.

Public holidays: `app.extensions["canal_holidays"]` is a `day -> bool` callable, by
default the catalog's announced holidays (events.holidays.toml, canal.holidays): a `PH`
rule in opening hours applies on exactly those days, and on none in a year not announced.
"""
from __future__ import annotations

from flask import Flask, current_app

from .. import hours, navigation, visit
from ..safejson import json_for_script
from .current import now
from .language import current_lang


def holidays() -> hours.Holidays:
    return current_app.extensions.get("canal_holidays", hours.no_holidays)


def site_hours(site):
    """The site's hours as of now, in the page's language (None without opening_hours)."""
    return visit.site_hours(site, now(), current_lang(), holidays())


def map_links(site, entrance=None):
    """The six "Get there" links for a site (or one of its entrances)."""
    if entrance is not None:
        return navigation.links_for(entrance.lat, entrance.lon,
                                    f"{site.name.zh} {entrance.name.zh}",
                                    site.address.zh if site.address else None, current_lang())
    return navigation.site_links(site, current_lang())


def hours_json(info) -> str:
    """The open periods and phrases static/visit.js needs, as JSON for a data attribute."""
    return json_for_script({"windows": info.windows, "labels": visit.hours_labels(current_lang())})


def init_app(app: Flask) -> None:
    known = app.extensions["canal_catalog"].holidays
    app.extensions.setdefault("canal_holidays", lambda day: known.holiday(day) is not None)
    app.add_template_global(site_hours, "site_hours")
    app.add_template_global(map_links, "map_links")
    app.add_template_global(hours_json, "hours_json")
    app.add_template_global(lambda event: visit.booking_of(app.extensions["canal_catalog"], event),
                            "booking_of")
    app.add_template_global(visit.tel_href, "tel_href")
    app.add_template_global(lambda site: visit.accessibility_lines(site, current_lang()),
                            "accessibility_lines")
    app.add_template_global(visit.driver_text, "driver_text")
