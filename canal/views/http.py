"""Responses that caches and CDNs can carry: strong ETag, Last-Modified, 304s.

Bodies are computed once per catalog (see the renderers), so a request costs a
lookup, a hash comparison and headers.
"""
from __future__ import annotations

import hashlib
import sys
import threading
from collections import OrderedDict
from datetime import datetime, timedelta
from functools import wraps

from flask import Response, current_app, request

from .. import occurrence_index as occ
from .current import catalog, now
from .security import inline_script_hashes

DEFAULT_MAX_AGE = 3600


def etag_of(body: bytes) -> str:
    """A strong validator: the body's sha256, shortened (collisions are not a concern here)."""
    return hashlib.sha256(body).hexdigest()[:32]


def conditional(body: bytes, mimetype: str | None, last_modified: datetime | None = None,
                max_age: int = DEFAULT_MAX_AGE, etag: str | None = None,
                headers: dict | None = None) -> Response:
    """A 200 with validators, or a 304 when the client's copy is current."""
    response = Response(body, mimetype=mimetype, headers=headers)
    response.set_etag(etag or etag_of(body))
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = shared_cache_control(max_age)
    response.make_conditional(request)  # in place (it returns the same object, typed as werkzeug's)
    return response


# A CDN may serve a copy this long past its age while it revalidates in the background,
# and for a day when the origin is down: content is read-only, an old copy beats an error.
STALE_WHILE_REVALIDATE = 60
STALE_IF_ERROR = 86400


def shared_cache_control(max_age: int) -> str:
    """Cache-Control for browsers and shared caches (CDNs, nginx) alike."""
    return (f"public, max-age={max_age}, s-maxage={max_age}, "
            f"stale-while-revalidate={STALE_WHILE_REVALIDATE}, stale-if-error={STALE_IF_ERROR}")


class RenderCache:
    """Rendered pages, least recently used first out, thread-safe.

    Bounded by what entries really cost in memory (body, validators, key and the
    dictionary's own bookkeeping: see footprint), not by their count or body alone:
    any query string is a new key, so junk must not grow a worker without limit.
    """

    def __init__(self, max_bytes: int = 64 * 1024 * 1024):
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.max_bytes = max_bytes
        self.size = 0

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry, size: int | None = None) -> None:
        """Keep `entry` under `key`; `size` defaults to the measured footprint of both."""
        cost = footprint((key, entry)) + ENTRY_OVERHEAD if size is None else size
        with self._lock:
            if key in self._entries:
                self.size -= self._entries.pop(key)[1]
            self._entries[key] = (entry, cost)
            self.size += cost
            while self.size > self.max_bytes and len(self._entries) > 1:
                self.size -= self._entries.popitem(last=False)[1][1]

    def __len__(self) -> int:
        return len(self._entries)


# An OrderedDict entry: the hash table slot, its linked-list node and the (entry, cost)
# pair with its int; measured with tracemalloc (tests/test_bounded.py).
ENTRY_OVERHEAD = 200


def footprint(value, _seen=None) -> int:
    """Bytes held by a cache key or entry: containers, strings, bytes, the lot."""
    seen = _seen if _seen is not None else set()
    if id(value) in seen:
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, (tuple, list, frozenset, set)):
        size += sum(footprint(item, seen) for item in value)
    elif isinstance(value, dict):
        size += sum(footprint(k, seen) + footprint(v, seen) for k, v in value.items())
    return size


PAGE_MAX_AGE = 600


def reads(*names: str):
    """Declare the query parameters a page reads (`cached_page(params=...)` does it for
    cached pages). The page's cache key and its language and canonical links keep those
    and drop every other parameter, so a view that reads a new one must declare it, or it
    would be answered from another URL's entry."""
    def declare(view):
        view.page_parameters = frozenset(names)
        return view
    return declare


def page_parameters() -> frozenset:
    """The query parameters the current request's page declared (none for an unrouted path)."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "page_parameters", frozenset())


def canonical_query(names: frozenset) -> tuple:
    """The request's parameters among `names`, by name (each name's values in order)."""
    args = request.args
    return tuple((name, tuple(args.getlist(name))) for name in sorted(args) if name in names)


# Headers a view sets that must survive caching (the JSON API is open to other sites).
KEPT_HEADERS = ("Access-Control-Allow-Origin",)


def this_hour() -> datetime:
    return now().replace(minute=0, second=0, microsecond=0)


def page_last_modified(hour: datetime) -> datetime:
    """Last-Modified of a page made from the content at `hour`: whichever changed last
    (the content changes when the app restarts with a new file)."""
    return max(hour, current_app.extensions["canal_loaded_at"])


def cached_page(view=None, *, params: tuple[str, ...] = (), vary=None):
    """Render a page once per URL and hour, then answer from memory with validators.

    Pages depend on the content (fixed for the app's life) and on "now"; rendering
    them again within the same hour would give the same answer for all practical
    purposes, so the hour is part of the key and the Last-Modified.
    `params`: the query parameters the page reads (see `reads`); the others are no part of
    its key, so `?x=<random>` is a hit, not a new render.
    `@cached_page(vary=f)`: the page also depends on the User-Agent, through f()
    (e.g. "which in-app browser"): f()'s answer joins the key, and the response says
    `Vary: User-Agent` so shared caches keep the variants apart.
    """
    if view is None:
        return lambda decorated: cached_page(decorated, params=params, vary=vary)
    names = frozenset(params)

    @reads(*names)
    @wraps(view)
    def wrapper(**kwargs):
        hour = this_hour()
        # The mount point is part of the page: links and assets are written under it.
        key: tuple = (request.script_root, request.path, canonical_query(names), hour)
        if vary is not None:
            key += (vary(),)
        cache: RenderCache = current_app.extensions.setdefault("canal_page_cache", RenderCache())
        found = cache.get(key)
        entry = found[0] if found else None
        if entry is None:
            response = current_app.make_response(view(**kwargs))
            if response.status_code != 200:
                return response  # errors are cheap and must not crowd out pages
            kept = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
            body = response.get_data()
            # The ETag is hashed once here, not on every answer from the cache.
            entry = (body, etag_of(body), response.mimetype, kept, frozenset(inline_script_hashes()))
            cache.put(key, entry)
        body, etag, mimetype, kept, script_hashes = entry
        inline_script_hashes().update(script_hashes)  # the CSP must allow the page's scripts
        response = conditional(body, mimetype, last_modified=page_last_modified(hour),
                               max_age=PAGE_MAX_AGE, etag=etag, headers=kept)
        if vary is not None:
            response.vary.add("User-Agent")
        return response
    return wrapper


_index_lock = threading.Lock()


def occurrence_index() -> occ.OccurrenceIndex:
    """The app's occurrence index, rebuilt when the catalog changed or "now" left its window."""
    moment = now()
    horizon = moment + timedelta(days=occ.DAYS_AFTER - 30)
    index = current_app.extensions.get("canal_index")
    if index is None or index.catalog is not catalog() or not index.covers(moment, horizon):
        with _index_lock:
            index = current_app.extensions.get("canal_index")
            if index is None or index.catalog is not catalog() or not index.covers(moment, horizon):
                index = occ.OccurrenceIndex(catalog(), moment.date())
                current_app.extensions["canal_index"] = index
    return index
