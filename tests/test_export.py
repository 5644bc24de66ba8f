"""`flask canal freeze`: the whole site as files that work on any static host."""
from __future__ import annotations

import functools
import json
import re
import threading
import xml.etree.ElementTree as ET
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from click.testing import CliRunner

from canal import create_app
from canal.export import ExportError, freeze_site
from conftest import DATA, NOW
from pages_html import Page

BASE = "https://cdn.example.org/canal/"
PREFIX = urlsplit(BASE).path  # /canal/


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": NOW})
    urls = []
    summary = freeze_site(app, out, BASE, lambda url, expected: urls.append(url))
    return out, summary, urls, app.extensions["canal_catalog"]


def file_for(out: Path, url_path: str) -> Path:
    """The file a static host serves for a path under the export's base."""
    assert url_path.startswith(PREFIX), url_path
    relative = url_path[len(PREFIX):]
    return out / (relative + "index.html" if relative.endswith("/") or relative == "" else relative)


def contract(catalog) -> list[tuple[str, str]]:
    """DESIGN.md's public URLs for this catalog, with the kind of content each must hold."""
    urls = [("", "html"), ("calendar/", "html"), ("calendar/2026/12/", "html"), ("events/", "html"),
            ("sites/", "html"), ("feeds/all.ics", "ics"), ("feeds/events.atom", "atom"),
            ("api/events.json", "json"), ("api/sites.geojson", "geojson"), ("plan/", "html"),
            ("plan.ics", "ics")]
    urls += [(f"events/{e}/", "html") for e in catalog.events]
    urls += [(f"events/{e}.ics", "ics") for e in catalog.events]
    urls += [(f"sites/{s}/", "html") for s in catalog.sites]
    urls += [(f"feeds/sites/{s}.ics", "ics") for s in catalog.sites]
    urls += [(f"feeds/areas/{a}.ics", "ics") for a in catalog.areas]
    urls += [(f"feeds/categories/{c}.ics", "ics") for c in catalog.categories]
    return [(prefix + url, kind) for prefix in ("", "en/") for url, kind in urls]


def test_every_public_url_is_exported_with_the_right_content(export):
    out, summary, _, catalog = export
    for url, kind in contract(catalog):
        path = file_for(out, PREFIX + url)
        assert path.is_file(), url
        body = path.read_bytes()
        if kind == "html":
            assert body.startswith(b"<!doctype html>"), url
        elif kind == "ics":
            assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n"), url
        elif kind == "atom":
            assert ET.fromstring(body).tag == "{http://www.w3.org/2005/Atom}feed", url
        elif kind == "geojson":
            assert json.loads(body)["type"] == "FeatureCollection", url
        else:
            json.loads(body)
    assert (out / "404.html").read_text().count("找不到页面") >= 1
    assert "Page not found" in (out / "en" / "404.html").read_text()
    assert summary.files >= len(contract(catalog)) and summary.by_kind["pages"] > 0


def test_every_internal_link_resolves_inside_the_export(export):
    out, _, _, _ = export
    checked = 0
    for html in out.rglob("*.html"):
        page = Page(html.read_text(encoding="utf-8"))
        targets = page.links + [a[k] for t, a in page.elements for k in ("src", "href")
                                if k in a and t in ("script", "link", "img")]
        targets += [a["action"] for t, a in page.elements if t == "form" and a.get("action")]
        for target in targets:
            target = urldefrag(target)[0]
            parts = urlsplit(target)
            if parts.scheme in ("mailto", "webcal", "data", "tel") or not target:
                continue
            if parts.netloc and not target.startswith(BASE):
                continue  # another site (sources, calendar apps, the canonical live site)
            assert parts.path.startswith(PREFIX), f"{html}: {target} escapes the export's base"
            assert file_for(out, parts.path).is_file(), f"{html}: {target} is missing"
            checked += 1
    assert checked > 500


def test_the_export_agenda_lists_everything_and_filters_in_the_browser(export):
    out, _, _, _ = export
    agenda = (out / "events" / "index.html").read_text()
    assert re.search(r"export-filter\.[0-9a-f]{12}\.js", agenda)
    assert 'rel="next"' not in agenda  # no server to answer ?page=2: one list
    assert 'data-area="langfang"' in agenda


def test_each_exported_page_is_wholly_in_its_language(export):
    # Frozen-Flask renders every page inside one app context; nothing cached per
    # request (Flask-Babel's locale) may leak from one page into the next.
    out, _, _, _ = export
    english = list((out / "en").rglob("*.html"))
    chinese = [p for p in out.rglob("*.html") if "en" not in p.relative_to(out).parts[:1]]
    assert len(english) > 10 and len(chinese) > 10
    for path in english:
        assert "所有时间均为北京时间" not in path.read_text(), path
    for path in chinese:
        assert "All times are Beijing time" not in path.read_text(), path


def test_the_export_says_plans_need_the_live_site(export):
    out, _, _, _ = export
    assert "cannot build trip plans" in (out / "en" / "plan" / "index.html").read_text()
    assert 'class="static-export"' in (out / "index.html").read_text()  # hides add-to-plan links


def test_export_refuses_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": NOW})
    with pytest.raises(ExportError):
        freeze_site(app, tmp_path, BASE)
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_freeze_command_prints_a_summary(tmp_path, monkeypatch):
    from flask.cli import ScriptInfo

    from canal.cli import canal as canal_cli
    monkeypatch.setenv("CANAL_EVENTS", str(DATA / "minimal.toml"))
    monkeypatch.setenv("CANAL_NOW", NOW)
    info = ScriptInfo(create_app=lambda: create_app({"TESTING": True}))
    result = CliRunner().invoke(canal_cli, ["freeze", str(tmp_path / "site"), "--base-url", BASE], obj=info)
    assert result.exit_code == 0, result.output
    assert f"to {tmp_path / 'site'} for {BASE}" in result.output
    assert (tmp_path / "site" / "index.html").is_file()


def test_absolute_links_point_at_the_export_but_event_identities_stay(export):
    """--base-url is where this copy lives: links go there, UIDs and Atom ids never move."""
    out, _, _, catalog = export
    assert catalog.meta.base_url == BASE.rstrip("/")
    import icalendar
    feed = icalendar.Calendar.from_ical((out / "feeds" / "all.ics").read_bytes())
    for vevent in feed.walk("VEVENT"):
        assert str(vevent["UID"]).endswith("@canal.test")
        assert str(vevent["URL"]).startswith(f"{BASE}events/")
    atom = ET.fromstring((out / "en" / "feeds" / "events.atom").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = atom.findall("a:entry", ns)
    assert entries and all(e.find("a:id", ns).text.startswith("tag:canal.test,") for e in entries)
    assert all(e.find("a:link", ns).get("href").startswith(f"{BASE}en/events/") for e in entries)
    api = json.loads((out / "api" / "events.json").read_text())
    assert api["occurrences"] and all(item["url"].startswith(BASE) for item in api["occurrences"])
    home = Page((out / "index.html").read_text())
    webcal = [a["href"] for t, a in home.elements if t == "a" and "subscribe-webcal" in a.get("class", "")]
    assert webcal == ["webcal://cdn.example.org/canal/feeds/all.ics"]


def test_the_exported_calendar_links_its_months_instead_of_asking_a_server(export):
    out, _, _, _ = export
    page = Page((out / "calendar" / "index.html").read_text())
    assert not [a for t, a in page.elements if t == "input" and a.get("name") == "month"]
    months = [href for href in page.links if href.startswith(f"{PREFIX}calendar/20")]
    assert f"{PREFIX}calendar/2026/12/" in months and f"{PREFIX}calendar/2027/12/" in months
    assert all(file_for(out, href).is_file() for href in months)


def freeze_command(*args: str):
    from flask.cli import ScriptInfo

    from canal.cli import canal as canal_cli
    info = ScriptInfo(create_app=lambda: create_app(
        {"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": NOW}))
    return CliRunner().invoke(canal_cli, ["freeze", *args], obj=info)


def test_freeze_command_refuses_a_foreign_folder_in_one_line(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = freeze_command(str(tmp_path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "not empty" in result.output
    assert result.output.startswith("Error: ")
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("address", ["example.org/sub", "ftp://example.org/", "https://", "https://x.org/?a=1"])
def test_freeze_command_refuses_an_address_that_is_not_a_web_address(tmp_path, address):
    result = freeze_command(str(tmp_path / "site"), "--base-url", address)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "is not a web address" in result.output
    assert not (tmp_path / "site").exists()


def test_freeze_command_writes_the_english_404_in_english(tmp_path):
    # The command runs with an app context pushed: pages must not share its `g`.
    result = freeze_command(str(tmp_path / "site"), "--base-url", BASE)
    assert result.exit_code == 0, result.output
    english = (tmp_path / "site" / "en" / "404.html").read_text()
    assert "Page not found" in english and 'lang="en"' in english
    assert "找不到页面" in (tmp_path / "site" / "404.html").read_text()


def test_freeze_command_refuses_a_place_below_a_file(tmp_path):
    (tmp_path / "afile").write_text("x")
    result = freeze_command(str(tmp_path / "afile" / "site"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "is a file, not a folder" in result.output


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def export_site(export):
    """The export on a plain static file server, under /canal/ as on the CDN."""
    out = export[0]
    root = out.parent / "webroot"
    root.mkdir(exist_ok=True)
    if not (root / "canal").exists():
        (root / "canal").symlink_to(out, target_is_directory=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietFiles, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/canal/"
    server.shutdown()


def live_total(client, query: str) -> int:
    """How many dates the live site finds for the same filters."""
    count = Page(client.get(f"/events/?{query}").get_data(as_text=True))
    return int(re.search(r"共 (\d+) 个日期", count.text).group(1))


def test_the_exported_agenda_filters_in_the_browser_as_the_server_would(page, export_site, client):
    page.goto(export_site + "events/?area=langfang&from=2026-12-01")
    shown = page.locator("li.occurrence:visible").count()
    assert shown == live_total(client, "area=langfang&from=2026-12-01") > 0
    assert page.locator("#results-heading").inner_text() == "符合条件的活动"
    total = page.locator("li.occurrence").count()
    assert page.locator(".results .count").inner_text() == f"{shown} 个日期（共 {total} 个）"
    assert page.locator("details.filters-box").get_attribute("open") is not None
    assert page.locator("form.filters .clear-filters").is_visible()
    assert page.locator("#no-match").is_hidden()
    assert page.locator("a.lang-switch").get_attribute("href").endswith(
        "/canal/en/events/?area=langfang&from=2026-12-01")


def test_the_exported_agenda_says_when_nothing_matches(page, export_site):
    page.goto(export_site + "en/events/?q=zzzz-nothing")
    assert page.locator("li.occurrence:visible").count() == 0
    assert page.locator("#no-match").is_visible()
    assert "No events match these filters." in page.locator("#no-match").inner_text()
    assert page.locator(".results .count").is_hidden()
    assert page.locator("#results-heading").inner_text() == "Matching events"


def test_the_exported_agenda_ignores_a_malformed_date(page, export_site):
    page.goto(export_site + "events/?from=tomorrow")
    assert page.locator("li.occurrence:visible").count() == page.locator("li.occurrence").count() > 0


def test_the_exported_agenda_searches_every_word_as_the_server_does(page, export_site, client):
    page.goto(export_site + "en/events/?q=wharf+XIANGHE")
    assert page.locator("li.occurrence:visible").count() == live_total(client, "q=wharf+XIANGHE") > 0


@pytest.mark.parametrize("address", [
    "https://cdn.example.org/../etc/", "https://cdn.example.org/a b/", 'https://cdn.example.org/"x/',
    "https://cdn.example.org/it's/", "https://cdn.example.org:port/", "https://cdn.exa mple.org/",
    "https://user@cdn.example.org/", "https://cdn.example.org/a\\\\b/", "https://cdn.example.org//x/",
    "https://cdn.example.org/<x>/", "https://[::1/"])
def test_freeze_command_refuses_an_address_that_would_break_links(tmp_path, address):
    result = freeze_command(str(tmp_path / "site"), "--base-url", address)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert result.output.startswith("Error: ") and "is not a web address" in result.output
    assert not (tmp_path / "site").exists()


def test_freeze_refuses_a_symbolic_link_inside_an_earlier_export(tmp_path):
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    (out / ".canal-export").write_text("earlier")
    (out / "events").symlink_to(elsewhere, target_is_directory=True)
    result = freeze_command(str(out), "--base-url", BASE)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{out / 'events'} is a symbolic link" in result.output
    assert list(elsewhere.iterdir()) == []


def test_exported_pages_carry_their_script_policy_for_hosts_without_headers(export):
    from canal.views.security import script_hash
    out = export[0]
    home = (out / "index.html").read_text(encoding="utf-8")
    meta = [a for t, a in Page(home).elements
            if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(meta) == 1
    policy = meta[0]["content"]
    # The map's script, waiting to run once Leaflet has loaded (static/map.js runs its text).
    inline = re.search(r'<script type="text/x-canal-later" id="[^"]+">(.*?)</script>', home, re.S).group(1)
    assert script_hash(inline) in policy and "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]
    assert "frame-ancestors" not in policy  # ignored in <meta>: said in _headers instead
    headers = (out / "_headers").read_text()
    assert headers.startswith("/canal/*\n") and "frame-ancestors 'none'" in headers
    assert "X-Content-Type-Options: nosniff" in headers and "script-src" not in headers


def test_the_export_has_the_sitemap_and_robots_txt_at_its_address(export):
    """Issue 19: the crawler files are exported, naming the export's own address."""
    out, _, _, catalog = export
    sitemap = ET.fromstring((out / "sitemap.xml").read_bytes())
    locs = [url.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text for url in sitemap]
    assert BASE + "events/" in locs and BASE + "en/events/" in locs
    for loc in locs:
        assert loc.startswith(BASE)
        assert file_for(out, urlsplit(loc).path).is_file(), loc
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()
