"""Do the sites sit where their kind says? A wharf, lock, sluice or bridge is on the water,
so its point should be near the canal line. No Flask.

These are warnings, not errors: a position can be right and still far from today's
canal (the Tongyun Bridge crosses the Xiaotaihou River, 4.6 km away), and the line
south of Yangcun is itself a schematic. The site then says why in `off_canal`, and
`flask canal check` is quiet about it. Anything else far from the line is most
likely a coordinate pasted from a GCJ-02 web map, or a typo.
"""
from __future__ import annotations

from .loader import LineIndex, Problem
from .model import Catalog, Site
from .route import CanalLine

# Wider than the line's own error on the traced reaches (≤160 m) plus the width of the
# river and its quays; the positions in data/SITES.md on the water are all within 150 m.
MAX_FROM_LINE_M = 300

# A site is on the water when its kind names something that is (either language, as the
# editor wrote it). Matched as parts of words: 船闸, 水利枢纽 ("sluice hub"), 古桥, 步行桥.
WATER_WORDS_ZH = ("码头", "闸", "桥", "渡口")
WATER_WORDS_EN = ("wharf", "lock", "sluice", "bridge", "pier", "ferry")


def on_water(site: Site) -> bool:
    """Whether the site's kind is something on the water (wharf, lock, sluice, bridge…)."""
    zh, en = site.kind.zh, (site.kind.en or "").lower()
    return any(word in zh for word in WATER_WORDS_ZH) or any(word in en for word in WATER_WORDS_EN)


def _metres(value: float) -> str:
    return f"{round(value):,} m"


def position_warnings(catalog: Catalog, line: CanalLine, text: str) -> list[Problem]:
    """Warnings for sites on the water far from the canal line without an `off_canal`
    reason, and for an `off_canal` reason on a site that is in fact beside the line.

    `text` is the content file as read, so each warning names the line to edit.
    """
    lines = LineIndex(text)
    found = []
    for site in catalog.sites.values():
        distance, segment = line.nearest(site.lat, site.lon)
        far = distance > MAX_FROM_LINE_M
        if far and on_water(site) and site.off_canal is None:
            schematic = (f"; the line there is segment {segment.name}, a schematic "
                         f"(±{_metres(segment.max_error_m)})" if segment.schematic else "")
            found.append(Problem(
                catalog.path, lines.line_of(("sites", site.id, "lat")), f"sites.{site.id}",
                f"warning: kind '{site.kind.get('en')}' is on the water, but the site is "
                f"{_metres(distance)} from the canal line (more than {_metres(MAX_FROM_LINE_M)})"
                f"{schematic}: check lat and lon (WGS-84, not GCJ-02), or say why with "
                f"off_canal = \"…\""))
        elif not far and site.off_canal is not None:
            found.append(Problem(
                catalog.path, lines.line_of(("sites", site.id, "off_canal")),
                f"sites.{site.id}.off_canal",
                f"warning: the site is {_metres(distance)} from the canal line, within "
                f"{_metres(MAX_FROM_LINE_M)}: off_canal is not needed; remove it"))
    return sorted(found, key=lambda p: p.line)
