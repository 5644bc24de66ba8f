"""iCalendar feeds over HTTP, and the template helpers for subscribe / add-to-calendar links.

Each feed is built once per catalog and language (canal.ical.FeedCache, created when
the blueprint is registered) and then served with strong validators, so polling
clients mostly get a 304.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request

from .. import calendar_links, ical, revisions
from ..model import Event
from ..settings import StartupProblem
from .current import canonical_url, catalog, now
from .http import conditional
from .language import current_lang, localized

bp = Blueprint("feeds", __name__)

FEED_MAX_AGE = 3600


@bp.record_once
def _keep_feeds(state) -> None:
    """Read the revision ledger at start-up; a broken ledger stops the app, not a request."""
    app = state.app
    settings = app.extensions["canal_settings"]
    try:
        ledger = revisions.read(settings.revisions)
    except revisions.LedgerError as err:
        raise StartupProblem(f"{err}\nRun: flask --app app canal revisions {settings.events}") from None
    app.extensions["canal_feeds"] = ical.FeedCache(app.extensions["canal_catalog"], ledger,
                                                   settings.feed_window_days)


def _serve(kind: str, id: str | None = None) -> Response:
    try:
        # The year moves lunar events' horizon (ical.HORIZON_YEARS); the local date, the
        # feed window (canal.feedwindow): now() is in the catalog's zone, so Beijing's date.
        moment = now()
        feed = current_app.extensions["canal_feeds"].get(current_lang(), kind, id, moment.year,
                                                         today=moment.date())
    except KeyError:
        abort(404)
    return conditional(feed.body, "text/calendar", feed.last_modified, max_age=FEED_MAX_AGE,
                       etag=feed.etag,
                       headers={"Content-Disposition": f'inline; filename="{feed.filename}"'})


@localized(bp, "/feeds/all.ics")
def all_events():
    """Every event."""
    return _serve("all")


@localized(bp, "/feeds/areas/<id>.ics")
def area(id: str):
    """The events of one area (tongzhou, wuqing, langfang)."""
    return _serve("areas", id)


@localized(bp, "/feeds/sites/<id>.ics")
def site(id: str):
    """The events at one canal site."""
    return _serve("sites", id)


@localized(bp, "/feeds/categories/<id>.ics")
def category(id: str):
    """The events of one category."""
    return _serve("categories", id)


@localized(bp, "/events/<id>.ics")
def event(id: str):
    """One event (the series, with its RRULE)."""
    return _serve("events", id)


@bp.app_template_global()
def subscribe_links(feed_path: str, title: str) -> dict:
    """webcal / https / Google / Outlook links for a feed path from url_for."""
    return calendar_links.subscribe(canonical_url(feed_path), title)


@bp.app_template_global()
def add_to_calendar_links(event: Event) -> dict:
    """.ics / Google / Outlook links to add one event to a calendar, in the page's language."""
    links = calendar_links.add_event(catalog(), event, current_lang())
    # Under a path prefix (a sub-folder deployment or export) the file sits below it too.
    return {**links, "ics": request.script_root + links["ics"]}
