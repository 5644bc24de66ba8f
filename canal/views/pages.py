"""HTML pages for visitors: the home page, error pages and what every page shares.

The other pages have their own modules and blueprints: calendar.py, events.py,
sites.py, api.py (endpoints `calendar.<name>`, `events.<name>`, ...).
"""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from .. import agenda, links, recurrence, rules
from .. import text as words
from ..agenda import BadParameter
from ..safejson import json_for_script
from .current import catalog, now
from .http import cached_page
from .language import current_lang, localized

bp = Blueprint("pages", __name__)

HOME_DAYS_AHEAD = 92
HOME_LIMIT = 60
HOME_NEXT_UP = 3

# What a parameter should have been, per `BadParameter.expected`.
EXPECTED = {
    "area": _l("one of the area ids: %(choices)s"),
    "site": _l("one of the site ids listed on the sites page"),
    "category": _l("one of the category ids: %(choices)s"),
    "date": _l("a date written YYYY-MM-DD, in the years %(min)s to %(max)s"),
    "after-from": _l("a date on or after the “from” date (%(start)s)"),
    "span": _l("a date at most %(days)s days after the “from” date"),
    "q": _l("a search text of at most %(max)s characters"),
    "page": _l("a whole number, 1 or more"),
    "page-max": _l("a page number from 1 to %(pages)s"),
    "offset": _l("a whole number from %(min)s to %(max)s"),
    "limit": _l("a whole number from %(min)s to %(max)s"),
    "single": _l("a single value (it was given %(count)s times)"),
    "year": _l("a year from %(min)s to %(max)s"),
    "month": _l("a month number from 01 to 12"),
    "month-field": _l("a month written YYYY-MM, for example 2027-04"),
}


@localized(bp, "/")
@cached_page
def home():
    """The map of canal sites and what is coming up."""
    moment = now()
    upcoming = recurrence.upcoming(catalog(), moment, days=HOME_DAYS_AHEAD)[:HOME_LIMIT]
    today = moment.date()
    # Above the map, so a phone's first screen answers "what is on next?".
    next_up = [o for o in upcoming if not o.cancelled][:HOME_NEXT_UP]
    return render_template("home.html", by_day=agenda.by_day(upcoming, today), today=today,
                           next_up=next_up)


@bp.app_context_processor
def _page_helpers() -> dict:
    lang = current_lang()
    return {
        "rule_in_words": lambda event: rules.describe(event, lang),
        "month_label": lambda year, month: agenda.month_label(year, month, lang),
        "clock": lambda value: words.clock(value, lang),
        "lpath": lambda rule: links.path(lang, rule),
        "agenda_shortcuts": agenda.shortcuts,
    }


@bp.app_errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    """A malformed parameter: 400, naming it and saying what it should be."""
    expected = EXPECTED[error.expected] % error.details
    if request.path.endswith((".json", ".geojson")):
        # <, > and & \u-escaped: the bad value comes back as the same JSON string, yet no
        # markup of the request ever appears in the answer's bytes.
        body = json_for_script({"error": "bad-parameter", "expected": str(expected),
                                "parameter": error.parameter, "value": error.value})
        return current_app.response_class(body + "\n", status=400, mimetype="application/json")
    return render_template("400.html", error=error, expected=expected), 400


@bp.app_errorhandler(404)
def not_found(error):
    return render_template("404.html"), 404

