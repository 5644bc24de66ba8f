"""Compressed copies of response bodies: brotli and gzip, each made once per body.

A body is named by its strong validator (the ETag), so a page, feed or asset that
thousands of clients fetch is compressed once, not once per request. Copies are kept
least recently used first out, bounded by their size.

No Flask here; `canal.views.http` picks the encoding from the request.
"""
from __future__ import annotations

import gzip
import threading
from collections import OrderedDict

import brotli

# Best first, as browsers prefer them when they accept both.
ENCODINGS = ("br", "gzip")
# Below this, headers and a round trip cost more than the bytes saved.
MIN_BYTES = 256
# Text the browser reads; images and fonts are compressed already.
TEXT_TYPES = frozenset({
    "application/json", "application/geo+json", "application/atom+xml",
    "application/xml", "application/manifest+json", "image/svg+xml",
    "text/javascript", "application/javascript",
})


def is_text(mimetype: str | None) -> bool:
    """Whether bodies of this type shrink when compressed."""
    return mimetype is not None and (mimetype.startswith("text/") or mimetype in TEXT_TYPES)


def compress(body: bytes, encoding: str, best: bool = False) -> bytes:
    """`body` in `encoding` ("br" or "gzip"). `best` spends more time for fewer bytes:
    right for files compressed once for good (static assets, an export), too slow for a
    large feed built on a request."""
    if encoding == "br":
        return brotli.compress(body, quality=11 if best else 6)
    if encoding == "gzip":
        # mtime=0: the same body always gives the same bytes (and the same validator).
        return gzip.compress(body, compresslevel=9 if best else 6, mtime=0)
    raise ValueError(f"unknown content coding {encoding!r}")


class CompressedBodies:
    """Compressed copies keyed by (validator, encoding); thread-safe, bounded in bytes."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024):
        self._entries: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.max_bytes = max_bytes
        self.size = 0

    def get(self, etag: str, encoding: str, body: bytes, best: bool = False) -> bytes:
        """The compressed copy of `body` (whose validator is `etag`), made on first use."""
        key = (etag, encoding)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        # Compress outside the lock: another thread may do the same body at the same
        # time, which only costs a little work twice.
        made = compress(body, encoding, best)
        with self._lock:
            if key not in self._entries:
                self._entries[key] = made
                self.size += len(made)
                while self.size > self.max_bytes and len(self._entries) > 1:
                    self.size -= len(self._entries.popitem(last=False)[1])
        return made

    def __len__(self) -> int:
        return len(self._entries)
