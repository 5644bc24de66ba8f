"""The month grid: /calendar/ and /calendar/<yyyy>/<mm>/."""
from __future__ import annotations

from typing import TypeGuard

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from .. import agenda, archive, lunar
from .current import catalog, now
from .http import cached_page
from .language import current_lang, localized

bp = Blueprint("calendar", __name__)


def _month_url(year: int, month: int) -> str:
    return url_for("calendar.calendar_month", year=f"{year:04d}", month=f"{month:02d}")


@localized(bp, "/calendar/")
@cached_page(params=("month",))
def calendar():
    """This month, or the month picked in the jump form (?month=YYYY-MM)."""
    picked = request.args.get("month", "").strip()
    if picked:
        return redirect(_month_url(*agenda.parse_month_field(picked)))
    today = now().date()
    return _render(today.year, today.month)


@localized(bp, "/calendar/<year>/<month>/")
@cached_page
def calendar_month(year: str, month: str):
    """One month; /calendar/2027/4/ is sent on to its canonical /calendar/2027/04/."""
    number_year, number_month = agenda.parse_month(year, month)
    if month != f"{number_month:02d}":
        return redirect(_month_url(number_year, number_month), code=301)
    return _render(number_year, number_month)


def _linkable(month: tuple[int, int] | None) -> TypeGuard[tuple[int, int]]:
    # A static export holds a bounded run of months: link only to those it has.
    exported = current_app.config.get("CANAL_EXPORT_MONTHS")
    return month is not None and (exported is None or tuple(month) in exported)


def _render(year: int, month: int):
    moment = now()
    today = moment.date()
    grid = agenda.month_grid(catalog(), year, month, today)
    # A month before this one links the archive of its year (issue 19), when it has one.
    past = (year, month) < (today.year, today.month) and \
        any(found == year for found, _ in archive.years(catalog(), moment))
    return render_template(
        "calendar.html",
        grid=grid,
        weekdays=agenda.weekday_labels(current_lang()),
        previous_url=_month_url(*grid.previous) if _linkable(grid.previous) else None,
        next_url=_month_url(*grid.next) if _linkable(grid.next) else None,
        this_month_url=_month_url(today.year, today.month),
        today=today,
        archive_year=year if past else None,
    )


@bp.app_context_processor
def _lunar_helpers() -> dict:
    """Lunar dates in words for templates: 农历五月初五 / "5th day of the 5th lunar month"."""
    return {"lunar_words": lambda lunar_date: lunar_date.words(current_lang()),
            "lunar_of": lunar.to_lunar}
