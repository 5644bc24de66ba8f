"""Sharing: the share images over HTTP, and the template helpers for share cards and QR codes.

Images are drawn on first request and kept (canal.sharecard.ShareImages), then served
with strong validators. `share_meta()` gives base.html the page's own title, description,
address and image for Open Graph, Twitter and microdata; `page_qr()` the QR code of the
page's own address.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, request, url_for
from flask_babel import lazy_gettext as _l

from .. import qr, sharecard
from ..settings import StartupProblem
from .current import canonical_url, catalog
from .http import conditional, etag_of
from .language import current_lang, localized, switch_url

bp = Blueprint("share", __name__)

IMAGE_MAX_AGE = 86400  # the image of a URL changes only with the content (the ETag tells)
OG_LOCALES = {"zh": "zh_CN", "en": "en_US"}

# Descriptions of the pages that are not one event or one site (theirs come from the content).
DESCRIPTIONS = {
    "calendar.calendar": _l("Month by month: festivals, boat trips, exhibitions and markets along the canal."),
    "calendar.calendar_month": _l("Month by month: festivals, boat trips, exhibitions and markets along the canal."),
    "events.events": _l("Upcoming events along the canal: filter by area, site, category and date, and subscribe in your calendar app."),  # noqa: E501 - a msgid, kept whole
    "sites.sites": _l("The canal's wharves, locks, museums and parks, from north to south, with what is on at each."),
    "plan.page": _l("A day along the canal: the events you picked, in order, with the way between them."),
}
SUBSCRIBE_DESCRIPTION = _l("Subscribe to “%(name)s” in your calendar app: it updates itself when dates change. With a QR code and step-by-step help for each app.")  # noqa: E501 - a msgid, kept whole


@bp.record_once
def _find_fonts(state) -> None:
    """Find the CJK fonts at start-up: a missing font stops the app, not a request."""
    app = state.app
    try:
        app.extensions["canal_fonts"] = sharecard.find_fonts(app.extensions["canal_settings"].font_dir)
    except sharecard.FontsMissing as err:
        raise StartupProblem(str(err)) from None


def images() -> sharecard.ShareImages:
    """The share images of the catalog being served (a static export serves a copy)."""
    kept = current_app.extensions.get("canal_share_images")
    if kept is None or kept.catalog is not catalog():
        kept = sharecard.ShareImages(catalog(), current_app.extensions["canal_fonts"])
        current_app.extensions["canal_share_images"] = kept
    return kept


def _serve(kind: str, id: str | None, shape: str):
    try:
        body = images().get(kind, id, current_lang(), shape)
    except KeyError:
        abort(404)
    return conditional(body, "image/png", current_app.extensions["canal_loaded_at"],
                       max_age=IMAGE_MAX_AGE, etag=etag_of(body))


@localized(bp, "/share/<any(events, sites):kind>/<id>/<any(card, square):shape>.png")
def image(kind: str, id: str, shape: str):
    """The share image of one event or site: card (1200×630) or square (1080×1080)."""
    return _serve(kind, id, shape)


@localized(bp, "/share/<any(card, square):shape>.png")
def home_image(shape: str):
    """The share image of every other page (the website itself)."""
    return _serve("home", None, shape)


def _subject() -> tuple[str, str | None]:
    """Whose share image and texts this page uses: ("events", id), ("sites", id) or ("home", None)."""
    endpoint, args = request.endpoint or "", request.view_args or {}
    if endpoint == "events.event" and args.get("event_id") in catalog().events:
        return "events", args["event_id"]
    if endpoint == "sites.site" and args.get("site_id") in catalog().sites:
        return "sites", args["site_id"]
    if endpoint == "subscribe.event" and args.get("id") in catalog().events:
        return "events", args["id"]
    if endpoint == "subscribe.site" and args.get("id") in catalog().sites:
        return "sites", args["id"]
    return "home", None


def _description(kind: str, id: str | None, lang: str, page_title: str) -> str:
    endpoint = request.endpoint or ""
    if endpoint.startswith("subscribe."):
        return str(SUBSCRIBE_DESCRIPTION % {"name": page_title})
    if kind == "events" and endpoint == "events.event" and id is not None:
        event = catalog().events[id]
        card = sharecard.event_card(catalog(), event, lang)
        lead = f"{card.when} · {card.where}"
        return sharecard.short(f"{lead}. {event.description.get(lang)}" if event.description else lead)
    if kind == "sites" and endpoint == "sites.site" and id is not None:
        return sharecard.short(catalog().sites[id].description.get(lang))
    if endpoint in DESCRIPTIONS:
        return str(DESCRIPTIONS[endpoint])
    return sharecard.short(catalog().meta.description.get(lang))


@bp.app_template_global()
def page_url() -> str:
    """This page's canonical address (meta.base_url): og:url and <link rel="canonical">.

    Only the parameters that make the page are kept (as in the language links): pages are
    cached by those, so a first visitor's junk or tracking parameters must not end up in
    every later visitor's copy, nor tell search engines that junk is a page of its own."""
    return canonical_url(request.script_root + switch_url(current_lang()))


@bp.app_template_global()
def share_meta(page_title: str) -> dict:
    """Title, description, address, locales and images of this page's share card."""
    lang = current_lang()
    kind, id = _subject()
    title = page_title
    if kind == "events" and request.endpoint == "events.event" and id is not None:
        title = catalog().events[id].title.get(lang)
    elif kind == "sites" and request.endpoint == "sites.site" and id is not None:
        title = catalog().sites[id].name.get(lang)
    if kind == "home":
        card = canonical_url(url_for("share.home_image", shape="card"))
        square = canonical_url(url_for("share.home_image", shape="square"))
    else:
        card = canonical_url(url_for("share.image", kind=kind, id=id, shape="card"))
        square = canonical_url(url_for("share.image", kind=kind, id=id, shape="square"))
    (width, height), (side, _) = sharecard.SHAPES["card"], sharecard.SHAPES["square"]
    return {
        "title": title,
        "description": _description(kind, id, lang, page_title),
        "url": page_url(),
        "site_name": catalog().meta.name.get(lang),
        "locale": OG_LOCALES[lang],
        "alternate_locale": OG_LOCALES["zh" if lang == "en" else "en"],
        "image": card, "image_width": width, "image_height": height,
        "image_square": square, "image_side": side,
    }


@bp.app_template_global()
def share_images(kind: str, id: str) -> list[str]:
    """Absolute URLs of an event's or site's share images (JSON-LD `image`)."""
    return [canonical_url(url_for("share.image", kind=kind, id=id, shape=shape))
            for shape in ("card", "square")]


@bp.app_template_global()
def qr_svg(url: str) -> str:
    """The inline SVG QR code of an absolute URL (trusted markup: path data only)."""
    return qr.svg(url)


@bp.app_template_global()
def page_qr() -> str:
    """The inline SVG QR code of this page's own address (without its query)."""
    return qr.svg(canonical_url(request.script_root + request.path))
