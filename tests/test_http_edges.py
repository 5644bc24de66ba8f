"""What caches are told, through the Flask test client: the CORS header on cached API
answers and their 304s, Last-Modified (the newest change, the hour of a page), exact
Cache-Control, the cache key, and the render cache's bound.
"""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from canal import create_app
from canal.views import http
from conftest import DATA, NOW, set_now

CORS = "Access-Control-Allow-Origin"
PAGE_CACHE = "public, max-age=600, s-maxage=600, stale-while-revalidate=60, stale-if-error=86400"


def make_app(now: str = NOW):
    return create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": now})


@pytest.mark.parametrize("url", ["/api/events.json", "/en/api/events.json?area=tongzhou",
                                 "/api/sites.geojson", "/api/holidays.json"])
def test_api_answers_from_the_cache_keep_the_cors_header(client, url):
    first = client.get(url)
    again = client.get(url)
    assert first.headers[CORS] == again.headers[CORS] == "*"
    assert again.data == first.data
    unchanged = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.headers[CORS] == "*"


def test_pages_have_no_cors_header_even_from_the_cache(client):
    for _ in range(2):
        assert CORS not in client.get("/events/").headers


def test_validators_and_cache_control_of_a_cached_page(client):
    first = client.get("/events/")
    assert first.headers["Cache-Control"] == PAGE_CACHE
    assert first.headers["ETag"] == f'"{hashlib.sha256(first.data).hexdigest()[:32]}"'
    again = client.get("/events/")
    assert again.headers["ETag"] == first.headers["ETag"] and again.headers["Cache-Control"] == PAGE_CACHE
    assert client.get("/events/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get("/events/", headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_page_is_last_modified_at_the_hour_or_when_the_content_was_loaded():
    # The fixed "now" of the tests is before the app was loaded: the load time wins.
    past = make_app()
    loaded = past.extensions["canal_loaded_at"]
    assert past.test_client().get("/events/").last_modified == loaded
    # A "now" after the load: the hour it is in (the page is rendered once an hour).
    future = make_app("2030-06-01T10:42:17")
    assert future.test_client().get("/events/").last_modified == datetime(2030, 6, 1, 2, tzinfo=UTC)


def test_the_hour_is_part_of_the_cache_key():
    app = make_app("2030-06-01T10:42:17")
    client = app.test_client()
    client.get("/events/")
    client.get("/events/")
    assert len(app.extensions["canal_page_cache"]) == 1
    set_now(app, "2030-06-01T10:59:59")
    client.get("/events/")
    assert len(app.extensions["canal_page_cache"]) == 1
    set_now(app, "2030-06-01T11:00:00")
    assert client.get("/events/").last_modified == datetime(2030, 6, 1, 3, tzinfo=UTC)
    assert len(app.extensions["canal_page_cache"]) == 2


def test_parameters_that_make_the_page_are_in_the_key_and_errors_are_not_cached(app, client):
    client.get("/events/?area=tongzhou&category=food")
    client.get("/events/?category=food&area=tongzhou")  # the same page, parameters in another order
    assert len(app.extensions["canal_page_cache"]) == 1
    client.get("/events/?area=langfang&category=food")
    assert len(app.extensions["canal_page_cache"]) == 2
    assert client.get("/events/?from=nonsense").status_code == 400
    assert client.get("/events/?from=nonsense").status_code == 400
    assert len(app.extensions["canal_page_cache"]) == 2


def test_the_language_and_the_mount_point_are_part_of_the_key(app, client):
    zh = client.get("/api/events.json")
    en = client.get("/en/api/events.json")
    assert zh.data != en.data
    assert client.get("/api/events.json").data == zh.data
    page = client.get("/sites/")
    mounted = client.get("/sites/", environ_overrides={"SCRIPT_NAME": "/canal"})
    assert b'href="/canal/static/' in mounted.data and b'href="/canal/static/' not in page.data
    assert client.get("/sites/").data == page.data


def test_a_feed_is_last_modified_at_its_newest_event(client):
    # The minimal ledger: the night lecture last changed on 27 November, the others on 1 December.
    december = datetime(2026, 12, 1, 21, 36, 35, tzinfo=UTC)
    november = datetime(2026, 11, 27, 3, 19, 21, tzinfo=UTC)
    assert client.get("/feeds/all.ics").last_modified == december
    assert client.get("/feeds/areas/tongzhou.ics").last_modified == december  # lecture and Kaicao festival
    assert client.get("/events/night-lecture.ics").last_modified == november
    assert client.get("/en/events/night-lecture.ics").last_modified == november
    assert client.get("/feeds/all.ics").headers["Cache-Control"] == (
        "public, max-age=3600, s-maxage=3600, stale-while-revalidate=60, stale-if-error=86400")


def test_english_feeds_have_english_labels(client):
    body = client.get("/en/events/night-lecture.ics").data.decode().replace("\r\n ", "")
    assert "Event page: https://canal.test/en/events/night-lecture/" in body
    zh = client.get("/events/night-lecture.ics").data.decode().replace("\r\n ", "")
    assert "活动页面：https://canal.test/events/night-lecture/" in zh


def test_the_occurrence_index_is_kept_until_now_leaves_it():
    app = make_app("2027-01-01T09:00:00")
    with app.test_request_context("/"):
        index = http.occurrence_index()
        assert http.occurrence_index() is index
    set_now(app, "2027-01-02T09:00:00")
    with app.test_request_context("/"):
        assert http.occurrence_index() is index
    set_now(app, "2031-01-01T09:00:00")
    with app.test_request_context("/"):
        moved = http.occurrence_index()
        assert moved is not index
        assert moved.covers(datetime(2031, 1, 1, tzinfo=UTC), datetime(2031, 6, 1, tzinfo=UTC))


def test_this_hour_and_the_cache_key_parameters():
    app = make_app("2030-06-01T10:42:17.123456")
    with app.test_request_context("/events/?q=x&zz=1&area=b&area=a&page=2"):
        assert http.this_hour().isoformat() == "2030-06-01T10:00:00+08:00"
        # Only the parameters the page reads, by name, each name's values in their order.
        assert http.canonical_query(frozenset({"area", "page", "q"})) == (
            ("area", ("b", "a")), ("page", ("2",)), ("q", ("x",)))


def test_shared_cache_control():
    assert http.shared_cache_control(5) == (
        "public, max-age=5, s-maxage=5, stale-while-revalidate=60, stale-if-error=86400")


def test_etag_is_the_bodys_sha256_shortened():
    assert http.etag_of(b"abc") == hashlib.sha256(b"abc").hexdigest()[:32]
    assert len(http.etag_of(b"")) == 32


def test_the_render_cache_drops_the_least_recently_used_first():
    cache = http.RenderCache(max_bytes=300)
    cache.put("a", "A", size=100)
    cache.put("b", "B", size=100)
    cache.put("c", "C", size=100)
    assert (len(cache), cache.size) == (3, 300)
    assert cache.get("a") == ("A", 100)  # "a" is now the most recently used
    cache.put("d", "D", size=100)
    assert cache.get("b") is None and cache.get("a") == ("A", 100) and len(cache) == 3
    cache.put("a", "A2", size=50)  # replacing an entry counts its new size only
    assert (cache.get("a"), cache.size) == (("A2", 50), 250)
    cache.put("huge", "H", size=1000)  # the newest entry stays even when it alone is too big
    assert (len(cache), cache.get("huge"), cache.size) == (1, ("H", 1000), 1000)
    assert cache.get("missing") is None


def test_the_render_cache_measures_entries_it_is_not_told_the_size_of():
    cache = http.RenderCache()
    entry = (b"x" * 1000, "etag")
    cache.put(("/p", ()), entry)
    assert cache.size == http.footprint((("/p", ()), entry)) + http.ENTRY_OVERHEAD
    assert cache.size > 1000


def test_footprint_counts_contents_and_shared_objects_once():
    import sys
    body = b"x" * 500
    assert http.footprint(body) == sys.getsizeof(body)
    assert http.footprint([body]) == sys.getsizeof([body]) + sys.getsizeof(body)
    assert http.footprint([body, body]) == sys.getsizeof([body, body]) + sys.getsizeof(body)
    assert http.footprint({"k": body}) == sys.getsizeof({"k": body}) + sys.getsizeof("k") + sys.getsizeof(body)
    for kind in (tuple, frozenset, set):
        value = kind([body])
        assert http.footprint(value) == sys.getsizeof(value) + sys.getsizeof(body)


def test_footprint_counts_a_key_that_is_also_a_value_once():
    import sys
    text = "x" * 300
    assert http.footprint({text: text}) == sys.getsizeof({text: text}) + sys.getsizeof(text)


@pytest.mark.parametrize("later, rebuilt", [
    # Built on 1 January 2027 for [25 December 2026, 2 February 2028): a year and a day ahead of
    # "now" must fit in it, so it lasts until 30 January at this hour.
    ("2027-01-30T09:00:00", False), ("2027-01-31T09:00:00", True),
    ("2026-12-25T00:00:00", False), ("2026-12-24T23:59:59", True),
])
def test_the_occurrence_index_is_rebuilt_when_a_year_ahead_leaves_it(later, rebuilt):
    app = make_app("2027-01-01T09:00:00")
    with app.test_request_context("/"):
        index = http.occurrence_index()
    set_now(app, later)
    with app.test_request_context("/"):
        assert (http.occurrence_index() is not index) is rebuilt


def test_the_occurrence_index_follows_a_new_catalog():
    from canal.loader import load
    app = make_app("2027-01-01T09:00:00")
    with app.test_request_context("/"):
        old = http.occurrence_index()
        app.extensions["canal_catalog"] = load(DATA / "minimal.toml")  # as the static export swaps it
        new = http.occurrence_index()
        assert new is not old and new.catalog is app.extensions["canal_catalog"]
        assert http.occurrence_index() is new


def test_a_current_occurrence_index_is_read_without_waiting_for_a_rebuild():
    """While one thread holds the lock to rebuild, others with a current index go on."""
    import threading
    app = make_app("2027-01-01T09:00:00")
    with app.test_request_context("/"):
        index = http.occurrence_index()
    found = []

    def read():
        with app.test_request_context("/"):
            found.append(http.occurrence_index())

    with http._index_lock:  # a rebuild under way elsewhere
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout=30)  # a deadlock check, not a speed one: it returns at once or never
        blocked = reader.is_alive()
    reader.join()
    assert not blocked and found == [index]
