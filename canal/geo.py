"""Coordinates: WGS-84 → GCJ-02 for Chinese web maps, straight-line distances, and the
distance from a point to a line (a site to the canal).

Every coordinate in events.toml is WGS-84. Gaode/AutoNavi tiles are drawn in GCJ-02
("Mars coordinates"), a deliberately obfuscated datum offset by a few hundred metres
(about 500–570 m around Tongzhou–Xianghe–Wuqing), so points shown on those tiles must
be shifted first. The forward transform below is the widely published formula (the
same constants as eviltransform and coordtransform); it has no exact inverse, and we
never need one: the site only converts its own WGS-84 points for display.

No Flask here; pure functions of numbers.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

# Krasovsky 1940 ellipsoid, as the published GCJ-02 formula uses it.
_A = 6378245.0
_EE = 0.00669342162296594323
# Mean Earth radius (IUGG), for great-circle distances.
EARTH_RADIUS_M = 6371008.8


def in_china(lat: float, lon: float) -> bool:
    """Whether GCJ-02 applies to the point (the rough box the published formula uses)."""
    return 72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271


def _shift_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _shift_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """The GCJ-02 (lat, lon) of a WGS-84 point; points outside China are returned as they are."""
    if not in_china(lat, lon):
        return lat, lon
    d_lat = _shift_lat(lon - 105.0, lat - 35.0)
    d_lon = _shift_lon(lon - 105.0, lat - 35.0)
    rad_lat = math.radians(lat)
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lat + d_lat, lon + d_lon


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres between two WGS-84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def nearest_on_polyline(lat: float, lon: float,
                        points: Sequence[tuple[float, float]]) -> tuple[float, int]:
    """The distance in metres from a WGS-84 point to a polyline of (lat, lon) points, and
    the index of the polyline's piece (points[i] to points[i + 1]) that comes closest.

    Each piece is measured in a flat projection centred on the point (x east, y north,
    metres). Within the ~10 km that matter here this is within a few metres of the
    great-circle answer, and it lets a point fall between two vertices, which matters
    for a wharf beside a long straight reach drawn with vertices 1 km apart.
    """
    if not points:
        raise ValueError("a polyline needs at least one point")
    metres_per_degree = math.radians(EARTH_RADIUS_M)
    scale_x = metres_per_degree * math.cos(math.radians(lat))

    def flat(p: tuple[float, float]) -> tuple[float, float]:
        return (p[1] - lon) * scale_x, (p[0] - lat) * metres_per_degree

    if len(points) == 1:
        x, y = flat(points[0])
        return math.hypot(x, y), 0
    best, best_index = math.inf, 0
    ax, ay = flat(points[0])
    for index in range(len(points) - 1):
        bx, by = flat(points[index + 1])
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        # The foot of the perpendicular from the origin (our point), kept on the piece.
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
        distance = math.hypot(ax + t * dx, ay + t * dy)
        if distance < best:
            best, best_index = distance, index
        ax, ay = bx, by
    return best, best_index


def distance_to_polyline_m(lat: float, lon: float,
                           points: Sequence[tuple[float, float]]) -> float:
    """The distance in metres from a WGS-84 point to the nearest point of a polyline."""
    return nearest_on_polyline(lat, lon, points)[0]


# Baidu's BD-09 is a further, documented-by-practice shift of GCJ-02 (the same formula as
# coordtransform's gcj02tobd09 and Baidu's own JS converter); 3000·π/180 is its constant.
_X_PI = math.pi * 3000.0 / 180.0


def gcj02_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    """The BD-09 (lat, lon) Baidu Maps uses, from a GCJ-02 point."""
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def wgs84_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    """The BD-09 (lat, lon) of a WGS-84 point (through GCJ-02); outside China unchanged."""
    if not in_china(lat, lon):
        return lat, lon
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))
