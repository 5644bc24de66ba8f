"""QR codes for page and feed URLs (segno; no Flask).

Inline SVG for pages: a few hundred bytes of path data with no scripts or styles, so it
is safe inside our HTML under the strict CSP, and scales to any size on a screen. The
module matrix is also what the share images draw (canal/sharecard.py).
"""
from __future__ import annotations

from functools import lru_cache

import segno

# Level M survives a phone camera at an angle, glare on a screen and a small logo-free
# code; URLs of ours stay at version 3-5, which scans comfortably at 160 CSS px.
ERROR_LEVEL = "m"
QUIET_ZONE = 4  # modules of white around the code, as ISO/IEC 18004 asks
DARK = "#1d2a33"  # the site's ink colour: as dark as black to a scanner
LIGHT = "#ffffff"


@lru_cache(maxsize=4096)
def _code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


@lru_cache(maxsize=4096)
def svg(url: str) -> str:
    """An inline <svg> of the QR code for `url`, sized by CSS (viewBox only)."""
    return _code(url).svg_inline(scale=1, border=QUIET_ZONE, omitsize=True, svgclass="qr",
                                 lineclass=None, dark=DARK, light=LIGHT)


def matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The code's modules, row by row (True = dark), without the quiet zone."""
    return tuple(tuple(bool(cell) for cell in row) for row in _code(url).matrix)
