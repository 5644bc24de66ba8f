"""HTML pages for visitors."""
from __future__ import annotations

from itertools import groupby

from flask import Blueprint, render_template

from .. import recurrence
from .http import cached_page
from .language import catalog, localized, now

bp = Blueprint("pages", __name__)

HOME_DAYS_AHEAD = 92
HOME_LIMIT = 60


@localized(bp, "/")
@cached_page
def home():
    """The map of canal sites and what is coming up."""
    moment = now()
    upcoming = recurrence.upcoming(catalog(), moment, days=HOME_DAYS_AHEAD)[:HOME_LIMIT]
    today = moment.date()
    # Something that began earlier and is still on is listed under today.
    by_day = [(day, list(items))
              for day, items in groupby(upcoming, key=lambda o: max(o.day, today))]
    return render_template("home.html", by_day=by_day, today=today)


@bp.app_errorhandler(404)
def not_found(error):
    return render_template("404.html"), 404
