"""Embeds from a static export: the lists per area, site and category are files, and the
element reads the exported JSON (which a static host serves whatever the query)."""
from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from canal import create_app
from canal.agenda import Filter, find
from canal.export import freeze_site
from conftest import DATA, NOW, Watch
from test_embed_browser import Host, assert_clean, items
from test_hostile_outputs import now_of


class CrossOriginFiles(SimpleHTTPRequestHandler):
    """A static host set up as README says: Access-Control-Allow-Origin on every file."""

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("webroot")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CrossOriginFiles, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/canal/"
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": NOW})
    freeze_site(app, root / "canal", base)
    yield base, root / "canal", app.extensions["canal_catalog"]
    server.shutdown()


def test_every_default_embed_is_a_file_in_both_languages(exported):
    _, out, catalog = exported
    paths = ["embed/index.html", "embed/events/index.html"]
    paths += [f"embed/events/areas/{a}/index.html" for a in catalog.areas]
    paths += [f"embed/events/sites/{s}/index.html" for s in catalog.sites]
    paths += [f"embed/events/categories/{c}/index.html" for c in catalog.categories]
    for prefix in ("", "en/"):
        for path in paths:
            assert (out / prefix / path).read_text(encoding="utf-8").startswith("<!doctype html>"), prefix + path
    builder = (out / "embed" / "index.html").read_text(encoding="utf-8")
    assert "embed-builder.js" not in builder and "本站的静态副本只显示全部活动的嵌入代码" in builder


def test_a_district_site_embeds_the_export_in_both_forms(page, network, serve, exported):
    base, _, catalog = exported
    district = Host()
    origin = serve(district)
    ours = base.split("/canal/")[0]
    district.page("/export.html",
                  f"<iframe src='{base}embed/events/areas/langfang/' title='x' height='420'></iframe>"
                  f"<script type='module' src='{base}static/embed.js'></script>"
                  f"<canal-events area='langfang' category='food' limit='2' lang='en'>"
                  f"<a href='{base}en/events/?area=langfang&amp;category=food'>More</a></canal-events>",
                  ours)
    watch = Watch(page)
    page.goto(origin + "/export.html")
    # The element got every date from the exported file and filtered it itself.
    element = page.locator("canal-events .canal-title")
    element.first.wait_for()
    found = find(catalog, Filter(areas=("langfang",), categories=("food",)), now_of(catalog))[:2]
    assert [tuple(i) for i in items(element)] == [(o.event.title.en, f"{base}en/events/{o.event.id}/") for o in found]
    framed = page.frame_locator("iframe").locator(".canal-title")
    framed.first.wait_for()
    found = find(catalog, Filter(areas=("langfang",)), now_of(catalog))[:5]
    assert [tuple(i) for i in items(framed)] == [(o.event.title.zh, f"{base}events/{o.event.id}/") for o in found]
    assert_clean(page, watch, network)
