"""The archive of past events: /events/archive/ and /events/archive/<yyyy>/ (issue 19).

Thin: canal.archive decides what is past and how it is grouped. A year that is not four
digits from 2000 to 2100 is a malformed address (the 400 page, as for /calendar/<yyyy>/);
a well-formed year with nothing past in it is a page that does not exist (404).
"""
from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template

from .. import archive
from .current import catalog, now
from .http import cached_page
from .language import localized

bp = Blueprint("archive", __name__)


@localized(bp, "/events/archive/")
@cached_page
def index():
    """Every year with past events, each with its months."""
    moment = now()
    years = archive.years(catalog(), moment)
    months = {year: archive.months(catalog(), moment, year) for year, _ in years}
    return render_template("archive.html", years=years, months=months, year=None)


@localized(bp, "/events/archive/<year>/")
@cached_page
def year(year: str):
    """One year's past events, month by month."""
    number = archive.parse_year(year)
    moment = now()
    months = archive.months(catalog(), moment, number)
    if not months:
        abort(404)
    years = [found for found, _ in archive.years(catalog(), moment)]
    return render_template("archive.html", year=number, months={number: months}, years=None,
                           newer=min((y for y in years if y > number), default=None),
                           older=max((y for y in years if y < number), default=None))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
