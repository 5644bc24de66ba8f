"""Machine-readable outputs: the Atom feed, the JSON API and the sites' GeoJSON."""
from __future__ import annotations

import json
from datetime import datetime

from flask import Response, current_app, request

from .. import agenda, api, atom
from ..revisions import EPOCH
from .http import cached_page
from .language import catalog, current_lang, localized, now
from .pages import bp

def _json(data, mimetype: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=1)
    response = Response(body, mimetype=mimetype)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def content_updated() -> datetime:
    """When the content last changed, from the revision ledger (the same for every server)."""
    ledger = current_app.extensions["canal_feeds"].ledger
    return max((ledger.revision_of(e, catalog()).modified for e in catalog().events.values()),
               default=EPOCH)


@localized(bp, "/feeds/events.atom")
@cached_page
def events_atom():
    """Upcoming events as Atom 1.0."""
    body = atom.feed(catalog(), agenda.find(catalog(), agenda.Filter(), now()),
                     current_lang(), content_updated())
    response = Response(body, mimetype="application/atom+xml")
    return response


@localized(bp, "/api/events.json")
@cached_page
def events_json():
    """Occurrences as JSON, with the same filters as /events/ (no pagination)."""
    chosen = agenda.parse_filter(request.args.to_dict(flat=False), catalog())
    found = agenda.find(catalog(), chosen, now())
    return _json(api.events_json(catalog(), found, chosen, current_lang()), "application/json")


@localized(bp, "/api/sites.geojson")
@cached_page
def sites_geojson():
    """Every site as GeoJSON."""
    return _json(api.sites_geojson(catalog(), current_lang()), "application/geo+json")


@localized(bp, "/api/holidays.json")
@cached_page
def holidays_json():
    """China's public holidays and make-up working days, from the State Council notices."""
    return _json(api.holidays_json(catalog(), current_lang()), "application/json")
