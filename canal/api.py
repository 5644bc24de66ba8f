"""JSON for /api/events.json and GeoJSON for /api/sites.geojson. No Flask.

Field names and order are a promise to API users (documented in README.md):
add fields, never rename or remove them.
"""
from __future__ import annotations

from datetime import date, datetime

from . import links
from .agenda import Filter, sites_along_canal
from .model import Catalog, Occurrence

VERSION = 1


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
    }


def events_json(catalog: Catalog, occurrences: list[Occurrence], chosen: Filter, lang: str) -> dict:
    """The API answer: the filter that was applied and the matching occurrences."""
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
        "count": len(occurrences),
        "occurrences": [occurrence_json(catalog, o, lang) for o in occurrences],
    }


def sites_geojson(catalog: Catalog, lang: str) -> dict:
    """Every site as a GeoJSON Point Feature ([lon, lat], WGS-84), north to south."""
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
                },
            })
    return {"type": "FeatureCollection", "features": features}


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
