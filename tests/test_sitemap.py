"""Search engines (issue 19): /sitemap.xml, /robots.txt and one canonical link per page.

The sitemap is read with xml.etree, as a crawler would; what it must list is found by
following the site's own links (test_links.crawl), not from the code that writes it.
"""
from __future__ import annotations

import tomllib
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from canal import create_app
from canal.sitemap import MAX_URLS
from conftest import DATA, NOW
from pages_html import Page
from test_links import MONTH, crawl

ROOT = Path(__file__).parent.parent
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def shipped(**config):
    return create_app({"TESTING": True, "CANAL_EVENTS": str(ROOT / "events.toml"), "CANAL_NOW": NOW, **config})


@pytest.fixture(scope="module")
def site():
    app = shipped()
    return app, app.test_client(), app.extensions["canal_catalog"].meta.base_url.rstrip("/")


def entries(body: bytes) -> list[dict]:
    root = ET.fromstring(body)
    assert root.tag == SM + "urlset"
    found = []
    for url in root:
        assert url.tag == SM + "url"
        lastmod = url.find(SM + "lastmod")
        found.append({"loc": url.find(SM + "loc").text,
                      "lastmod": lastmod.text if lastmod is not None else None,
                      "alternates": [(link.get("rel"), link.get("hreflang"), link.get("href"))
                                     for link in url.findall(XHTML + "link")]})
    return found


def canonical_links(html: str) -> list[str]:
    return [a.get("href") for t, a in Page(html).elements if t == "link" and a.get("rel") == "canonical"]


def og_url(html: str) -> list[str]:
    return [a.get("content") for t, a in Page(html).elements if t == "meta" and a.get("property") == "og:url"]


def noindex(client, path: str) -> bool:
    page = Page(client.get(path).get_data(as_text=True))
    return any(t == "meta" and a.get("name") == "robots" and "noindex" in a.get("content", "")
               for t, a in page.elements)


def test_the_sitemap_lists_every_page_once_per_language_with_its_alternates(site):
    app, client, base = site
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    urls = entries(response.data)
    locs = [u["loc"] for u in urls]
    assert len(locs) == len(set(locs))
    by_loc = {u["loc"]: u for u in urls}
    for url in urls:
        path = url["loc"][len(base):]
        chinese = path[3:] if path.startswith("/en/") else path
        assert url["alternates"] == [("alternate", "zh-Hans", base + chinese),
                                     ("alternate", "en", base + "/en" + chinese),
                                     ("alternate", "x-default", base + chinese)], path
        # Both language versions are listed, each once.
        assert base + chinese in by_loc and base + "/en" + chinese in by_loc
    # Every page a visitor can reach by following links is listed: query variants and
    # noindex pages aside, and months before this one (the grid links back a month).
    months = sorted(MONTH.match(loc[len(base):]).groups() for loc in locs if MONTH.match(loc[len(base):]))
    this_month, last_month = months[0], months[-1]
    assert this_month == ("2026", "12")
    seen = crawl(client, ["/", "/en/"])
    reachable = set()
    for url, status in seen.items():
        if status != 200 or "?" in url or not url.endswith("/") or noindex(client, url):
            continue
        month = MONTH.match(url)
        if month and not this_month <= (month[1], month[2]) <= last_month:
            continue
        reachable.add(base + url)
    assert reachable - set(locs) == set()
    catalog = app.extensions["canal_catalog"]
    for prefix in ("", "/en"):
        for event_id in catalog.events:
            assert f"{base}{prefix}/events/{event_id}/" in by_loc
        for site_id in catalog.sites:
            assert f"{base}{prefix}/sites/{site_id}/" in by_loc
    # And every listed URL is a page answering 200 whose canonical link is that URL.
    for loc in locs:
        page = client.get(loc[len(base):])
        assert page.status_code == 200 and page.mimetype == "text/html", loc
        assert not noindex(client, loc[len(base):]), loc
        assert canonical_links(page.get_data(as_text=True)) == [loc]


def test_event_pages_carry_the_ledgers_date_as_lastmod(site):
    app, client, base = site
    ledger = tomllib.loads((ROOT / "events.revisions.toml").read_text(encoding="utf-8"))["events"]
    urls = {u["loc"]: u for u in entries(client.get("/sitemap.xml").data)}
    events = app.extensions["canal_catalog"].events
    assert events
    for event_id in events:
        modified = ledger[event_id]["modified"]
        assert modified.tzinfo is not None
        for prefix in ("", "/en"):
            lastmod = urls[f"{base}{prefix}/events/{event_id}/"]["lastmod"]
            assert datetime.fromisoformat(lastmod) == modified, event_id
            assert lastmod == modified.astimezone(UTC).isoformat()
    # Pages the ledger knows nothing exact about say nothing rather than a guess.
    assert urls[base + "/"]["lastmod"] is None and urls[base + "/en/sites/"]["lastmod"] is None


def test_an_event_the_ledger_never_recorded_has_no_lastmod(tmp_path):
    events = tmp_path / "events.toml"
    events.write_text((DATA / "minimal.toml").read_text(encoding="utf-8"), encoding="utf-8")
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(events), "CANAL_NOW": NOW})
    base = app.extensions["canal_catalog"].meta.base_url.rstrip("/")
    urls = entries(app.test_client().get("/sitemap.xml").data)
    event_pages = [u for u in urls if "/events/" in u["loc"] and u["loc"] != base + "/events/"
                   and u["loc"] != base + "/en/events/"]
    assert event_pages and all(u["lastmod"] is None for u in event_pages)


def test_robots_txt_names_the_sitemap(site):
    _, client, base = site
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /" not in lines  # nothing is closed to crawlers
    assert [line for line in lines if line.startswith("Sitemap:")] == [f"Sitemap: {base}/sitemap.xml"]
    assert client.get(urlsplit(f"{base}/sitemap.xml").path).status_code == 200


def test_above_the_limit_the_sitemap_becomes_an_index_of_parts(site):
    _, client, base = site
    whole = [u["loc"] for u in entries(client.get("/sitemap.xml").data)]
    assert MAX_URLS == 50_000
    limit = 100
    app = shipped(CANAL_SITEMAP_LIMIT=limit)
    small = app.test_client()
    root = ET.fromstring(small.get("/sitemap.xml").data)
    assert root.tag == SM + "sitemapindex"
    parts = [s.find(SM + "loc").text for s in root]
    assert len(parts) == -(-len(whole) // limit) > 1
    listed = []
    for loc in parts:
        response = small.get(loc[len(base):])
        assert response.status_code == 200, loc
        part = entries(response.data)
        assert len(part) <= limit
        listed += [u["loc"] for u in part]
    assert listed == whole
    assert small.get(f"/sitemaps/{len(parts) + 1}.xml").status_code == 404
    assert small.get("/sitemaps/0.xml").status_code == 404
    # Without an index there are no parts.
    assert client.get("/sitemaps/1.xml").status_code == 404


PAGE_TYPES = ["/", "/calendar/", "/calendar/2027/01/", "/events/", "/events/?area=tongzhou",
              "/sites/", "/events/farm-food-festival/", "/sites/xianghe-wharf/", "/subscribe/",
              "/subscribe/areas/tongzhou/", "/subscribe/events/boat-trip/", "/plan/"]


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_has_one_canonical_link_equal_to_its_og_url(client, prefix, path):
    response = client.get(prefix + path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    links = canonical_links(html)
    assert len(links) == 1 and links == og_url(html)
    assert links[0] == "https://canal.test" + prefix + path


def test_the_canonical_link_drops_parameters_that_do_not_make_the_page(client):
    first = client.get("/events/?area=tongzhou&utm_source=wechat").get_data(as_text=True)
    again = client.get("/events/?utm_campaign=x&area=tongzhou").get_data(as_text=True)
    expected = ["https://canal.test/events/?area=tongzhou"]
    assert canonical_links(first) == og_url(first) == expected
    assert canonical_links(again) == og_url(again) == expected


def test_error_pages_have_no_canonical_link(client):
    response = client.get("/events/no-such-event/")
    assert response.status_code == 404
    assert canonical_links(response.get_data(as_text=True)) == []


def test_canonical_links_keep_the_mount_prefix_once(data_path):
    app = create_app({"TESTING": True, "CANAL_EVENTS": data_path("minimal.toml"), "CANAL_NOW": NOW})
    catalog = app.extensions["canal_catalog"]
    app.extensions["canal_catalog"] = catalog.served_at("https://cdn.example.org/canal")
    html = app.test_client().get("/en/sites/", environ_overrides={"SCRIPT_NAME": "/canal"}).get_data(as_text=True)
    assert canonical_links(html) == og_url(html) == ["https://cdn.example.org/canal/en/sites/"]
