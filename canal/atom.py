"""The Atom 1.0 feed of upcoming events (/feeds/events.atom). No Flask.

One entry per event, ordered by its next occurrence. `updated` is passed in (the
content file's modification time), never read from the clock, so a reader does not
see every entry as changed on every poll.
"""
from __future__ import annotations

import re
from datetime import datetime
from xml.etree import ElementTree as ET

from . import links
from . import text as words
from .model import Catalog, Occurrence

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all; hostile content must not break the feed.
NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
TAG_YEAR = 2026  # the year the site's host was first used for these ids; never change it
FEED_PATH = "/feeds/events.atom"


def _text(value: str) -> str:
    return NOT_XML.sub("", value)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def entry_id(catalog: Catalog, event_id: str) -> str:
    """A tag: URI (RFC 4151) that stays the same in both languages and forever."""
    return f"tag:{catalog.meta.host},{TAG_YEAR}:events/{event_id}"


def feed(catalog: Catalog, occurrences: list[Occurrence], lang: str, updated: datetime) -> bytes:
    """The feed as UTF-8 XML: one entry per event among `occurrences` (time-ordered)."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "en" if lang == "en" else "zh-Hans"})
    _sub(root, "id", links.absolute(catalog, lang, FEED_PATH))
    _sub(root, "title", catalog.meta.name.get(lang))
    _sub(root, "subtitle", catalog.meta.description.get(lang))
    _sub(root, "updated", updated.isoformat(timespec="seconds"))
    _sub(_sub(root, "author"), "name", catalog.meta.name.get(lang))
    _sub(root, "link", rel="self", type="application/atom+xml",
         href=links.absolute(catalog, lang, FEED_PATH))
    _sub(root, "link", rel="alternate", type="text/html",
         href=links.absolute(catalog, lang, "/events/"))
    seen: set[str] = set()
    for occurrence in occurrences:
        event = occurrence.event
        if event.id in seen:
            continue
        seen.add(event.id)
        site = catalog.site_of(event)
        entry = _sub(root, "entry")
        _sub(entry, "id", entry_id(catalog, event.id))
        title = event.title.get(lang)
        if event.cancelled:
            title = ("Cancelled: " if lang == "en" else "已取消：") + title
        _sub(entry, "title", title)
        _sub(entry, "updated", updated.isoformat(timespec="seconds"))
        _sub(entry, "link", rel="alternate", type="text/html",
             href=links.event_url(catalog, lang, event.id))
        summary = f"{words.when(occurrence, lang)} · {site.name.get(lang)}"
        _sub(entry, "summary", summary, type="text")
        if event.description:
            _sub(entry, "content", event.description.get(lang), type="text")
        for category_id in event.categories:
            _sub(entry, "category", term=category_id,
                 label=catalog.categories[category_id].name.get(lang))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
