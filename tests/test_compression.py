"""Compressed answers and cache-forever assets, as a browser or a cache sees them."""
from __future__ import annotations

import gzip
import re
import shutil

import brotli
import pytest

from canal import create_app
from canal.assets import Manifest
from conftest import DATA, NOW
from pages_html import Page

URLS = [
    "/", "/en/", "/events/", "/en/events/", "/calendar/", "/sites/", "/events/farm-food-festival/",
    "/sites/xianghe-wharf/",
    "/feeds/all.ics", "/en/feeds/all.ics", "/feeds/events.atom", "/api/events.json",
    "/api/sites.geojson", "/events/boat-trip.ics",
]
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


def _asset_links(html: str) -> list[str]:
    page = Page(html)
    found = []
    for tag, attrs in page.elements:
        if tag == "link" and attrs.get("href", "").startswith("/static/"):
            found.append(attrs["href"])
        if tag == "script" and attrs.get("src", "").startswith("/static/"):
            found.append(attrs["src"])
    return found


@pytest.fixture
def urls(client):
    found = [u for u in URLS if client.get(u).status_code == 200]
    assert found == URLS, "the test's URLs went missing from the minimal catalog"
    return found + [_asset_links(client.get("/").get_data(as_text=True))[0]]


def test_each_encoding_decompresses_to_the_identity_body(client, urls):
    for url in urls:
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        assert "Content-Encoding" not in plain.headers, url
        assert "Accept-Encoding" in plain.headers.get("Vary", ""), url
        etags = {plain.headers["ETag"]}
        for encoding, decode in DECODE.items():
            packed = client.get(url, headers={"Accept-Encoding": encoding})
            assert packed.headers["Content-Encoding"] == encoding, url
            assert "Accept-Encoding" in packed.headers["Vary"], url
            assert decode(packed.get_data()) == plain.get_data(), (url, encoding)
            assert len(packed.get_data()) < len(plain.get_data()), (url, encoding)
            assert int(packed.headers["Content-Length"]) == len(packed.get_data())
            etags.add(packed.headers["ETag"])
        # One strong validator per representation: a cache never mixes them up.
        assert len(etags) == 3, (url, etags)


def test_304_per_representation(client, urls):
    for url in urls:
        for encoding in ("br", "gzip", "identity"):
            first = client.get(url, headers={"Accept-Encoding": encoding})
            again = client.get(url, headers={"Accept-Encoding": encoding,
                                             "If-None-Match": first.headers["ETag"]})
            assert again.status_code == 304, (url, encoding)
            assert again.headers["ETag"] == first.headers["ETag"]
            assert "Accept-Encoding" in again.headers["Vary"]
            assert again.get_data() == b""
        # Holding the brotli copy, a client that now asks for gzip gets the gzip copy.
        br = client.get(url, headers={"Accept-Encoding": "br"})
        switched = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": br.headers["ETag"]})
        assert switched.status_code == 200 and switched.headers["Content-Encoding"] == "gzip", url


def test_head_matches_get(client, urls):
    for url in urls:
        for encoding in ("br", "gzip", "identity"):
            headers = {"Accept-Encoding": encoding}
            get, head = client.get(url, headers=headers), client.head(url, headers=headers)
            assert head.status_code == 200 and head.get_data() == b""
            for name in ("Content-Length", "Content-Encoding", "ETag", "Vary", "Content-Type"):
                assert head.headers.get(name) == get.headers.get(name), (url, encoding, name)


@pytest.mark.parametrize("accept, expected", [
    ("gzip, deflate, br", "br"),
    ("br;q=0.5, gzip;q=0.8", "gzip"),
    ("gzip;q=1, br;q=0", "gzip"),
    ("*", "br"),
    ("identity", None),
    ("gzip;q=0", None),
    ("", None),
    ("deflate", None),
])
def test_the_clients_preferences_decide(client, accept, expected):
    response = client.get("/", headers={"Accept-Encoding": accept})
    assert response.headers.get("Content-Encoding") == expected


def test_every_asset_link_is_hashed_resolves_and_is_kept_for_a_year(client):
    pages = ["/", "/en/", "/events/", "/calendar/", "/sites/", "/plan/", "/events/farm-food-festival/",
             "/sites/" + next(iter(client.application.extensions["canal_catalog"].sites)) + "/"]
    seen = set()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        links = _asset_links(response.get_data(as_text=True))
        assert links, url
        seen.update(links)
    for link in seen:
        response = client.get(link)
        assert response.status_code == 200, link
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and "max-age=31536000" in cache and "public" in cache, link
        name = link.rsplit("/", 1)[-1]
        digest = re.search(r"\.([0-9a-f]{12})\.", name).group(1)
        assert digest == response.headers["ETag"].strip('"'), link
    # The map's stylesheets and scripts come the same way (folium's assets too).
    assert any("/vendor/leaflet/leaflet." in link for link in seen)


def test_plain_asset_names_still_answer_and_revalidate(client):
    response = client.get("/static/site.css")
    assert response.status_code == 200
    assert "no-cache" in response.headers["Cache-Control"]
    assert client.get("/static/nothing-here.css").status_code == 404
    assert client.get("/static/site.000000000000.css").status_code == 404


def test_stylesheets_name_the_hashed_images(client):
    hashed = client.application.extensions["canal_assets"].url_name("vendor/leaflet/leaflet.css")
    text = client.get("/static/" + hashed).get_data(as_text=True)
    names = re.findall(r"url\(([^)#]+)\)", text)
    images = [n for n in names if n.startswith("images/")]
    assert images and all(re.search(r"\.[0-9a-f]{12}\.png$", n) for n in images), images
    for name in images:
        assert client.get("/static/vendor/leaflet/" + name).status_code == 200, name


def test_a_changed_file_gets_a_new_url(tmp_path):
    folder = tmp_path / "static"
    shutil.copytree(DATA.parent.parent / "static", folder)
    before = Manifest.build(folder)
    (folder / "map.js").write_text((folder / "map.js").read_text() + "\n// changed\n")
    (folder / "vendor" / "leaflet" / "images" / "layers.png").write_bytes(b"\x89PNG other")
    after = Manifest.build(folder)
    assert before.url_name("map.js") != after.url_name("map.js")
    assert before.url_name("site.css") == after.url_name("site.css")
    # A stylesheet naming a changed image is a changed stylesheet.
    assert before.url_name("vendor/leaflet/leaflet.css") != after.url_name("vendor/leaflet/leaflet.css")


def test_a_changed_file_changes_the_pages_links(tmp_path, monkeypatch):
    import canal
    repo = DATA.parent.parent
    for name in ("templates", "translations"):
        (tmp_path / name).symlink_to(repo / name)
    shutil.copytree(repo / "static", tmp_path / "static")
    monkeypatch.setattr(canal, "ROOT", tmp_path)
    config = {"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": NOW}

    def links() -> list[str]:
        return _asset_links(create_app(config).test_client().get("/events/").get_data(as_text=True))

    before = links()
    css = tmp_path / "static" / "site.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    after = links()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert [a.split(".")[0] for a, _ in changed] == ["/static/site"], changed


def test_vendored_leaflet_keeps_its_licence(client):
    assert client.get("/static/vendor/leaflet/LICENSE").status_code == 200
    assert "BSD" in client.get("/static/vendor/leaflet/LICENSE").get_data(as_text=True)


def _counting(app):
    """The app, recording every path the browser asks it for."""
    asked: list[str] = []
    inner = app.wsgi_app

    def wsgi(environ, start_response):
        asked.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    app.wsgi_app = wsgi
    return asked


def test_a_repeat_visit_asks_only_for_the_page(browser, serve):
    """Assets come from the browser's cache without a round trip (Playwright's routing
    would switch the cache off, so this context has none: tiles simply fail offline)."""
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": NOW})
    asked = _counting(app)
    base = serve(app)
    context = browser.new_context()
    page = context.new_page()
    try:
        def visit_all() -> None:
            for path in ("/", "/events/", "/events/farm-food-festival/"):
                page.goto(base + path, wait_until="load")
                if path == "/":  # the map loads Leaflet after the page: stay until it is drawn
                    page.wait_for_selector("script.canal-map-data[data-drawn]", state="attached")

        visit_all()
        assert any(p.startswith("/static/") for p in asked)
        asked.clear()
        visit_all()
        # Nothing but (at most) the pages themselves, which are fresh for 10 minutes anyway.
        assert set(asked) <= {"/", "/events/", "/events/farm-food-festival/"}, asked
        # The map's markers are drawn from their hashed images, which did load.
        page.goto(base + "/")
        page.wait_for_selector(".marker-cluster, img.canal-marker")
        page.evaluate("""() => new Promise(done => {
            const h = window.canalMaps.map_home;
            h.cluster.zoomToShowLayer(h.markers["xianghe-wharf"], done);
        })""")
        page.wait_for_selector("img.canal-marker")
        images = page.evaluate("""[...document.querySelectorAll('img.canal-marker')]
            .map(img => [img.getAttribute('src'), img.complete && img.naturalWidth > 0])""")
        assert images and all(loaded for _, loaded in images), images
        assert all(re.search(r"marker-(icon|icon-2x|shadow)\.[0-9a-f]{12}\.png$", src) for src, _ in images), images
    finally:
        context.close()


PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 "
                       "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"}


def test_on_a_phone_one_finger_over_the_map_scrolls_the_page(browser, live_server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        # Maps load Leaflet after the page (polling JS would need eval, which the CSP forbids).
        page.wait_for_selector("script.canal-map-data[data-drawn]", state="attached")
        page.wait_for_function("window.canalMaps && window.canalMaps.map_home")
        box = page.locator("#map_home").bounding_box()
        page.evaluate(f"window.scrollTo(0, {max(0, box['y'] - 100)})")
        box = page.locator("#map_home").bounding_box()
        before = page.evaluate("[window.scrollY, window.canalMaps.map_home.map.getCenter().lat]")
        cdp = context.new_cdp_session(page)
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 20
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for step in range(1, 11):  # one finger, 200 px up, as a thumb swipes
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 20 * step}]})
            page.wait_for_timeout(16)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_timeout(300)
        after = page.evaluate("[window.scrollY, window.canalMaps.map_home.map.getCenter().lat]")
        assert after[0] > before[0] + 50, (before, after)   # the page moved…
        assert after[1] == before[1]                        # …and the map did not
        assert page.locator(".canal-map-hint").count() == 1
    finally:
        context.close()
