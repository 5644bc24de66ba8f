"""A subscribe page per calendar feed: /subscribe/… mirrors /feeds/… (and /events/<id>.ics).

| page | feed |
| --- | --- |
| /subscribe/ | /feeds/all.ics |
| /subscribe/areas/<id>/ | /feeds/areas/<id>.ics |
| /subscribe/sites/<id>/ | /feeds/sites/<id>.ics |
| /subscribe/categories/<id>/ | /feeds/categories/<id>.ics |
| /subscribe/events/<id>/ | /events/<id>.ics |

Made for phones: the https and webcal addresses with copy buttons, a QR code of the
https address, steps per calendar app, and inside WeChat or another app's built-in
browser (which will not open webcal: links), first how to open the page in the system
browser.
"""
from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for

from .. import calendar_links, ical, qr, recurrence
from ..useragent import PATTERN, in_app_browser
from .http import cached_page
from .current import canonical_url, catalog, now
from .language import current_lang, localized

from flask import Blueprint

bp = Blueprint("subscribe", __name__)

# Feed kind -> (feed endpoint, subscribe endpoint).
ENDPOINTS = {
    "all": ("feeds.all_events", "subscribe.all_events"),
    "areas": ("feeds.area", "subscribe.area"),
    "sites": ("feeds.site", "subscribe.site"),
    "categories": ("feeds.category", "subscribe.category"),
    "events": ("feeds.event", "subscribe.event"),
}
FEED_KINDS = {feed: kind for kind, (feed, _) in ENDPOINTS.items()}


def _in_app() -> str | None:
    return in_app_browser(request.headers.get("User-Agent"))


def _about_url(kind: str, id: str | None) -> str:
    """The page listing what the feed holds."""
    if kind == "sites":
        return url_for("sites.site", site_id=id)
    if kind == "events":
        return url_for("events.event", event_id=id)
    if kind == "areas":
        return url_for("events.events", area=id)
    if kind == "categories":
        return url_for("events.events", category=id)
    return url_for("events.events")


def _page(kind: str, id: str | None = None):
    try:
        selection = ical.select(catalog(), kind, id)
    except KeyError:
        abort(404)
    lang = current_lang()
    feed_endpoint = ENDPOINTS[kind][0]
    feed_path = url_for(feed_endpoint, id=id) if id is not None else url_for(feed_endpoint)
    name = ical.calendar_name(catalog(), selection, lang)
    links = calendar_links.subscribe(canonical_url(feed_path), name)
    coming = recurrence.upcoming(catalog(), now(), events=selection.events)
    return render_template(
        "subscribe.html",
        kind=kind,
        name=name,
        links=links,
        ics_path=feed_path,
        ics_filename=feed_path.rsplit("/", 1)[-1],
        qr=qr.svg(links["https"]),
        upcoming=len(coming),
        about_url=_about_url(kind, id),
        in_app=_in_app(),
        in_app_pattern=PATTERN,
        static_export=bool(current_app.config.get("CANAL_STATIC_EXPORT")),
    )


@localized(bp, "/subscribe/")
@cached_page(vary=_in_app)
def all_events():
    """Subscribe to every event."""
    return _page("all")


@localized(bp, "/subscribe/areas/<id>/")
@cached_page(vary=_in_app)
def area(id: str):
    """Subscribe to one area's events."""
    return _page("areas", id)


@localized(bp, "/subscribe/sites/<id>/")
@cached_page(vary=_in_app)
def site(id: str):
    """Subscribe to one canal site's events."""
    return _page("sites", id)


@localized(bp, "/subscribe/categories/<id>/")
@cached_page(vary=_in_app)
def category(id: str):
    """Subscribe to one category's events."""
    return _page("categories", id)


@localized(bp, "/subscribe/events/<id>/")
@cached_page(vary=_in_app)
def event(id: str):
    """Subscribe to one event's series (updates when its dates change)."""
    return _page("events", id)


@bp.app_template_global()
def subscribe_page_for(feed_path: str) -> str | None:
    """The subscribe page of a feed path from url_for (e.g. /en/feeds/sites/x.ics)."""
    root = request.script_root
    path = feed_path[len(root):] if root and feed_path.startswith(root + "/") else feed_path
    try:
        endpoint, args = current_app.url_map.bind("").match(path, method="GET")
    except Exception:  # noqa: BLE001 - werkzeug raises NotFound / RequestRedirect here
        return None
    kind = FEED_KINDS.get(endpoint)
    if kind is None:
        return None
    return url_for(ENDPOINTS[kind][1], **args)
