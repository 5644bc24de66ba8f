"""The sitemap (sitemaps.org 0.9) and robots.txt: what search engines are told to crawl.

Every page in both languages, each `<url>` carrying its language alternates as
`xhtml:link rel="alternate" hreflang` (the same zh-Hans / en / x-default the pages'
own <head> names). `lastmod` is written only where it is exact: an event page's
comes from the revision ledger (when the event last changed, the same on every server).
Other pages (lists, months, sites) change with time passing and with content the ledger
does not track, so they carry none: Google uses lastmod only when it is consistently
accurate, and ignores priority and changefreq, so neither is written.

Above 50,000 URLs (the protocol's limit per file) the sitemap becomes an index of
numbered parts. Domain module: no Flask; views pass the catalog, ledger and "today".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from xml.sax.saxutils import escape, quoteattr

from . import archive, links, recurrence
from .model import Catalog
from .revisions import EPOCH, Ledger

MAX_URLS = 50_000  # sitemaps.org: at most 50,000 URLs (and 50 MB) per sitemap file
MONTHS_AHEAD = 12
LANGS = ("zh", "en")
HREFLANG = {"zh": "zh-Hans", "en": "en"}  # as templates/base.html writes them
X_DEFAULT = "zh"
SITEMAP_PATH = "/sitemap.xml"
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class Page:
    """One page, named by its path in Chinese (links.path gives the English one)."""

    rule: str
    lastmod: datetime | None = None


def calendar_months(catalog: Catalog, today: date) -> list[tuple[int, int]]:
    """An unbroken run of month pages from this one: twelve ahead, or to the last occurrence
    (the months the static export writes, and the months the sitemap lists); back to the
    month of the first past event, if any (the grid navigates into the archive, issue 19)."""
    first = today.year * 12 + today.month - 1
    past = archive.first_past_month(catalog, today)
    if past is not None:
        first = min(first, past[0] * 12 + past[1] - 1)
    last = first + MONTHS_AHEAD
    horizon = today + timedelta(days=3 * 366)
    for occurrence in recurrence.occurrences(catalog, today, horizon):
        final = occurrence.days()[-1]
        last = max(last, final.year * 12 + final.month - 1)
    return [(n // 12, n % 12 + 1) for n in range(first, last + 1)]


def pages(catalog: Catalog, ledger: Ledger, today: date) -> list[Page]:
    """Every indexable page once (the trip plan and embeds are noindex, so not here)."""
    found = [Page("/"), Page("/calendar/")]
    found += [Page(f"/calendar/{year:04d}/{month:02d}/") for year, month in calendar_months(catalog, today)]
    found.append(Page("/events/"))
    # The archive (issue 19): years with dates over before today began (the live page may
    # have one more since this morning, never one fewer).
    found.append(Page("/events/archive/"))
    started = datetime.combine(today, datetime.min.time(), catalog.tz)
    found += [Page(f"/events/archive/{year:04d}/") for year, _ in sorted(archive.years(catalog, started))]
    for event in catalog.events.values():
        modified = ledger.revision_of(event, catalog).modified
        # An event the ledger never recorded has the fixed placeholder stamp: not a real date.
        found.append(Page(f"/events/{event.id}/", None if modified == EPOCH else modified))
    found.append(Page("/sites/"))
    found += [Page(f"/sites/{site_id}/") for site_id in catalog.sites]
    found.append(Page("/subscribe/"))
    for kind, ids in (("areas", catalog.areas), ("sites", catalog.sites),
                      ("categories", catalog.categories), ("events", catalog.events)):
        found += [Page(f"/subscribe/{kind}/{value}/") for value in ids]
    found.append(Page("/embed/"))  # the builder (the embedded lists themselves are noindex)
    return found


def w3c_datetime(moment: datetime) -> str:
    """W3C Datetime as sitemaps want it, in UTC to the second: 2026-11-03T08:00:00+00:00."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _url_entry(catalog: Catalog, page: Page, lang: str) -> str:
    lines = [f"<url><loc>{escape(links.absolute(catalog, lang, page.rule))}</loc>"]
    if page.lastmod is not None:
        lines.append(f"<lastmod>{w3c_datetime(page.lastmod)}</lastmod>")
    for other in LANGS:
        lines.append(f'<xhtml:link rel="alternate" hreflang="{HREFLANG[other]}" '
                     f"href={quoteattr(links.absolute(catalog, other, page.rule))}/>")
    lines.append(f'<xhtml:link rel="alternate" hreflang="x-default" '
                 f"href={quoteattr(links.absolute(catalog, X_DEFAULT, page.rule))}/>")
    return "".join(lines) + "</url>\n"


def urlset(items: list[str]) -> bytes:
    """A sitemap file of `<url>` entries."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="{NS}" xmlns:xhtml="{XHTML_NS}">\n'
            + "".join(items) + "</urlset>\n").encode("utf-8")


def part_path(number: int) -> str:
    """Path of part `number` (1-based) of a sitemap index."""
    return f"/sitemaps/{number}.xml"


def index(catalog: Catalog, parts: int, lastmods: list[datetime | None]) -> bytes:
    """A sitemap index naming `parts` files (each with its newest exact lastmod, if any)."""
    base = catalog.meta.base_url.rstrip("/")
    items = []
    for number in range(1, parts + 1):
        stamp = lastmods[number - 1]
        items.append(f"<sitemap><loc>{escape(base + part_path(number))}</loc>"
                     + (f"<lastmod>{w3c_datetime(stamp)}</lastmod>" if stamp else "") + "</sitemap>\n")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NS}">\n'
            + "".join(items) + "</sitemapindex>\n").encode("utf-8")


class Sitemap:
    """The sitemap of one catalog on one day: a single file, or an index and its parts."""

    def __init__(self, catalog: Catalog, ledger: Ledger, today: date, limit: int = MAX_URLS):
        self.catalog = catalog
        listed = pages(catalog, ledger, today)
        pairs = [(page, lang) for page in listed for lang in LANGS]
        self.parts = [pairs[i:i + limit] for i in range(0, len(pairs), limit)] or [[]]

    @property
    def is_index(self) -> bool:
        return len(self.parts) > 1

    def root(self) -> bytes:
        """What /sitemap.xml answers: the only file, or the index of the parts."""
        if not self.is_index:
            return self.part(1) or b""  # part 1 always exists (`parts` is never empty)
        lastmods = [max((p.lastmod for p, _ in part if p.lastmod), default=None) for part in self.parts]
        return index(self.catalog, len(self.parts), lastmods)

    def part(self, number: int) -> bytes | None:
        """Part `number` (1-based), or None when there is no such part."""
        if not 1 <= number <= len(self.parts):
            return None
        return urlset([_url_entry(self.catalog, page, lang) for page, lang in self.parts[number - 1]])


def robots_txt(catalog: Catalog) -> bytes:
    """robots.txt: everything may be crawled, and where the sitemap is.

    The trip plan and the embeds say `noindex` in their own <head>; disallowing them here
    would stop crawlers from reading that, so nothing is disallowed."""
    base = catalog.meta.base_url.rstrip("/")
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP_PATH}\n".encode()
