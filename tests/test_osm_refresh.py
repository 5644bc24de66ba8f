"""`flask canal line-from-osm`: a saved Overpass answer replaces the schematic segment E with
OpenStreetMap geometry, continuous with segment D, credited and licensed, and the site's
credit stops calling the line approximate once no schematic reach is left."""
from __future__ import annotations

import json
from datetime import date
from itertools import pairwise

import pytest
from click.testing import CliRunner

from canal import create_app
from canal.cli import canal as canal_cli
from canal.geo import haversine_m
from canal.osm import OsmError, replace_segment
from canal.route import ROUTE_PATH, parse_line
from pages_html import Page

NOW = "2026-12-01T09:00:00"


def line_doc() -> dict:
    return json.loads(ROUTE_PATH.read_text(encoding="utf-8"))


def overpass_answer(east: float = 0.002) -> dict:
    """Segment E as OpenStreetMap might have it: ~170 m east of the schematic, densified,
    in three ways sharing end nodes, the middle one drawn upstream, plus a stray node."""
    e = line_doc()["features"][4]["geometry"]["coordinates"]
    points = []
    for (lon1, lat1), (lon2, lat2) in pairwise(e):
        points += [(lat1 + (lat2 - lat1) * k / 10, lon1 + (lon2 - lon1) * k / 10 + east) for k in range(10)]
    points.append((e[-1][1], e[-1][0] + east))

    def geometry(ps):
        return [{"lat": lat, "lon": lon} for lat, lon in ps]
    return {"version": 0.6, "elements": [
        {"type": "way", "id": 101, "geometry": geometry(points[:25]),
         "tags": {"waterway": "river", "name": "北运河"}},
        {"type": "node", "id": 7, "lat": 39.3, "lon": 117.1},
        {"type": "way", "id": 103, "geometry": geometry(points[49:])},
        {"type": "relation", "id": 9, "members": [
            {"type": "way", "ref": 102, "role": "main_stream", "geometry": geometry(points[24:50][::-1])}]},
    ]}


def test_segment_e_is_traced_from_the_answer_and_stays_joined_to_d():
    doc, summary = replace_segment(line_doc(), "E", overpass_answer(), date(2027, 3, 1))
    line = parse_line(doc)  # continuous, complete: it reads back
    d, e = line.segments[3], line.segments[4]
    assert e.points[0] == d.points[-1]
    assert not e.schematic and e.max_error_m == 30
    assert e.source == ("OpenStreetMap via the Overpass API, 2027-03-01: waterway=river name=北运河, "
                        "ways 101, 102, 103")
    # After the joint with D, every vertex is one of OpenStreetMap's, none the schematic's.
    answer = overpass_answer()["elements"]
    osm = {(round(p["lat"], 6), round(p["lon"], 6)) for element in (answer[0], answer[2], answer[3]["members"][0])
           for p in element["geometry"]}
    assert set(e.points[1:]) <= osm and len(e.points) > 8
    assert haversine_m(*e.points[-1], 39.157, 117.193 + 0.002) < 1
    assert all(haversine_m(*a, *b) >= 40 for a, b in pairwise(e.points[1:-1]))  # thinned
    assert doc["features"][4]["properties"]["vertices"][0] == doc["features"][3]["properties"]["vertices"][1]
    assert doc["attribution"] == ("Map data © OpenStreetMap contributors, available under the Open "
                                  "Database License (ODbL 1.0).")
    assert summary.startswith("segment E: ")
    assert "from 3 OpenStreetMap way(s); was 8 vertices, schematic=True" in summary
    # The other segments are untouched.
    assert doc["features"][:4] == line_doc()["features"][:4]


def test_an_answer_for_another_river_is_refused_with_the_reason():
    far = overpass_answer(east=0.5)  # 43 km east: not this reach
    with pytest.raises(OsmError) as caught:
        replace_segment(line_doc(), "E", far, date(2027, 3, 1))
    assert str(caught.value).startswith("the OpenStreetMap ways pass ")
    assert str(caught.value).endswith("from the end of segment E (more than 2,000 m): the answer does "
                                      "not cover this reach (check the query's box and name)")


@pytest.mark.parametrize(("answer", "message"), [
    ({"remark": "runtime error"}, 'not an Overpass JSON answer: expected {"elements": [...]} '
                                  "(ask with [out:json] and `out geom;`)"),
    ({"elements": [{"type": "way", "id": 1, "nodes": [1, 2]}]},
     "the Overpass answer has no ways with geometry (was the query `out geom;`?)"),
])
def test_an_answer_without_geometry_is_refused(answer, message):
    with pytest.raises(OsmError) as caught:
        replace_segment(line_doc(), "E", answer, date(2027, 3, 1))
    assert str(caught.value) == message


def test_the_command_rewrites_the_line_file_and_says_what_it_did(tmp_path):
    target = tmp_path / "north-canal.geojson"
    target.write_text(ROUTE_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    answer = tmp_path / "osm.json"
    answer.write_text(json.dumps(overpass_answer()), encoding="utf-8")
    result = CliRunner().invoke(canal_cli, ["line-from-osm", str(answer), "--line", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith(f"{target}: segment E: ")
    assert result.output.splitlines()[1] == ("No schematic reach is left: the map credit no longer "
                                             "says the line is approximate.")
    assert parse_line(json.loads(target.read_text(encoding="utf-8"))).segments[4].schematic is False
    bad = tmp_path / "bad.json"
    bad.write_text("<html>rate limited</html>", encoding="utf-8")
    result = CliRunner().invoke(canal_cli, ["line-from-osm", str(bad), "--line", str(target)])
    assert result.exit_code == 1
    assert f"Error: {bad}: cannot read the Overpass answer: Expecting value" in result.output
    result = CliRunner().invoke(canal_cli, ["line-from-osm", str(answer), "--line", str(target),
                                            "--segment", "F"])
    assert result.exit_code == 1
    assert "no segment 'F' in the line (segments: A, B, C, D, E)" in result.output


def test_without_a_schematic_reach_the_page_credit_drops_the_approximate_sentence(monkeypatch):
    traced = parse_line(replace_segment(line_doc(), "E", overpass_answer(), date(2027, 3, 1))[0])
    monkeypatch.setattr("canal.views.maps.load_line", lambda: traced)
    client = create_app({"TESTING": True, "CANAL_NOW": NOW}).test_client()
    text = " ".join(Page(client.get("/en/sites/yangwa-lock/").get_data(as_text=True)).text.split())
    assert "Map data © OpenStreetMap contributors, available under the Open Database License (ODbL 1.0)." in text
    assert "approximate schematic" not in text
