"""Responses that caches and CDNs can carry: strong ETag, Last-Modified, 304s.

Bodies are computed once per catalog (see the renderers), so a request costs a
lookup, a hash comparison and headers.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from flask import Response, request

DEFAULT_MAX_AGE = 3600


def etag_of(body: bytes) -> str:
    """A strong validator: the body's sha256, shortened (collisions are not a concern here)."""
    return hashlib.sha256(body).hexdigest()[:32]


def conditional(body: bytes, mimetype: str, last_modified: datetime | None = None,
                max_age: int = DEFAULT_MAX_AGE, etag: str | None = None,
                headers: dict | None = None) -> Response:
    """A 200 with validators, or a 304 when the client's copy is current."""
    response = Response(body, mimetype=mimetype, headers=headers)
    response.set_etag(etag or etag_of(body))
    if last_modified is not None:
        response.last_modified = last_modified
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response.make_conditional(request)
