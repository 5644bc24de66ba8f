"""What the app believes about the request's address: only what the configured proxy says.

- X-Forwarded-For/-Proto/-Host/-Prefix count only when CANAL_TRUSTED_PROXIES says how
  many proxies set them (werkzeug's ProxyFix); from anyone else they are plain headers.
  gunicorn itself maps no header into SCRIPT_NAME (gunicorn.conf.py, forwarder_headers).
- A mount prefix must look like a path, or the request is refused: it is written into
  every link and is part of the page cache's key.
- Redirects never name a host taken from the request: Werkzeug builds the Location of its
  slash redirects from the Host header, so it is made relative here.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix

PREFIX_PATTERN = re.compile(r"(?:/[A-Za-z0-9._~-]+){0,5}\Z")
REDIRECT_MAX_AGE = 3600


def init_app(app: Flask) -> None:
    proxies = app.extensions["canal_settings"].trusted_proxies
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way to wrap it
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies)

    @app.errorhandler(BadRequest)
    def _bad_request(error: BadRequest):
        # Werkzeug's own page would quote the untrusted Host header back; say nothing of it.
        return Response("400 Bad Request: this address or its headers cannot be answered.\n",
                        status=400, mimetype="text/plain")

    @app.before_request
    def _plain_prefix():
        if not PREFIX_PATTERN.match(request.script_root) or ".." in request.script_root:
            abort(400)

    @app.after_request
    def _relative_redirects(response: Response) -> Response:
        location = response.headers.get("Location")
        if location and 300 <= response.status_code < 400:
            parts = urlsplit(location)
            if parts.netloc and parts.netloc == request.host:
                # Built from the Host header (Werkzeug's slash redirects): path and query only.
                # A redirect to another site on purpose names that site, and is left alone.
                response.headers["Location"] = parts.path + (f"?{parts.query}" if parts.query else "")
            if response.status_code in (301, 308) and not response.cache_control.max_age:
                response.cache_control.public = True
                response.cache_control.max_age = REDIRECT_MAX_AGE
        return response
