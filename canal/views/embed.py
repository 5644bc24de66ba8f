"""Embeds for other sites: the framable list /embed/events/… and the builder /embed/.

Only the lists may be framed, and only by `meta.embed_origins` (and our own builder
page); the builder, like every other page, keeps frame-ancestors 'none'.
"""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from flask import Blueprint, Flask, abort, render_template, request, url_for
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from .. import agenda, embed
from ..agenda import BadParameter, Filter
from .assets import plain_name, stable_static_url
from .current import canonical_url, catalog, now
from .http import cached_page
from .language import current_lang, localized
from .pages import EXPECTED, bad_parameter
from .security import allow_framing

bp = Blueprint("embed", __name__)

# Files a host page loads from us: a module script is fetched in CORS mode, so these
# need Access-Control-Allow-Origin (nginx must send it too when it serves /static/).
CROSS_ORIGIN_ASSETS = {"embed.js", "embed.css", "embed-resize.js"}
LANGUAGES = ("zh", "en")
# What the lists read: the agenda's filters, how many, which theme (embed.parse_options).
LIST_PARAMETERS = (*agenda.FILTER_PARAMETERS, "limit", "theme")

EXPECTED.update({
    "limit": _l("a whole number from 1 to %(max)s"),
    "theme": _l("one of the themes: %(choices)s"),
    "fixed-by-path": _l("nothing: this address already shows only “%(fixed)s”"),
    "language": _l("zh or en"),
})


def frameable(view):
    """Let the embed's answer (its 400 and 404 too, so a host sees what is wrong) be
    framed by the configured origins. Outside cached_page: a cached answer needs it too."""
    @wraps(view)
    def wrapper(**kwargs):
        allow_framing(embed.frame_ancestors(catalog().meta.embed_origins))
        return view(**kwargs)
    return wrapper


def _agenda_url(chosen: Filter) -> str:
    pairs = chosen.query()
    return url_for("events.events") + ("?" + urlencode(pairs) if pairs else "")


def _list(base: Filter | None = None):
    options = embed.parse_options(request.args.to_dict(flat=False), catalog(), base)
    found = agenda.find(catalog(), options.filter, now())
    return render_template("embed_events.html", options=options, items=found[:options.limit],
                           more_url=_agenda_url(options.filter))


@localized(bp, "/embed/events/")
@frameable
@cached_page(params=LIST_PARAMETERS)
def events():
    """Upcoming occurrences for a frame on another site: the agenda's filters, limit, theme."""
    return _list()


@localized(bp, "/embed/events/areas/<id>/")
@frameable
@cached_page(params=LIST_PARAMETERS)
def area(id: str):
    """The embed for one area (an address a static export can hold)."""
    if id not in catalog().areas:
        abort(404)
    return _list(Filter(areas=(id,)))


@localized(bp, "/embed/events/sites/<id>/")
@frameable
@cached_page(params=LIST_PARAMETERS)
def site(id: str):
    """The embed for one site."""
    if id not in catalog().sites:
        abort(404)
    return _list(Filter(sites=(id,)))


@localized(bp, "/embed/events/categories/<id>/")
@frameable
@cached_page(params=LIST_PARAMETERS)
def category(id: str):
    """The embed for one category."""
    if id not in catalog().categories:
        abort(404)
    return _list(Filter(categories=(id,)))


def embed_path(options: embed.Options, lang: str) -> str:
    """The list's address for `options` in `lang`: one area, site or category alone gets
    its own path (which the static export holds too); the rest goes in the query."""
    chosen = options.filter
    single = [(kind, ids[0]) for kind, ids in (("area", chosen.areas), ("site", chosen.sites),
                                               ("category", chosen.categories)) if ids]
    pairs = options.query()
    if len(single) == 1 and len(chosen.areas + chosen.sites + chosen.categories) == 1:
        kind, value = single[0]
        path = url_for(f"embed.{kind}", id=value, lang=lang)
        pairs = [(name, v) for name, v in pairs if name != kind]
    else:
        path = url_for("embed.events", lang=lang)
    return path + ("?" + urlencode(pairs) if pairs else "")


@localized(bp, "/embed/")
@cached_page(params=(*LIST_PARAMETERS, "language"))
def builder():
    """Choose what to embed, see both forms live, copy the snippet."""
    args = request.args.to_dict(flat=False)
    options = embed.parse_options(args, catalog())
    language = agenda._single(args, "language") or current_lang()
    if language not in LANGUAGES:
        raise BadParameter("language", language, "language")
    chosen = options.filter
    agenda_path = url_for("events.events", lang=language) + (
        "?" + urlencode(chosen.query()) if chosen.query() else "")
    frame_path = embed_path(options, language)
    name = catalog().meta.name.get(language)
    with force_locale(language):  # the snippet speaks the embed's language, not the page's
        more_text = gettext("More on %(name)s", name=name)
        frame_title = f"{gettext('Upcoming events')} · {name}"
    return render_template(
        "embed_builder.html",
        options=options,
        language=language,
        frame_src=frame_path,
        frame_url=canonical_url(frame_path),
        # Plain names: the host keeps the snippet for years, and a hashed name would go stale.
        resize_url=canonical_url(stable_static_url("embed-resize.js")),
        script_url=canonical_url(stable_static_url("embed.js")),
        agenda_path=agenda_path,
        agenda_url=canonical_url(agenda_path),
        more_text=more_text,
        frame_title=frame_title,
        origin=_origin(catalog().meta.base_url),
        frame_height=embed.FRAME_HEIGHT,
        themes=embed.THEMES,
        max_limit=embed.MAX_LIMIT,
    )


def _origin(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


@bp.errorhandler(BadParameter)
def bad_embed_parameter(error: BadParameter):
    """In a frame, the problem is told in the frame's own small layout."""
    if request.endpoint == "embed.builder":
        return bad_parameter(error)
    expected = EXPECTED[error.expected] % error.details
    return render_template("embed_400.html", error=error, expected=expected), 400


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.after_request
    def _cross_origin_assets(response):
        if request.endpoint == "static" and \
                plain_name((request.view_args or {}).get("filename", "")) in CROSS_ORIGIN_ASSETS:
            response.headers["Access-Control-Allow-Origin"] = "*"
        return response
