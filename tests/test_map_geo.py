"""WGS-84 → GCJ-02 agrees with published reference pairs, and distances are right."""
from __future__ import annotations

import pytest

from canal.geo import haversine_m, in_china, wgs84_to_gcj02

# (WGS-84 lat, lon) -> (GCJ-02 lat, lon), from public test suites of widely used converters:
# eviltransform (Shanghai, Shenzhen, Beijing), coordtransform (Tiananmen) and a third tool.
REFERENCE_PAIRS = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),
    ((39.915, 116.404), (39.91640428150164, 116.41024449916938)),
    ((30.6107779, 121.0917077), (30.608604331756705, 121.09626935575027)),
]


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE_PAIRS)
def test_gcj02_matches_reference_within_a_metre(wgs, gcj):
    converted = wgs84_to_gcj02(*wgs)
    assert haversine_m(*converted, *gcj) < 1.0


def test_offset_along_the_north_canal_is_about_half_a_kilometre():
    # Xianghe central wharf, the Beiguan confluence and Hexiwu (their data/SITES.md
    # positions): the issue says 500–570 m.
    for point in [(39.77235, 116.93426), (39.91914, 116.66074), (39.62100, 116.95150)]:
        assert 500 < haversine_m(*point, *wgs84_to_gcj02(*point)) < 570


def test_points_outside_china_are_not_shifted():
    assert not in_china(51.5, -0.12)
    assert wgs84_to_gcj02(51.5, -0.12) == (51.5, -0.12)


def test_haversine_known_distances():
    # One degree of latitude is about 111.2 km on the mean sphere.
    assert haversine_m(39.0, 116.0, 40.0, 116.0) == pytest.approx(111_195, rel=1e-4)
    assert haversine_m(39.9, 116.7, 39.9, 116.7) == 0
    # Tongzhou to Xianghe central wharf (data/SITES.md), about 27.5 km as the crow flies.
    assert 27_000 < haversine_m(39.9040, 116.6618, 39.77235, 116.93426) < 28_000
