"""Machine-readable outputs parse with real parsers: Atom, JSON, GeoJSON."""
from __future__ import annotations

import json
from datetime import datetime
from xml.etree import ElementTree as ET

import pytest

from canal import atom, create_app
from canal.agenda import Filter, find
from conftest import DATA, NOW

A = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_is_valid_atom(client):
    response = client.get("/en/feeds/events.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{A}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{A}{required}") is not None, required
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{A}link")}
    assert links == {"self": "https://canal.test/en/feeds/events.atom",
                     "alternate": "https://canal.test/en/events/"}
    entries = root.findall(f"{A}entry")
    ids = [e.findtext(f"{A}id") for e in entries]
    assert ids[:2] == ["tag:canal.test,2026:events/farm-food-festival",
                       "tag:canal.test,2026:events/night-lecture"]
    assert len(ids) == len(set(ids)) == 5  # one entry per event, not per date
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{A}{required}"), required
        datetime.fromisoformat(entry.findtext(f"{A}updated"))
        assert entry.find(f"{A}link[@rel='alternate']").get("href").startswith("https://canal.test/en/events/")
    first = entries[0]
    assert first.findtext(f"{A}title") == "Tongwulang Farm-Tourism Food Carnival"
    assert first.findtext(f"{A}summary").startswith("Saturday, 12 December 2026 10:00–17:00")
    cancelled = [e.findtext(f"{A}title") for e in entries if "Cancelled" in e.findtext(f"{A}title")]
    assert cancelled == ["Cancelled: Cancelled fair"]


def test_atom_updated_comes_from_content_not_the_clock(catalog):
    moment = datetime.fromisoformat("2026-11-20T08:00:00+08:00")
    now = datetime.fromisoformat(NOW + "+08:00")
    body = atom.feed(catalog, find(catalog, Filter(), now), "zh", moment)
    assert body == atom.feed(catalog, find(catalog, Filter(), now), "zh", moment)  # stable bytes
    root = ET.fromstring(body)
    assert root.findtext(f"{A}updated") == "2026-11-20T08:00:00+08:00"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans"


def test_atom_parses_with_feedparser(client):
    feedparser = pytest.importorskip("feedparser")
    parsed = feedparser.parse(client.get("/feeds/events.atom").data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.entries[0].title == "通武廊农旅美食嘉年华"


def test_events_json_fields_and_order(client):
    response = client.get("/en/api/events.json?area=langfang&from=2027-05-01&to=2027-05-08")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = json.loads(response.data)
    # Fields are only ever added at the end (issue 17 added the slice: total … next).
    assert list(data) == ["version", "language", "timezone", "filters", "count", "occurrences",
                          "total", "offset", "limit", "next"]
    assert data["filters"] == {"area": ["langfang"], "site": [], "category": [],
                               "from": "2027-05-01", "to": "2027-05-08", "q": ""}
    assert data["count"] == len(data["occurrences"]) == 4  # boat trips 1, 2, 8 May; carnival 8 May
    first = data["occurrences"][0]
    assert list(first) == ["key", "event", "title", "start", "end", "all_day", "status", "site",
                           "area", "categories", "price", "organiser", "url", "source",
                           "ends_at", "previous_start", "booking"]
    assert first["key"] == "boat-trip@2027-05-01"
    assert first["start"] == "2027-05-01T09:00:00+08:00"
    assert first["site"] == {"id": "xianghe-wharf", "name": "Xianghe Central Wharf"}
    assert first["categories"] == [{"id": "boat-trip", "name": "Boat trips"}]
    assert first["url"] == "https://canal.test/en/events/boat-trip/"
    starts = [o["start"] for o in data["occurrences"]]
    assert starts == sorted(starts)


def test_events_json_all_day_dates(client):
    data = client.get("/api/events.json?site=caoyun-wharf").get_json()
    kaicao = [o for o in data["occurrences"] if o["event"] == "kaicao-festival"][0]
    assert (kaicao["start"], kaicao["end"], kaicao["all_day"]) == ("2027-04-17", "2027-04-19", True)
    assert kaicao["title"] == "大运河开漕节"


def test_sites_geojson(client):
    response = client.get("/en/api/sites.geojson")
    assert response.mimetype == "application/geo+json"
    data = json.loads(response.data)
    assert data["type"] == "FeatureCollection"
    features = data["features"]
    assert [f["id"] for f in features] == ["caoyun-wharf", "canal-museum", "xianghe-wharf"]  # north to south
    museum = features[1]
    assert museum["geometry"] == {"type": "Point", "coordinates": [116.700, 39.885]}  # lon, lat
    assert museum["properties"]["name"] == "Grand Canal Museum of Beijing"
    assert museum["properties"]["approximate"] is False
    assert museum["properties"]["url"] == "https://canal.test/en/sites/canal-museum/"


def test_hostile_content_in_machine_outputs():
    client = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "hostile_pages.toml"),
                         "CANAL_NOW": NOW}).test_client()
    root = ET.fromstring(client.get("/en/feeds/events.atom").data)
    [entry] = root.findall(f"{A}entry")
    assert entry.findtext(f"{A}title") == 'Event </script><script>alert("title")</script> & more'
    assert entry.findtext(f"{A}content").startswith("<!-- </script> --> <b onclick=alert(1)>")
    data = client.get("/api/events.json").get_json()
    assert data["occurrences"][0]["title"] == "活动</script><script>alert('title')</script>"
    assert client.get("/api/sites.geojson").get_json()["features"][0]["properties"]["name"].startswith("码头</title>")
