"""Machine-readable outputs: the Atom feed, the JSON API and the sites' GeoJSON."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for

from .. import agenda, api, atom
from ..revisions import EPOCH
from ..safejson import json_for_script
from .current import canonical_url, catalog, now
from .http import cached_page, occurrence_index, page_parameters
from .language import current_lang, localized

bp = Blueprint("api", __name__)


def _json(data, mimetype: str) -> Response:
    # As json.dumps(indent=1), with <, > and & \u-escaped: the same JSON to every parser,
    # and a `q` of markup is never sent back as markup.
    body = json_for_script(data, indent=1)
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
    body = atom.feed(catalog(), agenda.find(catalog(), agenda.Filter(), now(), occurrence_index()),
                     current_lang(), content_updated())
    response = Response(body, mimetype="application/atom+xml")
    return response


@localized(bp, "/api/events.json")
@cached_page(params=(*agenda.FILTER_PARAMETERS, "offset", "limit"))
def events_json():
    """Occurrences as JSON, with the same filters as /events/; `offset`/`limit` page it."""
    args = request.args.to_dict(flat=False)
    chosen = agenda.parse_filter(args, catalog())
    offset, limit = api.parse_slice(args)
    found = agenda.find(catalog(), chosen, now(), occurrence_index())
    # Only the parameters that make the answer: junk ones would make two answers of one key.
    following: dict[str, Any] = {name: values for name, values in args.items() if name in page_parameters()}
    following["offset"] = [str(offset + limit)]
    next_url = canonical_url(url_for("api.events_json", **following))
    return _json(api.events_json(catalog(), found, chosen, current_lang(), offset, limit, next_url),
                 "application/json")


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
