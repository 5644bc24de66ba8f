"""Bounded work per request: junk cannot bypass the caches or grow them, answers have a size."""
from __future__ import annotations

import gc
import sys
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from canal import create_app
from canal import plan as trip
from canal.occurrence_index import OccurrenceIndex
from canal.recurrence import occurrences
from conftest import NOW
from pages_html import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from synth import catalog_toml  # noqa: E402


def test_unknown_parameters_are_answered_from_the_cache(app, client):
    first = client.get("/events/?area=tongzhou")
    for junk in ("x=1", "utm_source=abc", "x=%3Cscript%3E", "area2=tongzhou"):
        again = client.get(f"/events/?area=tongzhou&{junk}")
        assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert len(app.extensions["canal_page_cache"]) == 1
    # The cached page's language link carries the filter, never the junk of whoever came first.
    client.get("/en/sites/?evil=1")
    switch = next(a["href"] for t, a in Page(client.get("/en/sites/").get_data(as_text=True)).elements
                  if t == "a" and "lang-switch" in a.get("class", ""))
    assert switch == "/sites/"


def test_the_cache_bound_counts_what_entries_really_cost(app, client):
    """tracemalloc measures the memory the cache holds; its own count must not undershoot it."""
    from canal.views.http import RenderCache
    client.get("/api/events.json?q=warm")  # first-request allocations (babel, jinja) out of the way
    cache = app.extensions["canal_page_cache"] = RenderCache(max_bytes=10**9)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(300):  # small answers, so keys and bookkeeping weigh as much as bodies
            assert client.get(f"/api/events.json?q=nothing-{i:04d}").status_code == 200
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    bodies = sum(len(entry[0][0]) for entry in cache._entries.values())
    assert len(cache) == 300
    assert held > 1.5 * bodies  # bodies alone would undercount
    assert cache.size >= 0.9 * held, (cache.size, held, bodies)
    # And the bound holds by that count.
    small = app.extensions["canal_page_cache"] = RenderCache(max_bytes=100_000)
    for i in range(200):
        client.get(f"/api/events.json?q=other-{i}")
    assert small.size <= 100_000 and 0 < len(small) < 200


@pytest.fixture(scope="module")
def big_app(tmp_path_factory):
    """700 events over 40 sites: more occurrences in a year than one API answer holds."""
    path = tmp_path_factory.mktemp("big") / "events.toml"
    path.write_text(catalog_toml(700, sites=40), encoding="utf-8")
    return create_app({"TESTING": True, "CANAL_EVENTS": str(path), "CANAL_NOW": NOW})


def test_the_api_answer_is_bounded_and_pages_through_the_rest(big_app):
    client = big_app.test_client()
    first = client.get("/api/events.json").get_json()
    assert first["count"] == first["limit"] == 500 < first["total"]
    assert first["offset"] == 0 and first["next"] == "https://bench.test/api/events.json?offset=500"
    keys, answer = [o["key"] for o in first["occurrences"]], first
    while answer["next"]:
        answer = client.get(answer["next"].replace("https://bench.test", "")).get_json()
        assert 0 < answer["count"] <= 500
        keys += [o["key"] for o in answer["occurrences"]]
    assert len(keys) == len(set(keys)) == first["total"]
    small = client.get("/api/events.json?limit=10&offset=20&q=event").get_json()
    assert small["count"] == 10 and "limit=10" in small["next"] and "offset=30" in small["next"]
    for bad in ("limit=0", "limit=501", "offset=-1", "offset=x", "limit=1&limit=2"):
        answer = client.get(f"/api/events.json?{bad}")
        assert answer.status_code == 400 and answer.get_json()["error"] == "bad-parameter"


def test_the_default_api_request_on_shipped_sized_content_is_whole(client):
    data = client.get("/api/events.json").get_json()
    assert data["count"] == data["total"] and data["next"] is None


def test_the_occurrence_index_answers_as_expansion_does(big_app):
    catalog = big_app.extensions["canal_catalog"]
    index = OccurrenceIndex(catalog, date(2026, 12, 1))
    tz = catalog.tz
    for start, days in ((date(2026, 12, 1), 366), (date(2027, 3, 14), 1), (date(2027, 6, 30), 45)):
        begin = datetime.combine(start, datetime.min.time(), tz)
        finish = begin + timedelta(days=days)
        assert index.between(begin, finish) == occurrences(catalog, begin, finish)
        some = list(catalog.events.values())[::7]
        assert index.between(begin, finish, some) == occurrences(catalog, begin, finish, some)
    assert index.on_day(date(2030, 1, 1)) is None  # outside: the caller expands


def test_plan_nearby_is_the_same_from_the_index(big_app):
    catalog = big_app.extensions["canal_catalog"]
    index = OccurrenceIndex(catalog, date(2026, 12, 1))
    day = date(2026, 12, 1)
    keys = []
    while len(keys) < 20:
        keys += [f"{o.event.id}@{day}" for o in occurrences(catalog, day, day + timedelta(days=1))[:1]]
        day += timedelta(days=3)
    plain = trip.build_plan(catalog, [",".join(keys)], 8.0)
    indexed = trip.build_plan(catalog, [",".join(keys)], 8.0, index=index)
    assert [d.nearby for d in indexed.days] == [d.nearby for d in plain.days]
    assert any(d.nearby for d in plain.days)  # the comparison says something


def test_a_plan_is_rendered_once_for_every_spelling(app, client):
    spellings = ["/plan/?o=boat-trip@2027-05-01,carnival@2027-05-08",
                 "/plan/?o=boat-trip@2027-05-01&o=carnival@2027-05-08",
                 "/plan/?o=boat-trip@2027-05-01,carnival@2027-05-08&x=junk",
                 "/plan/?o=boat-trip@2027-05-01&add=carnival@2027-05-08"]
    bodies = {client.get(url).data for url in spellings}
    assert len(bodies) == 1 and len(app.extensions["canal_plan_cache"]) == 1
    other = client.get("/plan/?o=boat-trip@2027-05-02")
    assert other.data not in bodies and len(app.extensions["canal_plan_cache"]) == 2


def test_gunicorn_workers_recycle_with_jitter():
    settings = {}
    exec((Path(__file__).resolve().parent.parent / "gunicorn.conf.py").read_text(), settings)
    assert settings["max_requests"] > 0 and 0 < settings["max_requests_jitter"] < settings["max_requests"]
    assert settings["control_socket_disable"] is True and settings["forwarder_headers"] == ""
