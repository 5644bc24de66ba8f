"""Links that put our feeds and events into people's calendar apps (no Flask).

Subscriptions: webcal:// (Apple, Outlook desktop, Thunderbird), the https URL to
paste anywhere, Google's add-by-URL and Outlook.com's add-from-web pages.
Single events: the .ics download, Google's event template and Outlook.com's
compose deeplink. Neither web template can express EXDATE, and Outlook's cannot
repeat at all, so for such recurring events only the .ics is offered.
"""
from __future__ import annotations

from urllib.parse import quote, urlencode

from . import ical
from .model import Catalog, Event

# Google Calendar's one address both for subscribing (cid=) and for adding an event (action=TEMPLATE).
GOOGLE_RENDER = "https://calendar.google.com/calendar/render"
OUTLOOK_SUBSCRIBE = "https://outlook.live.com/calendar/0/addfromweb"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"


def _query(params: dict) -> str:
    return urlencode(params, quote_via=quote)


def subscribe(https: str, title: str) -> dict:
    """Links to subscribe to the feed at the URL `https` (e.g. https://…/feeds/all.ics)."""
    webcal = "webcal://" + https.split("://", 1)[1]
    return {
        "https": https,
        "webcal": webcal,
        # Google reads only the cid (kept readable); it fetches the feed itself over https.
        "google": f"{GOOGLE_RENDER}?cid={quote(webcal, safe=':/')}",
        "outlook": f"{OUTLOOK_SUBSCRIBE}?{_query({'url': https, 'name': title})}",
    }


def _google_dates(event: Event) -> str:
    if event.all_day:
        return f"{event.start:%Y%m%d}/{event.when.exclusive_end:%Y%m%d}"
    # Local wall-clock times, read in `ctz`.
    return f"{event.start:%Y%m%dT%H%M%S}/{event.end:%Y%m%dT%H%M%S}"


def google_template(catalog: Catalog, event: Event, lang: str) -> str | None:
    """Google Calendar's "add event" page, or None when the event has skipped dates."""
    if event.except_dates or (event.rule is not None and event.rule.calendar != "GREGORIAN"):
        # Google would read an RSCALE rule as Gregorian (lunar-notes.md): .ics only.
        return None
    params = {
        "action": "TEMPLATE",
        "text": event.title.get(lang),
        "dates": _google_dates(event),
        "ctz": catalog.tz.key,
        "details": ical.description_text(catalog, event, lang),
        "location": ical.location_text(catalog, event, lang),
    }
    if event.recurring:
        params["recur"] = "RRULE:" + ical.rrule_text(event, catalog)
    return f"{GOOGLE_RENDER}?{_query(params)}"


def outlook_compose(catalog: Catalog, event: Event, lang: str) -> str | None:
    """Outlook.com's new-event page for a one-off event; None for recurring ones."""
    if event.recurring:
        return None
    start, end = event.start.isoformat(), event.when.exclusive_end.isoformat()
    params = {
        "subject": event.title.get(lang),
        "startdt": start,
        "enddt": end,
        "allday": "true" if event.all_day else "false",
        "location": ical.location_text(catalog, event, lang),
        "body": ical.description_text(catalog, event, lang),
        "path": "/calendar/action/compose",
        "rru": "addevent",
    }
    return f"{OUTLOOK_COMPOSE}?{_query(params)}"


def add_event(catalog: Catalog, event: Event, lang: str) -> dict:
    """The .ics path and the Google / Outlook links (None where they cannot be exact)."""
    return {
        "ics": ical.feed_path("events", event.id, lang),
        "google": google_template(catalog, event, lang),
        "outlook": outlook_compose(catalog, event, lang),
        "recurring": event.recurring,
    }
