"""Absolute, canonical addresses of pages (for feeds, JSON-LD and the API).

Built from `meta.base_url` rather than the request, so outputs are the same
whichever host or proxy served them. Paths follow the URL contract in DESIGN.md.
"""
from __future__ import annotations

from .model import Catalog

ENGLISH_PREFIX = "/en"


def prefix(lang: str) -> str:
    """The path prefix of a language: "" for Chinese (the root), "/en" for English."""
    return ENGLISH_PREFIX if lang == "en" else ""


def path(lang: str, rule: str) -> str:
    """`rule` (e.g. "/events/x/") in `lang`: English pages live under /en."""
    return prefix(lang) + rule


def absolute(catalog: Catalog, lang: str, rule: str) -> str:
    """The full URL of `rule` in `lang` on the site's canonical host."""
    return catalog.meta.base_url.rstrip("/") + path(lang, rule)


def event_url(catalog: Catalog, lang: str, event_id: str) -> str:
    return absolute(catalog, lang, f"/events/{event_id}/")


def site_url(catalog: Catalog, lang: str, site_id: str) -> str:
    return absolute(catalog, lang, f"/sites/{site_id}/")
