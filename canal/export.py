"""The whole site as static files, for any static host or CDN (Frozen-Flask).

Every page in both languages, every feed, the API files and the static assets are
requested through the app itself and written as files, so the export is exactly
what the server would answer at the moment of the export. What needs a server
(filtered agenda queries, the trip planner) degrades: the agenda lists every date
and filters in the browser; see `CANAL_STATIC_EXPORT` in the templates.
"""
from __future__ import annotations

import os
import re
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from flask_frozen import Freezer, FrozenFlaskWarning

from . import archive, ical, sitemap
from .compression import MIN_BYTES, compress
from .model import Catalog

MARKER = ".canal-export"
LANGS = ("zh", "en")
MONTHS_AHEAD = sitemap.MONTHS_AHEAD
# Static files are copied by Frozen-Flask itself; the health check only means something live.
SERVER_ONLY = {"static", "health.healthz"}


class _Freezer(Freezer):
    """Frozen-Flask with a fresh `g` for every page.

    Frozen-Flask renders every page while its own request context stays pushed, so the
    test client's requests would share one app context and one `g`: Flask-Babel's cached
    locale and a page's allowed script hashes would leak into the next page.
    """

    def _build_one(self, url, last_modified=None):
        with self.app.app_context():
            return super()._build_one(url, last_modified)


class ExportError(Exception):
    """The export cannot be written (e.g. the folder holds something else)."""


@dataclass
class ExportSummary:
    base_url: str
    files: int = 0
    bytes: int = 0
    by_kind: Counter = field(default_factory=Counter)
    compressed: int = 0  # .gz and .br copies written beside text files


# Suffix of each precompressed copy, as nginx's gzip_static / brotli_static look for them.
PRECOMPRESSED = {".gz": "gzip", ".br": "br"}


# What the site writes as text; images are compressed already.
TEXT_SUFFIXES = {".html", ".ics", ".atom", ".json", ".geojson", ".js", ".css", ".svg",
                 ".xml", ".txt"}


def _write_compressed_copies(path: Path) -> int:
    """Write `path.gz` and `path.br` beside a text file (not beside images); how many."""
    if path.suffix not in TEXT_SUFFIXES:
        return 0
    body = path.read_bytes()
    if len(body) < MIN_BYTES:
        return 0
    for suffix, encoding in PRECOMPRESSED.items():
        path.with_name(path.name + suffix).write_bytes(compress(body, encoding, best=True))
    return len(PRECOMPRESSED)


def _months(catalog: Catalog, today: date) -> list[tuple[int, int]]:
    """An unbroken run of months from this one: twelve ahead, or to the last occurrence
    (the same months the sitemap lists: one rule, in canal.sitemap)."""
    return sitemap.calendar_months(catalog, today)


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".html": "pages", ".ics": "calendars", ".atom": "feeds", ".json": "data",
            ".geojson": "data"}.get(suffix, "assets")


# host[:port] of letters, digits, dots and hyphens (or [IPv6]); path segments of URL-safe
# characters. Anything else (quotes, spaces, "..", backslashes) would be written into every
# link, feed and script of the export.
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
                   r"|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?\Z")
_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+\Z")


def check_base_url(base_url: str) -> str:
    """The export's address with one trailing slash; ExportError unless it is http(s)://host…"""
    problem = (f"--base-url {base_url!r} is not a web address such as "
               "https://cdn.example.org/canal/ (scheme, host, optional path)")
    try:
        parts = urlsplit(base_url)
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        raise ExportError(problem) from None
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ExportError(problem)
    if not _HOST.match(parts.netloc):
        raise ExportError(f"{problem}: the host may only use letters, digits, '.', '-' and a :port")
    segments = [segment for segment in parts.path.split("/") if segment]
    if any(segment in (".", "..") or not _SEGMENT.match(segment) for segment in segments) \
            or "//" in parts.path or (parts.path and not parts.path.startswith("/")):
        raise ExportError(f"{problem}: each part of the path may only use letters, digits, "
                          "'.', '_', '~' and '-' (no '..', quotes or spaces)")
    return base_url.rstrip("/") + "/"


def _serve_copy_at(app: Flask, base: str) -> Catalog:
    """Make the app a copy of the site at `base`: every absolute link (canonical and
    hreflang links, subscribe buttons, event URLs in feeds, JSON-LD, Atom, the API) points
    there, while feed UIDs and Atom ids keep the original host (Meta.served_at)."""
    catalog: Catalog = app.extensions["canal_catalog"]
    if base.rstrip("/") != catalog.meta.base_url:
        catalog = catalog.served_at(base)
        app.extensions["canal_catalog"] = catalog
        kept = app.extensions["canal_feeds"]
        app.extensions["canal_feeds"] = ical.FeedCache(catalog, kept.ledger, kept.window_days)
    return catalog


def check_destination(outdir: Path) -> None:
    """ExportError unless `outdir` can become the export: new, empty, or an earlier export."""
    nearest = next(path for path in (outdir, *outdir.parents) if path.exists())
    if not nearest.is_dir():
        raise ExportError(f"{nearest} is a file, not a folder; choose another place for the export")
    # Frozen-Flask deletes files it did not write; never do that to a folder we did not make.
    if outdir.exists() and any(outdir.iterdir()) and not (outdir / MARKER).exists():
        raise ExportError(f"{outdir} is not empty and is not an earlier export; "
                          "choose an empty or new folder")
    # Writing a page through a symbolic link left inside would write wherever it points.
    if outdir.exists():
        for folder, dirs, files in os.walk(outdir):
            for name in dirs + files:
                path = Path(folder) / name
                if path.is_symlink():
                    raise ExportError(f"{path} is a symbolic link; the export writes only real "
                                      "files and folders: remove it or choose another folder")


def freeze_site(app: Flask, outdir: str | os.PathLike, base_url: str | None = None,
                progress: Callable[[str, int], None] = lambda url, expected: None) -> ExportSummary:
    """Write the site into `outdir` for serving at `base_url`; returns what was written.

    `progress(url, expected)` is called after each file; `expected` estimates the total
    (links found while rendering can add a few).
    """
    destination = Path(outdir).resolve()
    check_destination(destination)
    base = check_base_url(base_url or app.extensions["canal_catalog"].meta.base_url)
    catalog = _serve_copy_at(app, base)
    app.config.update(
        FREEZER_DESTINATION=str(destination),
        FREEZER_BASE_URL=base,
        FREEZER_REMOVE_EXTRA_FILES=True,
        FREEZER_IGNORE_MIMETYPE_WARNINGS=True,
        FREEZER_DESTINATION_IGNORE=[MARKER],
        CANAL_STATIC_EXPORT=True,
    )
    # Pages rendered before, for the live site, must not end up in the export.
    app.extensions.pop("canal_page_cache", None)
    freezer = _Freezer(app, with_no_argument_rules=False, log_url_for=True)

    with app.test_request_context(base_url=base):
        from .views.current import now
        moment = now()
        today = moment.date()
    months = _months(catalog, today)
    app.config["CANAL_EXPORT_MONTHS"] = frozenset(months)

    @freezer.register_generator
    def everything():
        for rule in app.url_map.iter_rules():
            # Pages without parameters, once per language (the lang default tells them apart).
            free = rule.arguments - set(rule.defaults or {})
            if rule.endpoint not in SERVER_ONLY and not free and "GET" in (rule.methods or ()):
                yield rule.endpoint, dict(rule.defaults or {})
        for lang in LANGS:
            for event_id in catalog.events:
                yield "events.event", {"lang": lang, "event_id": event_id}
                yield "feeds.event", {"lang": lang, "id": event_id}
                yield "subscribe.event", {"lang": lang, "id": event_id}
            for site_id in catalog.sites:
                yield "sites.site", {"lang": lang, "site_id": site_id}
                yield "feeds.site", {"lang": lang, "id": site_id}
                yield "subscribe.site", {"lang": lang, "id": site_id}
            for area_id in catalog.areas:
                yield "feeds.area", {"lang": lang, "id": area_id}
                yield "subscribe.area", {"lang": lang, "id": area_id}
            for category_id in catalog.categories:
                yield "feeds.category", {"lang": lang, "id": category_id}
                yield "subscribe.category", {"lang": lang, "id": category_id}
            # Share images: what og:image and JSON-LD point at (issue 15).
            for shape in ("card", "square"):
                yield "share.home_image", {"lang": lang, "shape": shape}
                for event_id in catalog.events:
                    yield "share.image", {"lang": lang, "kind": "events", "id": event_id, "shape": shape}
                for site_id in catalog.sites:
                    yield "share.image", {"lang": lang, "kind": "sites", "id": site_id, "shape": shape}
            for year, month in months:
                yield "calendar.calendar_month", {"lang": lang, "year": year, "month": f"{month:02d}"}
            # The archive's year pages (issue 19); /events/archive/ comes with the rules above.
            for year, _ in archive.years(catalog, moment):
                yield "archive.year", {"lang": lang, "year": f"{year:04d}"}
            # Embeds: a static host answers no query, so each default list has its own path.
            for kind, ids in (("area", catalog.areas), ("site", catalog.sites),
                              ("category", catalog.categories)):
                for value in ids:
                    yield f"embed.{kind}", {"lang": lang, "id": value}
        # /sitemap.xml and /robots.txt come with the rules above; an index's parts here.
        with app.test_request_context(base_url=base):
            from .views.sitemap import _current
            parts = len(_current().parts) if _current().is_index else 0
        for number in range(1, parts + 1):
            yield "sitemap.sitemap_part", {"number": number}

    static = app.static_folder  # set: the app is made with its static folder
    static_files = sum(1 for p in Path(static).rglob("*") if p.is_file()) if static else 0
    expected = sum(1 for _ in everything()) + static_files
    summary = ExportSummary(base_url=base)
    with warnings.catch_warnings():
        # Month pages link on without end; the generator above bounds them instead.
        warnings.simplefilter("ignore", FrozenFlaskWarning)
        for page in freezer.freeze_yield():
            progress(page.url, expected)
    _write_not_found_pages(app, destination, base)
    _write_plain_assets(app, destination)
    for path in sorted(destination.rglob("*")):
        if path.is_file() and path.name != MARKER and path.suffix not in PRECOMPRESSED:
            summary.files += 1
            summary.bytes += path.stat().st_size
            summary.by_kind[_kind(path)] += 1
            summary.compressed += _write_compressed_copies(path)
    _write_headers_file(destination, base)
    (destination / MARKER).write_text("Written by `flask canal freeze`; safe to replace.\n")
    return summary


def _write_plain_assets(app: Flask, destination: Path) -> None:
    """Every static file under its plain name too (pages link the hashed names): links that
    outlive an export, such as another site's embed snippet, keep working."""
    folder = destination / (app.static_url_path or "/static").strip("/")
    for asset in app.extensions["canal_assets"].by_path.values():
        target = folder / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset.body)


def _write_not_found_pages(app: Flask, destination: Path, base: str) -> None:
    """404.html (and en/404.html): what most static hosts show for a missing path."""
    client = app.test_client()
    for prefix in ("", "en/"):
        # Its own app context, as for every page (see _Freezer): under `flask canal freeze`
        # one is already pushed, and the two pages would share one `g` and one language.
        with app.app_context():
            response = client.get(f"/{prefix}__not_found__/", base_url=base)
        (destination / prefix / "404.html").write_bytes(response.get_data())


def _write_headers_file(destination: Path, base: str) -> None:
    """_headers (Netlify, Cloudflare Pages and others read it): the live site's security
    headers for every file. Pages also carry their script policy in a <meta> element."""
    prefix = urlsplit(base).path.rstrip("/")
    (destination / "_headers").write_text(
        f"{prefix}/*\n"
        # Only what the pages' own policies cannot say, or that they all say: a browser
        # enforces both policies, so a script-src here would block the map's inline script.
        "  Content-Security-Policy: frame-ancestors 'none'; object-src 'none'; base-uri 'self'\n"
        "  X-Content-Type-Options: nosniff\n"
        "  Referrer-Policy: strict-origin-when-cross-origin\n"
        "  X-Frame-Options: DENY\n", encoding="utf-8")
