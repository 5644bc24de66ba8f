"""Canal sites: /sites/ (by area, north to south) and /sites/<id>/."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from .. import agenda, jsonld, recurrence
from .current import catalog, now
from .http import cached_page
from .language import current_lang, localized

bp = Blueprint("sites", __name__)

SITE_UPCOMING_LIMIT = 30


@localized(bp, "/sites/")
@cached_page
def sites():
    """Every site, grouped by area, in order along the canal."""
    return render_template("sites.html", groups=agenda.sites_along_canal(catalog()))


@localized(bp, "/sites/<site_id>/")
@cached_page
def site(site_id: str):
    """One site: description, map, upcoming events and its feed."""
    found = catalog().sites.get(site_id)
    if found is None:
        abort(404)
    moment = now()
    coming = recurrence.upcoming(catalog(), moment, events=catalog().events_at(site_id))
    return render_template(
        "site.html",
        site=found,
        area=catalog().areas[found.area],
        by_day=agenda.by_day(coming[:SITE_UPCOMING_LIMIT], moment.date()),
        more=max(0, len(coming) - SITE_UPCOMING_LIMIT),
        today=moment.date(),
        jsonld=jsonld.script_json(jsonld.place_object(catalog(), found, current_lang(), moment.date())),
    )
