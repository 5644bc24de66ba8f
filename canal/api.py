"""JSON for /api/events.json and GeoJSON for /api/sites.geojson. No Flask.

Field names and order are a promise to API users (documented in README.md):
add fields, never rename or remove them.
"""
from __future__ import annotations

from datetime import date, datetime

from . import links, visit
from .agenda import BadParameter, Filter, sites_along_canal
from .model import Catalog, Occurrence
from .route import load_line

VERSION = 1
# At most this many occurrences in one answer (about 700 KB); `offset` pages through the rest.
# The shipped content has about 300 a year, so a default request is answered whole.
MAX_LIMIT = 500


def _moment(value: date | datetime) -> str:
    return value.isoformat()


def occurrence_json(catalog: Catalog, occurrence: Occurrence, lang: str) -> dict:
    """One occurrence with its event, site, area and categories, in `lang`."""
    event = occurrence.event
    site = catalog.site_of(event)
    area = catalog.areas[site.area]
    return {
        "key": occurrence.key,
        "event": event.id,
        "title": event.title.get(lang),
        "start": _moment(occurrence.start),
        "end": _moment(occurrence.end),
        "all_day": event.all_day,
        "status": event.status,
        "site": {"id": site.id, "name": site.name.get(lang)},
        "area": {"id": area.id, "name": area.name.get(lang)},
        "categories": [{"id": c, "name": catalog.categories[c].name.get(lang)}
                       for c in event.categories],
        "price": event.price.get(lang) if event.price else None,
        "organiser": event.organiser.get(lang) if event.organiser else None,
        "url": links.event_url(catalog, lang, event.id),
        "source": event.source,
        # Issue 14: where a trip ends, where a moved event was, and how to book.
        "ends_at": ({"id": event.ends_at, "name": catalog.sites[event.ends_at].name.get(lang)}
                    if event.ends_at else None),
        "previous_start": _moment(event.previous_start) if event.previous_start else None,
        "booking": visit.booking_data(visit.booking_of(catalog, event), lang),
    }


def parse_slice(args) -> tuple[int, int]:
    """`offset` (0 or more, default 0) and `limit` (1 to MAX_LIMIT, default MAX_LIMIT)."""
    found = []
    for name, default, low in (("offset", 0, 0), ("limit", MAX_LIMIT, 1)):
        values = args.get(name) or []
        if len(values) > 1:
            raise BadParameter(name, values[0][:20], "single", count=len(values))
        text = values[0] if values else ""
        if not text:
            found.append(default)
            continue
        high = 100_000 if name == "offset" else MAX_LIMIT
        if not (text.isascii() and text.isdigit() and len(text) <= 6 and low <= int(text) <= high):
            raise BadParameter(name, text[:20], name, min=low, max=high)
        found.append(int(text))
    return found[0], found[1]


def events_json(catalog: Catalog, occurrences: list[Occurrence], chosen: Filter, lang: str,
                offset: int = 0, limit: int = MAX_LIMIT, next_url: str | None = None) -> dict:
    """The API answer: the filter that was applied and the matching occurrences, at most
    `limit` of them from `offset` on; `total` counts them all, `next` links the rest."""
    shown = occurrences[offset:offset + limit]
    return {
        "version": VERSION,
        "language": lang,
        "timezone": catalog.tz.key,
        "filters": {
            "area": list(chosen.areas),
            "site": list(chosen.sites),
            "category": list(chosen.categories),
            "from": chosen.start.isoformat() if chosen.start else None,
            "to": chosen.end.isoformat() if chosen.end else None,
            "q": chosen.q,
        },
        "count": len(shown),
        "occurrences": [occurrence_json(catalog, o, lang) for o in shown],
        "total": len(occurrences),
        "offset": offset,
        "limit": limit,
        "next": next_url if offset + limit < len(occurrences) else None,
    }


def sites_geojson(catalog: Catalog, lang: str) -> dict:
    """Every site as a GeoJSON Point Feature ([lon, lat], WGS-84), north to south, with
    the licence (ODbL 1.0) and attribution of the OpenStreetMap-derived data."""
    features = []
    for area_id, sites in sites_along_canal(catalog):
        for site in sites:
            features.append({
                "type": "Feature",
                "id": site.id,
                "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
                "properties": {
                    "id": site.id,
                    "name": site.name.get(lang),
                    "kind": site.kind.get(lang),
                    "area": area_id,
                    "area_name": catalog.areas[area_id].name.get(lang),
                    "precision_m": site.precision_m,
                    "approximate": site.approximate,
                    "url": links.site_url(catalog, lang, site.id),
                    "feed": links.absolute(catalog, lang, f"/feeds/sites/{site.id}.ics"),
                    "events": len(catalog.events_at(site.id)),
                    "position_source": site.position_source,
                },
            })
    # Positions are partly read from OpenStreetMap and shown on its derived canal line:
    # the collection carries the same licence and credit as data/north-canal.geojson.
    line = load_line()
    return {"type": "FeatureCollection", "license": line.license, "license_url": line.license_url,
            "attribution": line.attribution, "attribution_url": line.attribution_url,
            "features": features}


def holidays_json(catalog: Catalog, lang: str) -> dict:
    """China's public holidays as announced, by year, with each year's notice (source).

    Only announced years are listed (`years`); a date in any other year is not known to
    be a holiday or a working day, and clients should not guess."""
    known = catalog.holidays
    return {
        "version": VERSION,
        "years": [{
            "year": year,
            "source": known.sources[year],
            "holidays": [{
                "id": holiday.id,
                "name": holiday.name.get(lang),
                "name_zh": holiday.name.zh,
                "start": holiday.start.isoformat(),
                "end": holiday.end.isoformat(),
                "days": len(holiday.days()),
                "workdays": [day.isoformat() for day in holiday.workdays],
            } for holiday in known.of_year(year)],
        } for year in known.years()],
    }
