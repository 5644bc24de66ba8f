"""The visitor's trip plan: /plan/ (the page) and /plan.ics (its calendar file).

The plan lives in the query string (`o=<event-id>@<yyyy-mm-dd>,…`). Plan pages are kept in
a cache of their own, keyed by the normalised plan (its clean keys and notices), so that
other spellings of the same plan and junk parameters are not rendered again. `add=` items
come from "add to plan" links on cached pages, which cannot know the visitor's plan;
static/plan.js merges them with
the plan saved in the browser.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext as _

from .. import calendar_links
from .. import plan as trip
from ..agenda import BadParameter
from ..model import FIRST_YEAR, LAST_YEAR, Occurrence
from ..plan_outputs import map_data, plan_calendar
from ..safejson import json_for_script
from ..text import punctuation
from .current import canonical_url, catalog, now, settings
from .http import RenderCache, conditional, etag_of, occurrence_index, page_last_modified, reads, this_hour
from .language import current_lang, localized
from .security import inline_script_hashes

bp = Blueprint("plan", __name__)

# Fifty keys of the longest ids fit easily; longer text cannot be a plan, only load.
MAX_QUERY_CHARS = 8000
NOTICES_SHOWN = 20
NEARBY_SHOWN = 10
MAX_AGE = 600
PLAN_CACHE_BYTES = 16 * 1024 * 1024


def _values() -> tuple[list[str], list[str]]:
    """The raw `o` and `add` values; BadParameter when they are too long to be a plan."""
    values, added = request.args.getlist("o"), request.args.getlist("add")
    length = sum(len(v) for v in values + added)
    if length > MAX_QUERY_CHARS:
        name = "o" if values else "add"
        raise BadParameter(name, (values or added)[0][:60] + "…", "plan")
    return values, added


def _expected() -> str:
    return _("a list of at most %(max)s items written event-id@YYYY-MM-DD, separated by commas",
             max=trip.MAX_ITEMS)


def _too_long(error: BadParameter) -> tuple[str, int]:
    return render_template("400.html", error=error, expected=_expected()), 400


def notice_text(notice: trip.Notice) -> str:
    """Why an item of the plan's address was left out, in the page's language."""
    reasons = {
        "malformed": _("not an event and a date written event-id@YYYY-MM-DD"),
        "unknown": _("no such event"),
        "duplicate": _("already in the plan"),
        "too-many": _("a plan holds at most %(max)s items", max=trip.MAX_ITEMS),
        "out-of-range": _("a date in the years %(min)s to %(max)s", min=FIRST_YEAR,
                          max=LAST_YEAR),
    }
    return f"{notice.item}: {reasons.get(notice.reason, notice.reason)}"


def plan_url(keys: list[str]) -> str:
    """This language's plan page holding exactly `keys` (an empty `o=` is an empty plan)."""
    return url_for("plan.page", o=",".join(keys))


def _map_labels() -> dict[str, str]:
    return {"stop": _("Stop %(number)s", number="{number}"), "close": _("Close"),
            "zoomIn": _("Zoom in"), "zoomOut": _("Zoom out"), **punctuation(current_lang())}


@localized(bp, "/plan/")
@reads("o", "add")
def page():
    """The plan day by day: stops in order, the way between them, clashes, nearby ideas, maps."""
    try:
        values, added = _values()
    except BadParameter as error:
        return _too_long(error)
    hour = this_hour()
    keys, notices = trip.normalise(catalog(), values, added)
    # Keyed by the normalised plan: `?o=a,b`, `?o=a&o=b&x=1` and `?add=a&o=a,b` are one page.
    key = (request.script_root, request.path, tuple(keys), tuple(notices), hour)
    cache: RenderCache = current_app.extensions.setdefault("canal_plan_cache",
                                                          RenderCache(PLAN_CACHE_BYTES))
    found = cache.get(key)
    if found is None:
        body = _render_page(values, added).encode("utf-8")
        found = ((body, etag_of(body), frozenset(inline_script_hashes())), 0)
        cache.put(key, found[0])
    body, etag, script_hashes = found[0]
    inline_script_hashes().update(script_hashes)
    return conditional(body, "text/html", last_modified=page_last_modified(hour),
                       max_age=MAX_AGE, etag=etag)


def _render_page(values: list[str], added: list[str]) -> str:
    lang = current_lang()
    plan = trip.build_plan(catalog(), values, settings().plan_nearby_km,
                           added=added, index=occurrence_index())
    tiles = current_app.extensions["canal_tiles"][lang]
    data = dict(map_data(catalog(), plan, lang, tiles, _map_labels(), request.script_root),
                keys=plan.keys)
    ics_path = url_for("plan.ics", o=",".join(plan.keys))
    return render_template(
        "plan.html",
        plan=plan,
        notices=[notice_text(n) for n in plan.notices[:NOTICES_SHOWN]],
        more_notices=max(0, len(plan.notices) - NOTICES_SHOWN),
        nearby_shown=NEARBY_SHOWN,
        today=now().date(),
        plan_data=json_for_script(data),
        ics_path=ics_path,
        subscribe=calendar_links.subscribe(canonical_url(ics_path), _("My plan")),
    )


@localized(bp, "/plan.ics")
def ics():
    """Exactly the plan's occurrences as an iCalendar file; what is invalid is left out."""
    try:
        values, added = _values()
    except BadParameter as error:
        # A calendar app shows no HTML: say it in plain words, as the 400 page does.
        return Response(f"{error.parameter}: {_expected()}\n", status=400, mimetype="text/plain")
    lang = current_lang()
    plan = trip.build_plan(catalog(), values, nearby_km=None, added=added)
    name = f"{catalog().meta.name.get(lang)} · {_('My plan')}"
    body, modified = plan_calendar(catalog(), plan, lang, current_app.extensions["canal_feeds"].ledger,
                                   name, _("The events you picked, each on the date you chose."))
    response = conditional(body, "text/calendar", last_modified=modified, max_age=MAX_AGE)
    response.headers["Content-Disposition"] = f'inline; filename="{"plan-en" if lang == "en" else "plan"}.ics"'
    return response


@bp.app_template_global()
def plan_key(occurrence: Occurrence, day=None) -> str:
    """The plan key of an occurrence, for the day it is shown on (a long festival: that day)."""
    return f"{occurrence.event.id}@{(day or occurrence.day).isoformat()}"


@bp.app_template_global()
def plan_add_url(key: str) -> str:
    """A plain link adding one item: works without JavaScript; plan.js merges it with the saved plan."""
    return url_for("plan.page", add=key)


@bp.app_template_global()
def plan_helpers() -> dict:
    """URL builders for plan.html: remove, swap and add, over the current plan's keys."""
    return {"url": plan_url, "without": trip.without_item, "swapped": trip.swapped,
            "with": trip.with_item}
