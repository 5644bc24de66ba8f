"""Static files under content-hashed URLs, and every text answer compressed.

- `url_for('static', filename='map.js')` gives `/static/map.<hash>.js`, served with
  `Cache-Control: public, max-age=31536000, immutable`: a repeat visit takes every asset
  from the browser's cache without asking. The plain name keeps working (revalidated on
  each use, as before), for links that outlive a deploy.
- Every 200 answer with a text body (pages, feeds, Atom, JSON, GeoJSON, assets) is sent
  as brotli or gzip when the client accepts it, with `Vary: Accept-Encoding` and an ETag
  per representation (`"<etag>-br"`), so caches and 304s stay exact for each encoding.
  Compressed copies are made once per body (canal.compression).
"""
from __future__ import annotations

from flask import Flask, Response, current_app, g, request

from ..assets import Manifest
from ..compression import ENCODINGS, MIN_BYTES, CompressedBodies, compress, is_text

ASSET_MAX_AGE = 365 * 24 * 3600
ETAG_SUFFIX = {"br": "br", "gzip": "gz"}


def manifest() -> Manifest:
    return current_app.extensions["canal_assets"]


def serve_static(filename: str) -> Response:
    """A static file: for a year under its hashed name, revalidated under its plain name."""
    found = manifest().find(filename)
    if found is None:
        # A file put in place after start-up (or none: Flask's 404, safe from "../").
        return current_app.send_static_file(filename)
    asset, hashed = found
    response = Response(asset.body, mimetype=asset.mimetype)
    response.set_etag(asset.digest)
    response.cache_control.public = True
    if hashed:
        response.cache_control.max_age = ASSET_MAX_AGE
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    response.make_conditional(request)  # in place (it returns the same object, typed as werkzeug's)
    return response


def plain_name(filename: str) -> str:
    """The file a static URL names, hashed or not ("map.0123456789ab.js" -> "map.js")."""
    found = manifest().find(filename)
    return found[0].path if found else filename


def stable_static_url(filename: str) -> str:
    """A static file's plain URL, for other sites to keep for years (an embed snippet):
    it always serves the current file, where a hashed name would go stale."""
    return f"{request.script_root}{current_app.static_url_path}/{filename}"


def _hashed_static_names(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = manifest().url_name(values["filename"])


def chosen_encoding() -> str | None:
    """The best content coding the client accepts ("br", "gzip"), or None for identity."""
    accepted = request.accept_encodings
    best = max(ENCODINGS, key=lambda name: accepted.quality(name))
    return best if accepted.quality(best) > 0 else None


def compress_response(response: Response) -> Response:
    """Send a text answer in the best encoding the client takes (after_request)."""
    if response.direct_passthrough or "Content-Encoding" in response.headers:
        return response
    if not is_text(response.mimetype):
        return response
    # Also on 304s and small bodies: what a cache stores depends on the client's encodings.
    response.vary.add("Accept-Encoding")
    if response.status_code != 200 or request.method not in ("GET", "HEAD"):
        return response
    encoding = chosen_encoding()
    body = response.get_data()
    if encoding is None or len(body) < MIN_BYTES:
        return response
    etag, _ = response.get_etag()
    if etag:
        bodies: CompressedBodies = current_app.extensions["canal_compressed"]
        data = bodies.get(etag, encoding, body, best=request.endpoint == "static")
    else:
        data = compress(body, encoding)  # unvalidated answers (the plan) change per visitor
    response.set_data(data)
    response.headers["Content-Encoding"] = encoding
    if etag:
        response.set_etag(f"{etag}-{ETAG_SUFFIX[encoding]}")
        # The client may hold exactly this representation: answer 304 for it.
        response.make_conditional(request)  # in place
    return response


def first_use(name: str) -> bool:
    """True the first time this page asks for `name`: a script that two parts of a page need
    (visit.js: the hours box and the map's pop-ups) is included once."""
    used = g.setdefault("canal_scripts_used", set())
    if name in used:
        return False
    used.add(name)
    return True


def init_app(app: Flask) -> None:
    app.add_template_global(first_use, "first_use")
    app.extensions["canal_assets"] = Manifest.build(app.static_folder or "static")
    app.extensions["canal_compressed"] = CompressedBodies()
    app.view_functions["static"] = serve_static
    app.url_defaults(_hashed_static_names)
    app.after_request(compress_response)
