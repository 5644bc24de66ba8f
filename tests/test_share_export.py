"""The static export carries the subscribe pages, the QR codes and the share images, all
pointing at the export's own address."""
from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from canal import create_app, qr
from canal.export import freeze_site
from conftest import DATA, NOW
from pages_html import Page
from test_share import feeds

BASE = "https://cdn.example.org/canal"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": NOW})
    freeze_site(app, out, BASE + "/")
    return out, app.extensions["canal_catalog"]


def read(out, path: str) -> Page:
    relative = path.lstrip("/")
    file = out / (relative + "index.html" if relative.endswith("/") or not relative else relative)
    assert file.is_file(), path
    return Page(file.read_text(encoding="utf-8"))


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_export_has_every_subscribe_page_with_its_qr_code(exported, prefix):
    out, catalog = exported
    for page_path, feed_path in feeds(catalog):
        page = read(out, prefix + page_path)
        https = BASE + prefix + feed_path
        assert next(a["value"] for t, a in page.elements if a.get("id") == "feed-https") == https
        assert (out / (prefix + feed_path).lstrip("/")).is_file()
        html = (out / (prefix + page_path).lstrip("/") / "index.html").read_text(encoding="utf-8")
        assert qr.svg(https) in html  # the code of the export's own feed address


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_export_has_the_share_images_its_pages_point_at(exported, prefix):
    out, catalog = exported
    paths = ["/", "/events/", *[f"/events/{id}/" for id in catalog.events], *[f"/sites/{id}/" for id in catalog.sites]]
    for path in paths:
        page = read(out, prefix + path)
        metas = [(a.get("property"), a.get("content")) for t, a in page.elements if t == "meta"]
        images = [content for name, content in metas if name == "og:image"]
        assert len(images) == 2 and all(url.startswith(BASE + prefix + "/share/") for url in images), path
        for url in images:
            image = Image.open(out / url[len(BASE) + 1:])
            assert image.format == "PNG" and image.size in ((1200, 630), (1080, 1080))
        if path.startswith(("/events/", "/sites/")) and path != "/events/":
            html = (out / (prefix + path).lstrip("/") / "index.html").read_text(encoding="utf-8")
            assert qr.svg(BASE + prefix + path) in html
            # The picture's own QR code opens the exported page too.
            png = (out / images[0][len(BASE) + 1:]).read_bytes()
            assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [BASE + prefix + path]
