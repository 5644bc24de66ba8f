"""The North Canal line: data/north-canal.geojson read into its segments. No Flask.

The line is traced from OpenStreetMap-derived tiles from Beiguan to Yangcun (segments
A–D, tens of metres) and is our own schematic from Yangcun to Sanchakou (segment E,
1–2 km). Each segment says which it is (`schematic`), where it comes from and how far
off it may be, so the map can draw the schematic reach differently and the content
check can say when a site is measured against a line that is itself approximate.
The file carries its licence and attribution (ODbL): see data/README.md, data/LICENSE.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from .geo import nearest_on_polyline

ROUTE_PATH = Path(__file__).resolve().parent.parent / "data" / "north-canal.geojson"


class RouteError(ValueError):
    """The canal line file is missing or not what the site expects."""


@dataclass(frozen=True)
class Segment:
    """One reach of the line, with its provenance."""

    id: str                              # the GeoJSON feature id, e.g. "north-canal-a"
    name: str                            # "A" … "E"
    schematic: bool                      # drawn by hand, not traced from a map
    points: tuple[tuple[float, float], ...]  # (lat, lon), WGS-84, downstream order
    source: str
    est_error_m: str                     # as the tracer wrote it, e.g. "15-30 typical, <=50"
    max_error_m: int                     # the largest error that estimate allows


@dataclass(frozen=True)
class CanalLine:
    """The whole line: segments in order, each starting where the one before ends."""

    segments: tuple[Segment, ...]
    license: str
    license_url: str
    attribution: str
    attribution_url: str

    @property
    def points(self) -> tuple[tuple[float, float], ...]:
        """Every vertex from Beiguan to Sanchakou, each shared joint once."""
        found: list[tuple[float, float]] = []
        for segment in self.segments:
            found.extend(segment.points[1:] if found and found[-1] == segment.points[0]
                         else segment.points)
        return tuple(found)

    def nearest(self, lat: float, lon: float) -> tuple[float, Segment]:
        """How far (metres) a WGS-84 point is from the line, and the segment nearest to it."""
        return min(((nearest_on_polyline(lat, lon, s.points)[0], s) for s in self.segments),
                   key=lambda pair: pair[0])


def _text(value, what: str, path: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RouteError(f"{path}: {what} must be non-empty text")
    return value


def parse_line(doc: dict, path: Path = ROUTE_PATH) -> CanalLine:
    """A CanalLine from the GeoJSON document; RouteError saying what is wrong."""
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise RouteError(f"{path}: expected a GeoJSON FeatureCollection")
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        raise RouteError(f"{path}: expected at least one feature (a segment of the line)")
    segments = []
    for number, feature in enumerate(features):
        where = f"features[{number}]"
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") != "LineString":
            raise RouteError(f"{path}: {where}: expected a LineString")
        coords = geometry.get("coordinates")
        if (not isinstance(coords, list) or len(coords) < 2 or not all(
                isinstance(c, list) and len(c) >= 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in c[:2])
                for c in coords)):
            raise RouteError(f"{path}: {where}: expected at least two [lon, lat] positions")
        if not isinstance(props, dict):
            raise RouteError(f"{path}: {where}: properties are missing")
        if not isinstance(props.get("schematic"), bool):
            raise RouteError(f"{path}: {where}.properties.schematic must be true or false")
        max_error = props.get("max_error_m")
        if isinstance(max_error, bool) or not isinstance(max_error, int) or max_error <= 0:
            raise RouteError(f"{path}: {where}.properties.max_error_m must be a whole number "
                             "of metres above 0")
        segments.append(Segment(
            id=_text(feature.get("id"), f"{where}.id", path),
            name=_text(props.get("segment"), f"{where}.properties.segment", path),
            schematic=props["schematic"],
            points=tuple((float(lat), float(lon)) for lon, lat, *_ in coords),
            source=_text(props.get("source"), f"{where}.properties.source", path),
            est_error_m=_text(props.get("est_error_m"), f"{where}.properties.est_error_m", path),
            max_error_m=max_error,
        ))
    for before, after in pairwise(segments):
        if before.points[-1] != after.points[0]:
            raise RouteError(f"{path}: segment {after.name} does not start where "
                             f"{before.name} ends: the drawn line would have a gap")
    return CanalLine(
        segments=tuple(segments),
        license=_text(doc.get("license"), "license", path),
        license_url=_text(doc.get("license_url"), "license_url", path),
        attribution=_text(doc.get("attribution"), "attribution", path),
        attribution_url=_text(doc.get("attribution_url"), "attribution_url", path),
    )


@lru_cache(maxsize=4)
def load_line(path: Path = ROUTE_PATH) -> CanalLine:
    """The canal line from the repository's GeoJSON (read once per path)."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RouteError(f"{path}: file not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RouteError(f"{path}: not JSON ({err})") from None
    return parse_line(doc, path)
