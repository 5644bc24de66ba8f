"""The agenda (/events/) and one event's page (/events/<id>/)."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, render_template, request

from .. import agenda, archive, jsonld, recurrence, rules, visit
from ..model import Occurrence
from .current import catalog, now, page_path
from .http import cached_page, occurrence_index
from .language import current_lang, localized
from .share import share_images
from .visit import holidays

bp = Blueprint("events", __name__)

NEXT_DATES = 12


@bp.app_template_global()
def search_text(event) -> str:
    """What the agenda's text search looks in (for the static export's filter script)."""
    return agenda.search_text(catalog(), event)


def _page_url(chosen: agenda.Filter, number: int) -> str:
    pairs = chosen.query() + ([("page", str(number))] if number > 1 else [])
    return page_path() + ("?" + urlencode(pairs) if pairs else "")


def _from_url(chosen: agenda.Filter, occurrence: Occurrence) -> str:
    """The agenda with the same filters, from the day of `occurrence` on."""
    pairs = [(k, v) for k, v in chosen.query() if k not in ("from", "to")]
    pairs.append(("from", occurrence.day.isoformat()))
    return page_path() + "?" + urlencode(pairs)


@localized(bp, "/events/")
@cached_page(params=(*agenda.FILTER_PARAMETERS, "page"))
def events():
    """Upcoming occurrences, filtered, grouped by day, a page at a time."""
    args = request.args.to_dict(flat=False)
    chosen = agenda.parse_filter(args, catalog())
    number = agenda.parse_page(args)
    moment = now()
    found = agenda.find(catalog(), chosen, moment, occurrence_index())
    # A static export has no server to answer ?page= or filters: it lists everything
    # and static/export-filter.js filters in the browser.
    size = max(len(found), 1) if current_app.config.get("CANAL_STATIC_EXPORT") else agenda.PAGE_SIZE
    page = agenda.paginate(found, number, size)
    first_day = agenda.window(chosen, moment)[0].date()
    dated = chosen.start is not None or chosen.end is not None
    next_one = agenda.next_after(catalog(), chosen, moment) if not page.total else None
    last_day = chosen.end or (first_day + timedelta(days=6))
    return render_template(
        "events.html",
        chosen=chosen,
        page=page,
        by_day=agenda.by_day(page.items, first_day),
        previous_url=_page_url(chosen, page.previous) if page.previous else None,
        next_url=_page_url(chosen, page.next) if page.next else None,
        clear_url=page_path(),
        today=moment.date(),
        next_one=next_one,
        next_one_url=_from_url(chosen, next_one) if next_one else None,
        # Museums and parks are worth a visit without an event: those open on the chosen dates.
        open_sites=visit.open_sites(catalog(), first_day, last_day, holidays()) if dated else [],
    )


@localized(bp, "/events/<event_id>/")
@cached_page
def event(event_id: str):
    """One event: when (rule in words and next dates), where, and what."""
    found = catalog().events.get(event_id)
    if found is None:
        abort(404)
    coming = recurrence.upcoming(catalog(), now(), events=[found])
    lang = current_lang()
    first = Occurrence(found, found.start, found.end)
    # Past events keep their page (issue 19): it says so, and links the other editions.
    ended = archive.has_ended(found, catalog(), now())
    return render_template(
        "event.html",
        event=found,
        site=catalog().site_of(found),
        end_site=catalog().sites[found.ends_at] if found.ends_at else None,
        area=catalog().area_of(found),
        coming=coming[:NEXT_DATES],
        later=coming[NEXT_DATES:],  # every upcoming date is on the page, the rest folded
        first=first,
        rule=rules.describe(found, lang),
        ended=ended,
        archive_year=archive.last_year(found, catalog().tz) if ended else None,
        next_edition=archive.next_edition(catalog(), found),
        previous_edition=archive.previous_edition(catalog(), found),
        jsonld=jsonld.script_json(jsonld.event_objects(catalog(), found, coming, lang,
                                                       images=share_images("events", event_id))) if coming else None,
    )
