"""/sitemap.xml (and its parts above 50,000 URLs) and /robots.txt: see canal/sitemap.py."""
from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app

from .. import sitemap
from .api import content_updated
from .current import catalog, now
from .http import conditional

bp = Blueprint("sitemap", __name__)

SITEMAP_MAX_AGE = 3600


def _current() -> sitemap.Sitemap:
    """Today's sitemap, built once per catalog and day (its month pages move with the day)."""
    key = (id(catalog()), now().date())
    kept = current_app.extensions.get("canal_sitemap")
    if kept is None or kept[0] != key:
        limit = current_app.config.get("CANAL_SITEMAP_LIMIT", sitemap.MAX_URLS)
        kept = (key, sitemap.Sitemap(catalog(), current_app.extensions["canal_feeds"].ledger,
                                     now().date(), limit))
        current_app.extensions["canal_sitemap"] = kept
    return kept[1]


@bp.get(sitemap.SITEMAP_PATH)
def sitemap_xml():
    """Every page in both languages with its alternates; an index when over the limit."""
    return conditional(_current().root(), "application/xml", content_updated(), max_age=SITEMAP_MAX_AGE)


@bp.get("/sitemaps/<int:number>.xml")
def sitemap_part(number: int):
    """One part of the sitemap index (only when the sitemap needs one)."""
    current = _current()
    body = current.part(number) if current.is_index else None
    if body is None:
        abort(404)
    return conditional(body, "application/xml", content_updated(), max_age=SITEMAP_MAX_AGE)


@bp.get("/robots.txt")
def robots_txt():
    """Crawlers may read everything; names the sitemap."""
    return conditional(sitemap.robots_txt(catalog()), "text/plain", max_age=SITEMAP_MAX_AGE)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
