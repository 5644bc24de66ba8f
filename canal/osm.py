"""Refresh a segment of data/north-canal.geojson from an OpenStreetMap Overpass answer. No Flask.

The line was built offline; segment E (Yangcun to Sanchakou) is still a schematic. With a
connection, an operator saves Overpass's answer for the river (README.md gives the query,
`out geom`), and `flask canal line-from-osm` turns it into that segment: the ways are
joined end to end into one line, cut to the segment's two ends, thinned, and written in
place of the old geometry with OpenStreetMap as its source. Nothing here fetches anything:
the answer is a file, so the result can be reviewed and committed like any other edit.
"""
from __future__ import annotations

import copy
import re
from datetime import date
from itertools import pairwise

from .geo import haversine_m
from .route import parse_line

SCHEMATIC_SENTENCE = " Canal line south of Yangcun is an approximate schematic."
# Vertices closer than this to the one kept before them add bytes, not shape (the traced
# segments have them 100–150 m apart).
MIN_SPACING_M = 40.0
# How close (metres) two ways' ends must be to count as joined (OSM ways share end nodes,
# so they are normally identical).
JOIN_M = 5.0
# How far (metres) the OSM line may pass from the segment's ends and still be the same
# reach: the schematic's own error, at least a kilometre.
MIN_REACH_M = 1000.0


class OsmError(ValueError):
    """The Overpass answer cannot replace the segment; the message says why."""


def ways_of(answer: dict) -> list[tuple[int, list[tuple[float, float]]]]:
    """(way id, [(lat, lon), …]) for every way with geometry, including relation members."""
    if not isinstance(answer, dict) or not isinstance(answer.get("elements"), list):
        raise OsmError("not an Overpass JSON answer: expected {\"elements\": [...]} "
                       "(ask with [out:json] and `out geom;`)")
    found: dict[int, list[tuple[float, float]]] = {}

    def take(way_id, geometry) -> None:
        if isinstance(geometry, list) and len(geometry) >= 2:
            points = [(float(p["lat"]), float(p["lon"])) for p in geometry
                      if isinstance(p, dict) and "lat" in p and "lon" in p]
            if len(points) >= 2:
                found.setdefault(way_id, points)

    for element in answer["elements"]:
        if not isinstance(element, dict):
            continue
        if element.get("type") == "way":
            take(element.get("id"), element.get("geometry"))
        elif element.get("type") == "relation":
            for member in element.get("members", []):
                if isinstance(member, dict) and member.get("type") == "way":
                    take(member.get("ref"), member.get("geometry"))
    if not found:
        raise OsmError("the Overpass answer has no ways with geometry (was the query `out geom;`?)")
    return list(found.items())


def _nearest_index(points, target) -> tuple[int, float]:
    distances = [haversine_m(*p, *target) for p in points]
    index = min(range(len(points)), key=distances.__getitem__)
    return index, distances[index]


def chain(ways, start: tuple[float, float]) -> tuple[list[tuple[float, float]], list[int]]:
    """Join ways end to end into one line, beginning with the way end nearest to `start`."""
    remaining = dict(ways)
    ends = [(way_id, reverse, points[-1] if reverse else points[0])
            for way_id, points in remaining.items() for reverse in (False, True)]
    way_id, reverse, _ = min(ends, key=lambda e: haversine_m(e[2][0], e[2][1], start[0], start[1]))
    points = remaining.pop(way_id)
    line, used = list(reversed(points) if reverse else points), [way_id]
    while True:
        tail = line[-1]
        follow = None
        for other_id, other in remaining.items():
            if haversine_m(*other[0], *tail) <= JOIN_M:
                follow = (other_id, other)
                break
            if haversine_m(*other[-1], *tail) <= JOIN_M:
                follow = (other_id, list(reversed(other)))
                break
        if follow is None:
            return line, used
        remaining.pop(follow[0])
        line.extend(follow[1][1:])
        used.append(follow[0])


def thin(points, spacing: float = MIN_SPACING_M) -> list[tuple[float, float]]:
    """Drop vertices closer than `spacing` to the last one kept; keep both ends."""
    kept = [points[0]]
    for point in points[1:-1]:
        if haversine_m(*kept[-1], *point) >= spacing:
            kept.append(point)
    kept.append(points[-1])
    return kept


def replace_segment(doc: dict, name: str, answer: dict, today: date) -> tuple[dict, str]:
    """`doc` (the line file's JSON) with segment `name` traced from the Overpass `answer`;
    and a one-line summary. OsmError when the answer does not cover the segment."""
    line = parse_line(doc)
    names = [s.name for s in line.segments]
    if name not in names:
        raise OsmError(f"no segment {name!r} in the line (segments: {', '.join(names)})")
    number = names.index(name)
    segment = line.segments[number]
    start, end = segment.points[0], segment.points[-1]
    joined, used = chain(ways_of(answer), start)
    reach = max(MIN_REACH_M, float(segment.max_error_m))
    first, off_start = _nearest_index(joined, start)
    last, off_end = _nearest_index(joined, end)
    if off_start > reach or off_end > reach:
        raise OsmError(f"the OpenStreetMap ways pass {off_start:,.0f} m from the start and "
                       f"{off_end:,.0f} m from the end of segment {name} (more than {reach:,.0f} m): "
                       "the answer does not cover this reach (check the query's box and name)")
    if first > last:
        joined, first, last = joined[::-1], len(joined) - 1 - first, len(joined) - 1 - last
    middle = joined[first:last + 1]
    # Keep the joints exact, so the drawn line stays continuous with its neighbours.
    points = [start] + middle + ([end] if number + 1 < len(names) else [])
    points = thin([p for i, p in enumerate(points) if i == 0 or p != points[i - 1]])
    km = sum(haversine_m(*a, *b) for a, b in pairwise(points)) / 1000

    result = copy.deepcopy(doc)
    feature = result["features"][number]
    feature["geometry"]["coordinates"] = [[round(lon, 6), round(lat, 6)] for lat, lon in points]
    feature["properties"].update({
        "schematic": False,
        "length_km": round(km, 1),
        "source": f"OpenStreetMap via the Overpass API, {today.isoformat()}: "
                  f"waterway=river name=北运河, ways {', '.join(str(w) for w in used)}",
        "datum": "WGS-84 (OpenStreetMap)",
        "licence": "ODbL 1.0 (data © OpenStreetMap contributors)",
        "est_error_m": "10-30 (OpenStreetMap centreline)",
        "max_error_m": 30,
        "check": "none yet: compare with the tiles before committing",
    })
    index = 0
    for other in result["features"]:
        count = len(other["geometry"]["coordinates"])
        other["properties"]["vertices"] = [index, index + count - 1]
        index += count - 1
    if not any(f["properties"]["schematic"] for f in result["features"]):
        result["attribution"] = result["attribution"].replace(SCHEMATIC_SENTENCE, "")
        result["precision_note"] = "Traced from OpenStreetMap-derived data along its whole length."
    parse_line(result)  # what we write must read back
    summary = (f"segment {name}: {len(points)} vertices, {km:.1f} km from {len(used)} OpenStreetMap "
               f"way(s); was {len(segment.points)} vertices, schematic={segment.schematic}")
    return result, summary


def dumps(doc: dict) -> str:
    """The line file's text: indented, with each [lon, lat] pair on one line (readable diffs)."""
    import json

    text = json.dumps(doc, ensure_ascii=False, indent=1)
    return re.sub(r"\[\s+(-?[0-9.]+),\s+(-?[0-9.]+)\s+\]", r"[\1, \2]", text) + "\n"
