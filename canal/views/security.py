"""Security headers on every response.

Scripts may only come from our own origin or be inline scripts whose sha256 a
renderer registered (e.g. the map's generated script), so injected markup
cannot run even if escaping ever failed somewhere.
"""
from __future__ import annotations

import base64
import hashlib

from flask import Flask, Response

# Leaflet and folium set element styles; inline styles cannot run code.
STYLE_SOURCES = "'self' 'unsafe-inline'"


def script_hash(script: str) -> str:
    """The CSP source expression allowing exactly this inline script text."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def allow_inline_script(app: Flask, script: str) -> None:
    """Let this exact inline script run under the CSP (call at start-up or render time)."""
    app.extensions.setdefault("csp_script_hashes", set()).add(script_hash(script))


def content_security_policy(app: Flask) -> str:
    hashes = " ".join(sorted(app.extensions.get("csp_script_hashes", ())))
    image_hosts = " ".join(app.config.get("CSP_IMAGE_HOSTS", ()))
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {hashes}".rstrip(),
        f"style-src {STYLE_SOURCES}",
        f"img-src 'self' data: {image_hosts}".rstrip(),
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = content_security_policy(app)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response
