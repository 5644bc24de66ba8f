"""schema.org `Event` JSON-LD for an event page, following Google's event guidelines.

One `Event` object per upcoming occurrence (Google wants one per date). `script_json`
escapes the JSON so that no text in the content can close the <script> block.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from . import hours, links
from .model import Catalog, Event, Occurrence
from .safejson import json_for_script

STATUS = {"confirmed": "https://schema.org/EventScheduled",
          "cancelled": "https://schema.org/EventCancelled",
          "postponed": "https://schema.org/EventPostponed",
          "rescheduled": "https://schema.org/EventRescheduled"}
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"
FREE_MARKERS = ("免费", "free")
# Google lists dates, not a whole season: a handful of upcoming ones is plenty.
MAX_OCCURRENCES = 10


def _moment(value: date | datetime) -> str:
    """ISO 8601; timed values keep their +08:00 offset, as Google requires."""
    return value.isoformat()


def _place(catalog: Catalog, event: Event, lang: str) -> dict:
    site = catalog.site_of(event)
    area = catalog.areas[site.area]
    address = {
        "@type": "PostalAddress",
        "streetAddress": (site.address or site.name).get(lang),
        "addressLocality": area.name.get(lang),
        "addressCountry": "CN",
    }
    return {
        "@type": "Place",
        "name": site.name.get(lang),
        "address": address,
        "geo": {"@type": "GeoCoordinates", "latitude": site.lat, "longitude": site.lon},
    }


def place_object(catalog: Catalog, site, lang: str, today: date) -> dict:
    """schema.org Place for a site page, with its opening hours (the week of `today`)."""
    area = catalog.areas[site.area]
    place = {
        "@context": "https://schema.org",
        "@type": "Place",
        "name": site.name.get(lang),
        "url": links.site_url(catalog, lang, site.id),
        "address": {"@type": "PostalAddress",
                    "streetAddress": (site.address or site.name).get(lang),
                    "addressLocality": area.name.get(lang), "addressCountry": "CN"},
        "geo": {"@type": "GeoCoordinates", "latitude": site.lat, "longitude": site.lon},
    }
    if site.phone:
        place["telephone"] = site.phone
    if site.opening_hours:
        monday = today - timedelta(days=today.weekday())
        place["openingHoursSpecification"] = hours.opening_hours_specification(site.opening_hours, monday)
    if site.accessibility and site.accessibility.value("wheelchair"):
        place["amenityFeature"] = [{"@type": "LocationFeatureSpecification",
                                    "name": "wheelchair", "value": site.accessibility.value("wheelchair") != "no"}]
    return place


# A price text is free when the Chinese text (required, so the same answer in both
# languages) starts with 免费 and names no charge: "免费，部分项目收费" is not free.
PAID_MARKERS = ("收费", "购票", "票价", "另付", "元", "¥", "￥")
IN_STOCK = "https://schema.org/InStock"


def is_free(event: Event) -> bool:
    """Whether the price text says entry is free (the only price we can state as a number)."""
    text = event.price.zh if event.price is not None else ""
    return text.startswith(FREE_MARKERS[0]) and not any(marker in text for marker in PAID_MARKERS)


def _offers(event: Event, lang: str, url: str) -> dict | None:
    booking = event.booking
    if event.price is None and not (booking and booking.url):
        return None
    offer = {"@type": "Offer", "url": (booking.url if booking and booking.url else None) or event.url or url}
    if event.price is None:
        return offer
    offer["description"] = event.price.get(lang)
    # Prices are free text: only "free" can be turned into a number honestly; any other
    # price is left out rather than guessed.
    if is_free(event):
        offer.update(price="0", priceCurrency="CNY")
        # Free and no booking needed: anyone may come, so the offer is available. Where
        # places are booked or tickets sold we do not know what is left, so nothing is said.
        if not event.cancelled and not (booking and booking.required):
            offer["availability"] = IN_STOCK
    return offer


def event_objects(catalog: Catalog, event: Event, occurrences: list[Occurrence], lang: str,
                  images: list[str] | tuple[str, ...] = ()) -> list[dict]:
    """One schema.org Event per occurrence (at most MAX_OCCURRENCES); `images`: absolute
    URLs of the event's share images (16:9-ish and 1:1, as Google asks for several ratios)."""
    url = links.event_url(catalog, lang, event.id)
    found = []
    for occurrence in occurrences[:MAX_OCCURRENCES]:
        item: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title.get(lang),
            "startDate": _moment(occurrence.start),
            "endDate": _moment(occurrence.end),
            "eventStatus": STATUS[event.status],
            "eventAttendanceMode": OFFLINE,
            "location": _place(catalog, event, lang),
            "url": url,
        }
        # The language of the text in this object (a missing English text falls back to
        # Chinese); what language is spoken at the event itself is not recorded.
        item["inLanguage"] = "en" if lang == "en" and event.title.en else "zh-Hans"
        if event.previous_start is not None:
            item["previousStartDate"] = _moment(event.previous_start)
        if images:
            item["image"] = list(images)
        if event.description:
            item["description"] = event.description.get(lang)
        if event.organiser:
            item["organizer"] = {"@type": "Organization", "name": event.organiser.get(lang)}
            if event.url:
                item["organizer"]["url"] = event.url
        offers = _offers(event, lang, url)
        if offers:
            item["offers"] = offers
        found.append(item)
    return found


def script_json(data) -> str:
    """JSON-LD text safe inside <script> (see safejson)."""
    return json_for_script(data, indent=1)
