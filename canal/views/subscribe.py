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

from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, url_for

from .. import calendar_links, ical, qr, recurrence
from ..useragent import PATTERN, in_app_browser
from .current import canonical_url, catalog, now
from .http import cached_page
from .language import current_lang, localized

bp = Blueprint("subscribe", __name__)

# One row per feed kind: the subscribe page's rule and endpoint, the feed's endpoint, and
# the page listing what the feed holds (endpoint, and the argument the feed's id goes in).
PAGES = (
    ("all", "/subscribe/", "all_events", "feeds.all_events", "events.events", None),
    ("areas", "/subscribe/areas/<id>/", "area", "feeds.area", "events.events", "area"),
    ("sites", "/subscribe/sites/<id>/", "site", "feeds.site", "sites.site", "site_id"),
    ("categories", "/subscribe/categories/<id>/", "category", "feeds.category", "events.events", "category"),
    ("events", "/subscribe/events/<id>/", "event", "feeds.event", "events.event", "event_id"),
)
# Feed kind -> (feed endpoint, subscribe endpoint).
ENDPOINTS = {kind: (feed, f"subscribe.{name}") for kind, _, name, feed, _, _ in PAGES}
FEED_KINDS = {feed: kind for kind, (feed, _) in ENDPOINTS.items()}
ABOUT = {kind: (endpoint, argument) for kind, _, _, _, endpoint, argument in PAGES}


def _in_app() -> str | None:
    return in_app_browser(request.headers.get("User-Agent"))


def _about_url(kind: str, id: str | None) -> str:
    """The page listing what the feed holds."""
    endpoint, argument = ABOUT[kind]
    values: dict[str, Any] = {argument: id} if argument else {}
    return url_for(endpoint, **values)


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


def _subscribe_page(kind: str, name: str):
    """The view of one kind's subscribe page (the same page for every kind, as the feeds are)."""
    def view(id: str | None = None):
        return _page(kind, id)
    view.__name__ = name
    return view


for _kind, _rule, _name, *_ in PAGES:
    localized(bp, _rule)(cached_page(vary=_in_app)(_subscribe_page(_kind, _name)))


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
