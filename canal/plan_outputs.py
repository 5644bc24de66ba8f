"""What a trip plan becomes besides its page: a calendar file and the data of its maps.

No Flask: views pass the plan, the catalog, the language, the revision ledger, the
tile settings and translated words, and get bytes or plain values back.
"""
from __future__ import annotations

from datetime import datetime

from . import ical, links
from .geo import wgs84_to_gcj02
from .maps import Tiles
from .model import Catalog
from .plan import Plan
from .revisions import EPOCH, Ledger


def plan_calendar(catalog: Catalog, plan: Plan, lang: str, ledger: Ledger,
                  name: str, description: str) -> tuple[bytes, datetime]:
    """The plan as iCalendar: one VEVENT per stop that takes place on its date.

    Each VEVENT is a single date (no RRULE) with the UID `<event-id>-<yyyymmdd>@<host>`,
    so the same stop always has the same UID and never collides with the series a
    subscriber may also have. Stops that do not occur on their date are left out;
    cancelled ones stay in, marked CANCELLED, so a calendar that had them updates.
    Returns the bytes and the newest Last-Modified of the events in it.
    """
    vevents, seen, stamps = [], set(), [EPOCH]
    for stop in plan.stops:
        visit = stop.visit
        if visit is None:
            continue
        uid_day = visit.day
        if (stop.event_id, uid_day) in seen:
            continue  # a timed event past midnight, chosen on both its days: one entry
        seen.add((stop.event_id, uid_day))
        event = visit.event
        revision = ledger.revision_of(event, catalog)
        stamps.append(revision.modified)
        vevents.append(ical.vevent_for(event, catalog, lang, revision, occurrence=visit))
    cal = ical.calendar(catalog, lang, vevents, name, description)
    return ical.serialize(cal), max(stamps)


def map_data(catalog: Catalog, plan: Plan, lang: str, tiles: Tiles, labels: dict,
             root: str = "") -> dict:
    """What static/plan.js draws: per day, the numbered stops in order, and the tiles to use.

    Texts are plain text (plan.js writes them with textContent); positions are WGS-84,
    or GCJ-02 when the tiles are Gaode's, whose pictures are drawn in that datum.
    """
    base = root.rstrip("/") + links.prefix(lang)
    days = []
    for day in plan.days:
        stops = []
        for number, stop in enumerate(day.stops, start=1):
            event = catalog.events[stop.event_id]
            site = catalog.sites[event.site]
            lat, lon = wgs84_to_gcj02(site.lat, site.lon) if tiles.gcj02 else (site.lat, site.lon)
            stops.append({
                "number": number,
                "title": event.title.get(lang),
                "site": site.name.get(lang),
                "lat": round(lat, 6),
                "lon": round(lon, 6),
                "url": f"{base}/events/{event.id}/",
                "happens": stop.happens,
            })
        days.append({"day": day.day.isoformat(), "stops": stops})
    return {
        "tiles": {"url": tiles.url, "attribution": tiles.attribution, "subdomains": tiles.subdomains,
                  "maxZoom": tiles.max_zoom, "labelsUrl": tiles.labels_url},
        "labels": dict(labels),
        "days": days,
    }
