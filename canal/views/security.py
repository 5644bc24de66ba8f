"""Security headers on every response.

Scripts may only come from our own origin or be inline scripts whose sha256 the
page registered while rendering (the map's generated script), so injected
markup cannot run even if escaping ever failed somewhere. Each response lists
only its own scripts' hashes, so the header stays small however many maps exist.
"""
from __future__ import annotations

import base64
import hashlib

from flask import Flask, Response, g

# Leaflet and folium set element styles; inline styles cannot run code.
STYLE_SOURCES = "'self' 'unsafe-inline'"
NO_FRAMING = "'none'"


def script_hash(script: str) -> str:
    """The CSP source expression allowing exactly this inline script text."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def allow_inline_script(script: str) -> None:
    """Let this exact inline script run in the page being rendered."""
    inline_script_hashes().add(script_hash(script))


def inline_script_hashes() -> set[str]:
    """The hashes the current response allows (cached pages restore theirs)."""
    if "csp_script_hashes" not in g:
        g.csp_script_hashes = set()
    return g.csp_script_hashes


def allow_framing(sources: str) -> None:
    """Let the response being made be framed by these CSP sources (embeds only).

    Every other response keeps `frame-ancestors 'none'` and X-Frame-Options DENY, so no
    page but an embed can be put in a frame (clickjacking)."""
    g.canal_frame_ancestors = sources


def content_security_policy(app: Flask) -> str:
    hashes = " ".join(sorted(g.get("csp_script_hashes", ())))
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
        f"frame-ancestors {g.get('canal_frame_ancestors', NO_FRAMING)}",
    ])


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = content_security_policy(app)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        # X-Frame-Options cannot name several sites; browsers that know CSP ignore it
        # whenever frame-ancestors is present, so a framable answer simply goes without.
        if g.get("canal_frame_ancestors", NO_FRAMING) == NO_FRAMING:
            response.headers["X-Frame-Options"] = "DENY"
        if app.config.get("CANAL_STATIC_EXPORT") and response.mimetype == "text/html":
            _policy_in_page(response)
        return response


# A static host sends no headers of ours, so the export carries the policy in each page
# (and in _headers, for hosts that read one: see export.py). frame-ancestors has no effect
# in a <meta> element (browsers warn about it), so only _headers can say it.
META_CHARSET = b'<meta charset="utf-8">'


def _policy_in_page(response: Response) -> None:
    policy = "; ".join(d for d in response.headers["Content-Security-Policy"].split("; ")
                       if not d.startswith("frame-ancestors"))
    body = response.get_data()
    if META_CHARSET in body:
        meta = f'\n  <meta http-equiv="Content-Security-Policy" content="{policy}">'.encode()
        response.set_data(body.replace(META_CHARSET, META_CHARSET + meta, 1))
