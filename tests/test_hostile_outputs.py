"""Hostile content through every output: it stays inert and comes back literally.

tests/data/hostile_all.toml puts a hostile payload in every text and URL field (markup,
</script>, <!--, attribute-breaking quotes, CRLF that tries to end a VEVENT, ; , \\,
Jinja, template strings, 5,000 characters, emoji, RTL and U+202E, U+2028/9). Here every
output reads it back with a real parser: HTML pages (html.parser), JSON-LD, Atom
(ElementTree and feedparser), the JSON API and GeoJSON, iCalendar (icalendar, ical.js,
node-ical), the map's data, and Chromium, which also enforces the Content-Security-Policy.
"""
from __future__ import annotations

import json
import re
from collections import deque
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urldefrag, urlsplit
from xml.etree import ElementTree as ET

import feedparser
import icalendar
import pytest

from canal import archive, create_app, ical, revisions
from canal.agenda import Filter, find
from canal.loader import LoadError, parse
from canal.views.language import ENGLISH_PREFIX
from canal.views.security import script_hash
from conftest import DATA, NOW, Watch, wait_for_map
from ical_support import run_node, with_event
from pages_html import Page
from test_links import expand

ROOT = Path(__file__).resolve().parent.parent
CONTENT = DATA / "hostile_all.toml"
LANGS = ("zh", "en")
A = "{http://www.w3.org/2005/Atom}"
MONTHS = ("/calendar/2026/12/", "/calendar/2027/01/")
QUERY = "</script>"                                   # agenda search: matches several events
BAD_VALUE = "<script>window.__xss=1</script>\" onmouseover=\"window.__xss=1"  # for the 400 page
CONFIG_LEAKS = ("SECRET_KEY", "CANAL_EVENTS", "<Config", "&lt;Config", "PERMANENT_SESSION")


@pytest.fixture(scope="module")
def hostile():
    """(app, test client, catalog) for the hostile catalog."""
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(CONTENT), "CANAL_NOW": NOW})
    return app, app.test_client(), app.extensions["canal_catalog"]


def prefix(lang: str) -> str:
    return ENGLISH_PREFIX if lang == "en" else ""


def words(text: str) -> str:
    """Whitespace collapsed as in Page.text (U+2028/9 count as whitespace there too)."""
    return " ".join(text.split())


def lines(text: str) -> str:
    """Line breaks as iCalendar and XML carry them: CRLF and a lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def feed_lines(text: str) -> str:
    """What an iCalendar parser reads back: also U+2028/U+2029 as line breaks (canal.ical.feed_text)."""
    return lines(text).replace("\u2028", "\n").replace("\u2029", "\n")


def every_text(catalog) -> list[str]:
    """Every content string of the catalog, both languages."""
    found = [catalog.meta.name, catalog.meta.description]
    for group in (catalog.areas, catalog.categories):
        found += [item.name for item in group.values()]
    for site in catalog.sites.values():
        found += [site.name, site.kind, site.description, site.address]
    for event in catalog.events.values():
        found += [event.title, event.description, event.organiser, event.price]
    return [value for text in found if text is not None for value in (text.zh, text.en) if value]


# --- HTML pages ----------------------------------------------------------------------

class HtmlPage(Page):
    """Page, plus every <script> element with its attributes and text, in order."""

    def __init__(self, html: str):
        self.script_elements: list[tuple[dict, str]] = []
        super().__init__(html)

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.script_elements.append((dict(attrs), ""))
        super().handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.script_elements[-1]
            self.script_elements[-1] = (attrs, text + data)
        super().handle_data(data)


def template_markup() -> tuple[set[str], set[str]]:
    """The tags and attribute names our templates write: anything else came from content."""
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "templates").glob("*.html"))
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)  # comments show markup as examples
    tags = set(re.findall(r"<([a-z][a-z0-9-]*)", source))  # custom elements have a "-"
    attributes = set(re.findall(r'\s([a-z][a-z0-9-]*)="', source))
    # Boolean attributes written without a value.
    attributes |= {"checked", "selected", "multiple", "open", "readonly", "required", "hidden", "defer"}
    # The QR codes' inline SVG is ours too (canal/qr.py writes it, not a template).
    from canal import qr
    svg = qr.svg("https://canal.test/")
    tags |= set(re.findall(r"<([a-z][a-z0-9]*)", svg))
    attributes |= {name.lower() for name in re.findall(r'\s([a-zA-Z][a-zA-Z0-9-]*)="', svg)}
    return tags, attributes


TAGS, ATTRIBUTES = template_markup()


def script_sources(response) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    return directives["script-src"].split()


def assert_scripts_allowed(page: HtmlPage, response, where: str) -> None:
    """Each <script> is a /static/ file, a JSON data block, or inline code the CSP hashes."""
    allowed = script_sources(response)
    assert "'unsafe-inline'" not in allowed and "'unsafe-eval'" not in allowed, where
    for attrs, text in page.script_elements:
        kind = attrs.get("type", "")
        if kind == "application/ld+json":
            json.loads(text)
        elif kind == "application/json":
            # The map's and the trip plan's data blocks: the browser never runs them.
            assert "canal-map-data" in attrs.get("class", "") or attrs.get("id") == "plan-data", (where, attrs)
            json.loads(text)
        elif kind == "text/x-canal-later":
            # A site map's folium script, run later by static/map.js with the same text:
            # the CSP must allow exactly it, as for an inline script.
            assert script_hash(text) in allowed, (where, text[:200])
        elif "src" in attrs:
            assert attrs["src"].startswith("/static/") and not text.strip(), (where, attrs)
        else:
            assert kind == "" and script_hash(text) in allowed, (where, text[:200])


def assert_inert_html(page: HtmlPage, body: str, catalog, where: str) -> None:
    """No element, attribute, link or script in the page came from content."""
    for tag, attrs in page.elements:
        assert tag in TAGS, (where, tag, attrs)
        assert set(attrs) <= ATTRIBUTES, (where, tag, attrs)
        for name in ("href", "src", "action"):
            if attrs.get(name):
                assert urlsplit(attrs[name]).scheme in ("", "http", "https", "webcal"), (where, attrs)
    # Content never reached inline code (only the map's generated script is inline code,
    # run now or, waiting as text/x-canal-later, once the map loads).
    for attrs, text in page.script_elements:
        if attrs.get("type", "") in ("", "text/x-canal-later") and "src" not in attrs:
            assert "__xss" not in text and "7*7" not in text, where
            assert not any(value in text for value in every_text(catalog) if len(value) > 3), where
    assert "49" not in page.text, where  # {{ 7*7 }} was never evaluated
    assert not any(leak in body for leak in CONFIG_LEAKS), where


def html_pages(catalog) -> dict[str, int]:
    """Every page of the hostile site (path without language prefix) and its status."""
    pages = {"/": 200, "/events/": 200, "/sites/": 200, "/calendar/": 200,
             "/events/?q=" + quote(QUERY): 200,
             "/events/?from=" + quote(BAD_VALUE): 400, "/events/no-such-event/": 404}
    pages.update({month: 200 for month in MONTHS})
    pages.update({f"/events/{id}/": 200 for id in catalog.events})
    pages.update({f"/sites/{id}/": 200 for id in catalog.sites})
    # The archive (issue 19): its index and each year with past dates.
    pages["/events/archive/"] = 200
    pages.update({f"/events/archive/{year}/": 200 for year, _ in archive.years(catalog, now_of(catalog))})
    return pages


def shown_on(path: str, catalog, lang: str) -> tuple[list[str], dict[str, str]]:
    """Texts a reader must see on `path`, literally; and link targets expected there."""
    t = lambda text: text.get(lang)  # noqa: E731
    texts = [t(catalog.meta.name), t(catalog.meta.description)]
    links: dict[str, str] = {}
    if path == "/":
        texts += [t(s.name) for s in catalog.sites.values()] + [t(s.kind) for s in catalog.sites.values()]
        texts += [t(a.name) for a in catalog.areas.values()]
        texts += [t(e.title) for e in catalog.events.values()]
    elif path == "/events/":
        texts += [t(e.title) for e in catalog.events.values()]
        texts += [t(c.name) for c in catalog.categories.values()]
        texts += [t(a.name) for a in catalog.areas.values()] + [t(s.name) for s in catalog.sites.values()]
    elif path.startswith("/events/?q="):
        found = {o.event.id for o in find(catalog, Filter(q=QUERY.casefold()), now_of(catalog))}
        assert found and len(found) < len(catalog.events)  # the search narrowed the list
        texts += [t(catalog.events[id].title) for id in found] + [QUERY]
    elif path.startswith("/events/?from="):
        texts.append(BAD_VALUE)
    elif path == MONTHS[0]:
        texts += [t(e.title) for e in catalog.events.values()]
    elif path == MONTHS[1]:
        texts.append(t(catalog.events["crlf-fair"].title))
    elif path.startswith("/events/archive/") and path != "/events/archive/":
        year = int(path.split("/")[3])
        texts += [t(entry.event.title) for month in archive.months(catalog, now_of(catalog), year)
                  for entry in month.entries]
    elif path.startswith("/events/") and path[8:-1] in catalog.events:
        event = catalog.events[path[8:-1]]
        site = catalog.site_of(event)
        texts += [t(event.title), t(site.name), t(catalog.area_of(event).name)]
        texts += [t(catalog.categories[c].name) for c in event.categories]
        texts += [t(x) for x in (event.description, event.organiser, event.price, site.address) if x]
        links.update({name: value for name, value in (("url", event.url), ("source", event.source)) if value})
    elif path.startswith("/sites/") and path[7:-1] in catalog.sites:
        site = catalog.sites[path[7:-1]]
        texts += [t(site.name), t(site.kind), t(site.description), t(catalog.areas[site.area].name)]
        texts += [t(site.address)] if site.address else []
        texts += [t(e.title) for e in catalog.events_at(site.id)]
        links.update({name: value for name, value in (("url", site.url), ("source", site.source)) if value})
    return texts, links


def now_of(catalog) -> datetime:
    return datetime.fromisoformat(NOW).replace(tzinfo=catalog.tz)


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_is_inert_and_shows_the_text_literally(hostile, lang):
    _, client, catalog = hostile
    for path, status in html_pages(catalog).items():
        url = prefix(lang) + path
        response = client.get(url)
        assert response.status_code == status, url
        body = response.get_data(as_text=True)
        page = HtmlPage(body)
        assert_inert_html(page, body, catalog, url)
        assert_scripts_allowed(page, response, url)
        texts, links = shown_on(path, catalog, lang)
        for text in texts:
            assert words(text) in page.text, (url, text[:80])
        hrefs = {a.get("href") for tag, a in page.elements if tag == "a"}
        for name, target in links.items():
            assert target in hrefs, (url, name, target)  # the attribute holds the URL, exactly
        metas = {a.get("name"): a.get("content") for tag, a in page.elements if tag == "meta"}
        if path == "/":
            assert metas["description"] == catalog.meta.description.get(lang), url
        else:  # every page describes itself (issue 15); the text stays inert, as checked above
            assert metas["description"], url
        assert page.text.count(words(catalog.meta.name.get(lang))) >= 2, url  # <title> and header


@pytest.mark.parametrize("lang", LANGS)
def test_jsonld_parses_has_no_markup_and_round_trips(hostile, lang):
    _, client, catalog = hostile
    for event in catalog.events.values():
        body = client.get(f"{prefix(lang)}/events/{event.id}/").get_data(as_text=True)
        [block] = HtmlPage(body).jsonld_blocks
        assert "<" not in block and ">" not in block and "&" not in block
        items = json.loads(block)
        assert items, event.id
        site = catalog.site_of(event)
        for item in items:
            assert item["name"] == event.title.get(lang)
            assert item.get("description") == (event.description.get(lang) if event.description else None)
            assert item["location"]["name"] == site.name.get(lang)
            assert item["location"]["address"]["streetAddress"] == (site.address or site.name).get(lang)
            assert item["location"]["address"]["addressLocality"] == catalog.area_of(event).name.get(lang)
            if event.organiser:
                assert item["organizer"]["name"] == event.organiser.get(lang)
                assert item["organizer"].get("url") == event.url
            if event.price:
                assert item["offers"]["description"] == event.price.get(lang)


# --- Atom, JSON API, GeoJSON ----------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_atom_parses_and_titles_round_trip(hostile, lang):
    _, client, catalog = hostile
    response = client.get(f"{prefix(lang)}/feeds/events.atom")
    assert "'unsafe-inline'" not in script_sources(response)
    body = response.data
    root = ET.fromstring(body)
    assert root.findtext(f"{A}title") == lines(catalog.meta.name.get(lang))
    assert root.findtext(f"{A}subtitle") == lines(catalog.meta.description.get(lang))
    entries = {e.findtext(f"{A}id").rsplit("/", 1)[1]: e for e in root.findall(f"{A}entry")}
    assert set(entries) == set(catalog.events)
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    by_feedparser = {e.id.rsplit("/", 1)[1]: e for e in parsed.entries}
    for id, event in catalog.events.items():
        title = ("Cancelled: " if lang == "en" else "已取消：") * event.cancelled + event.title.get(lang)
        entry = entries[id]
        assert entry.findtext(f"{A}title") == lines(title)
        assert by_feedparser[id].title == lines(title)
        assert catalog.site_of(event).name.get(lang) in entry.findtext(f"{A}summary")
        if event.description:
            assert entry.findtext(f"{A}content") == lines(event.description.get(lang))
        labels = [c.get("label") for c in entry.findall(f"{A}category")]
        assert labels == [catalog.categories[c].name.get(lang) for c in event.categories]


@pytest.mark.parametrize("lang", LANGS)
def test_json_api_and_geojson_round_trip_exactly(hostile, lang):
    _, client, catalog = hostile
    data = json.loads(client.get(f"{prefix(lang)}/api/events.json?q={quote(QUERY)}").data)
    assert data["filters"]["q"] == QUERY
    response = client.get(f"{prefix(lang)}/api/events.json")
    assert "'unsafe-inline'" not in script_sources(response)
    data = json.loads(response.data)
    assert {o["event"] for o in data["occurrences"]} == set(catalog.events)
    for item in data["occurrences"]:
        event = catalog.events[item["event"]]
        site = catalog.site_of(event)
        assert item["title"] == event.title.get(lang)
        assert item["site"]["name"] == site.name.get(lang)
        assert item["area"]["name"] == catalog.areas[site.area].name.get(lang)
        assert [c["name"] for c in item["categories"]] == [
            catalog.categories[c].name.get(lang) for c in event.categories]
        assert item["price"] == (event.price.get(lang) if event.price else None)
        assert item["organiser"] == (event.organiser.get(lang) if event.organiser else None)
        assert item["source"] == event.source
    features = json.loads(client.get(f"{prefix(lang)}/api/sites.geojson").data)["features"]
    assert {f["id"] for f in features} == set(catalog.sites)
    for feature in features:
        site, properties = catalog.sites[feature["id"]], feature["properties"]
        assert properties["name"] == site.name.get(lang)
        assert properties["kind"] == site.kind.get(lang)
        assert properties["area_name"] == catalog.areas[site.area].name.get(lang)


# --- iCalendar ------------------------------------------------------------------------

def feed_paths(catalog, lang: str) -> dict[str, list[str]]:
    """Every feed URL of the catalog in `lang`, with the ids of the events it must hold."""
    p = prefix(lang)
    feeds = {f"{p}/feeds/all.ics": list(catalog.events)}
    feeds.update({f"{p}/feeds/sites/{id}.ics": [e.id for e in catalog.events_at(id)] for id in catalog.sites})
    feeds.update({f"{p}/feeds/areas/{id}.ics": [e.id for e in catalog.events_in_area(id)]
                  for id in catalog.areas})
    feeds.update({f"{p}/feeds/categories/{id}.ics": [e.id for e in catalog.events_in_category(id)]
                  for id in catalog.categories})
    feeds.update({f"{p}/events/{id}.ics": [id] for id in catalog.events})
    return feeds


def expected_vevent(catalog, event, lang: str) -> dict:
    """What a calendar app must read back: the content's text, line breaks as LF."""
    description = feed_lines(ical.description_text(catalog, event, lang))
    location = feed_lines(ical.location_text(catalog, event, lang))
    # Not circular: the content's own texts are inside what the feed composes.
    if event.description:
        assert description.startswith(feed_lines(event.description.get(lang)))
    assert location.startswith(feed_lines(catalog.site_of(event).name.get(lang)))
    return {"summary": feed_lines(event.title.get(lang)), "description": description, "location": location}


@pytest.fixture(scope="module")
def feeds(hostile, tmp_path_factory):
    """Every feed in both languages, fetched over HTTP and written to files: {file: (lang, url, ids)}."""
    _, client, catalog = hostile
    folder = tmp_path_factory.mktemp("hostile-feeds")
    files = {}
    for lang in LANGS:
        for url, ids in feed_paths(catalog, lang).items():
            response = client.get(url)
            assert response.status_code == 200, url
            assert "'unsafe-inline'" not in script_sources(response)
            path = folder / (url.strip("/").replace("/", "-"))
            path.write_bytes(response.data)
            files[path] = (lang, url, ids)
    return files


def test_icalendar_reads_one_vevent_per_event_with_the_text_intact(hostile, feeds):
    _, _, catalog = hostile
    for path, (lang, url, ids) in feeds.items():
        body = path.read_bytes()
        # Only CRLF ends a line; no content line is longer than 75 octets.
        assert b"\r" not in body.replace(b"\r\n", b"") and b"\n" not in body.replace(b"\r\n", b""), url
        assert max(len(line) for line in body.split(b"\r\n")) <= 75, url
        assert body.count(b"\r\nBEGIN:VEVENT\r\n") == len(ids), url
        # Hostile text added no property: each VEVENT has every property once, and no ATTACH.
        for names in vevent_properties(body):
            assert len(names) == len(set(names)) and "ATTACH" not in names, (url, names)
        cal = icalendar.Calendar.from_ical(body)
        vevents = cal.walk("VEVENT")
        assert [str(v["UID"]) for v in vevents] == [f"{id}@canal.test" for id in ids], url
        for vevent, id in zip(vevents, ids, strict=True):
            event = catalog.events[id]
            expected = expected_vevent(catalog, event, lang)
            assert str(vevent["SUMMARY"]) == expected["summary"], url
            assert str(vevent["DESCRIPTION"]) == expected["description"], url
            assert str(vevent["LOCATION"]) == expected["location"], url
            assert list(vevent["CATEGORIES"].cats) == [
                feed_lines(catalog.categories[c].name.get(lang)) for c in event.categories], url
        # The calendar's name is checked with ical.js: icalendar leaves NAME and X-WR-CALNAME
        # escaped (types unknown to it); DESCRIPTION is TEXT to both.
        assert str(cal["DESCRIPTION"]) == feed_lines(catalog.meta.description.get(lang)), url


def vevent_properties(body: bytes) -> list[list[str]]:
    """The property names of each VEVENT, read from the unfolded lines."""
    found: list[list[str]] = []
    for line in body.replace(b"\r\n ", b"").split(b"\r\n"):
        if line == b"BEGIN:VEVENT":
            found.append([])
        elif found and line != b"END:VEVENT":
            found[-1].append(re.split(rb"[:;]", line, maxsplit=1)[0].decode())
    return found


def unescape_text(value: str) -> str:
    """An iCalendar TEXT value as written (RFC 5545 3.3.11) back to plain text."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def kind_and_id(url: str) -> tuple[str, str | None]:
    path = url.removeprefix(ENGLISH_PREFIX)
    if path == "/feeds/all.ics":
        return "all", None
    if path.startswith("/events/"):
        return "events", path[len("/events/"):-len(".ics")]
    kind, file = path[len("/feeds/"):].split("/")
    return kind, file[:-len(".ics")]


def test_icaljs_and_node_ical_read_the_same_events_and_text(hostile, feeds):
    _, _, catalog = hostile
    files = [str(path) for path in feeds]
    by_icaljs = run_node("icaljs.mjs", "2027-12-31", *files)
    by_node_ical = run_node("nodeical.mjs", "2026-01-01", "2027-12-31", *files)
    for path, (lang, url, ids) in feeds.items():
        events = by_icaljs[str(path)]["events"]
        assert [e["uid"] for e in events] == [f"{id}@canal.test" for id in ids], url
        for read, id in zip(events, ids, strict=True):
            expected = expected_vevent(catalog, catalog.events[id], lang)
            assert {k: read[k] for k in expected} == expected, url
        node_events = by_node_ical[str(path)]
        assert [e["uid"] for e in node_events] == [f"{id}@canal.test" for id in ids], url
        for read, id in zip(node_events, ids, strict=True):
            expected = expected_vevent(catalog, catalog.events[id], lang)
            assert (read["summary"], read["location"]) == (expected["summary"], expected["location"]), url
        selection = ical.select(catalog, *kind_and_id(url))
        # ical.js leaves X-WR-CALNAME as written (its type is unknown to it): read it as TEXT.
        name = unescape_text(by_icaljs[str(path)]["name"])
        assert name == feed_lines(ical.calendar_name(catalog, selection, lang)), url


def test_unicode_line_separators_reach_node_ical_as_line_breaks(tmp_path):
    # Regression: written raw, U+2028/U+2029 made node-ical drop SUMMARY and LOCATION.
    catalog = with_event("""
[events.separated]
title = { zh = "第一行\u2028第二行\u2029第三段" }
site = "canal-museum"
categories = ["food"]
start = 2027-03-01T10:00:00
end = 2027-03-01T11:00:00
""")
    body = ical.FeedCache(catalog, revisions.Ledger()).get("zh", "events", "separated").body
    path = tmp_path / "separated.ics"
    path.write_bytes(body)
    [read] = run_node("nodeical.mjs", "2027-01-01", "2027-12-31", str(path))[str(path)]
    assert read["summary"] == "第一行\n第二行\n第三段"
    assert "\u2028".encode() not in body and "\u2029".encode() not in body


# --- The map --------------------------------------------------------------------------

def map_blocks(body: str) -> tuple[dict, list[str]]:
    """The map's JSON data and its inline code (run now, or later for a site's map) from a page."""
    page = HtmlPage(body)
    [data] = [json.loads(text) for attrs, text in page.script_elements
              if attrs.get("type") == "application/json"]
    code = [text for attrs, text in page.script_elements
            if attrs.get("type", "") in ("", "text/x-canal-later") and "src" not in attrs]
    return data, code


@pytest.mark.parametrize("lang", LANGS)
def test_map_data_round_trips_and_folium_code_holds_no_content(hostile, lang):
    _, client, catalog = hostile
    other = "zh" if lang == "en" else "en"
    data, [code] = map_blocks(client.get(prefix(lang) + "/").get_data(as_text=True))
    assert [c["name"] for c in data["categories"]] == [c.name.get(lang) for c in catalog.categories.values()]
    assert [s["id"] for s in data["sites"]] == list(catalog.sites)
    for shown in data["sites"]:
        site = catalog.sites[shown["id"]]
        assert shown["name"] == site.name.get(lang)
        assert shown["altName"] == site.name.get(other)
        assert shown["kind"] == site.kind.get(lang)
        assert shown["area"] == catalog.areas[site.area].name.get(lang)
        titles = [o["title"] for o in shown["upcoming"]]
        assert titles and set(titles) <= {e.title.get(lang) for e in catalog.events_at(site.id)}
        assert all(o["url"].startswith(prefix(lang) + "/events/") for o in shown["upcoming"])
    assert not any(value in code for value in every_text(catalog) if len(value) > 3)
    for site_id in catalog.sites:  # the small map on each site page
        data, [code] = map_blocks(client.get(f"{prefix(lang)}/sites/{site_id}/").get_data(as_text=True))
        assert data["sites"][0]["name"] == catalog.sites[site_id].name.get(lang)
        assert "__xss" not in code and catalog.sites[site_id].name.get(lang) not in code


# --- The loader refuses what no output could make safe --------------------------------

@pytest.mark.parametrize("url", ["javascript:window.__xss=1", "JavaScript:alert(1)",
                                 "data:text/html,<script>window.__xss=1</script>",
                                 "https://x.test/ onmouseover=alert(1)", "//x.test/"])
def test_loader_accepts_only_web_addresses_in_url_fields(url):
    text = CONTENT.read_text(encoding="utf-8").replace(
        'url = "https://x.test/?a=1&b=%22%3E&c=<2>"', f"url = {json.dumps(url)}")
    with pytest.raises(LoadError) as raised:
        parse(text, "hostile_all.toml")
    [problem] = raised.value.problems
    assert problem.where == "sites.quote-museum.url" and "not a web address" in problem.message


# --- Security headers over the shipped site's link crawl ------------------------------

def test_every_page_of_the_shipped_site_runs_only_scripts_the_policy_allows():
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(ROOT / "events.toml"), "CANAL_NOW": NOW})
    client = app.test_client()
    seen, pages = set(), 0
    queue = deque(["/", "/en/"])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 400, url
        assert "'unsafe-inline'" not in script_sources(response), url
        if response.status_code in (301, 302, 308):
            queue.append(response.headers["Location"])
        if response.mimetype != "text/html":
            continue
        pages += 1
        page = HtmlPage(response.get_data(as_text=True))
        assert_scripts_allowed(page, response, url)
        if expand(url):
            for href in page.links:
                href = urldefrag(href)[0]
                if href.startswith("/") and not href.startswith("//"):
                    queue.append(href)
    assert pages > 100


# --- Chromium -------------------------------------------------------------------------

def assert_inert_in_browser(page, watch: Watch, network, status: int = 200) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert watch.dialogs == []
    assert network["blocked"] == []
    expected = [] if status == 200 else [f"the server responded with a status of {status}"]
    assert [e for e in watch.errors if not any(x in e for x in expected)] == []


def visible(page, text: str) -> bool:
    return page.get_by_text(words(text), exact=False).first.is_visible()


@pytest.mark.parametrize("lang", LANGS)
def test_in_chromium_nothing_runs_and_the_text_is_shown(page, network, serve, hostile, lang):
    app, _, catalog = hostile
    base = serve(app) + prefix(lang)
    watch = Watch(page)
    t = lambda text: text.get(lang)  # noqa: E731
    wharf = catalog.sites["evil-wharf"]

    # The map: a marker's tooltip on hover, its popup on click, the search box.
    page.goto(base + "/")
    handle = "window.canalMaps.map_home"
    wait_for_map(page)
    page.evaluate("""id => new Promise(done => {
        const h = window.canalMaps.map_home;
        h.cluster.zoomToShowLayer(h.markers[id], done);
    })""", wharf.id)
    page.evaluate(f"{handle}.markers['{wharf.id}'].getElement().setAttribute('data-test', 'wharf')")
    marker = page.locator("[data-test=wharf]")
    assert marker.get_attribute("alt").startswith(t(wharf.name))
    marker.hover()
    assert page.locator(".leaflet-tooltip .canal-tooltip strong").inner_text() == t(wharf.name)
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".canal-popup__name").inner_text() == t(wharf.name)
    assert popup.locator(".canal-popup__meta").inner_text() == f"{t(wharf.kind)} · {t(catalog.areas[wharf.area].name)}"
    assert t(catalog.events["template-talk"].title) in popup.locator("a.canal-popup__event").all_inner_texts()
    term = "</script>" if lang == "zh" else "<img src=x"
    page.locator(".canal-search__input").fill(term)
    assert page.locator(".canal-search__result").first.inner_text().startswith(t(wharf.name))
    assert_inert_in_browser(page, watch, network)

    night = catalog.events["script-night"]
    pages = [
        (f"/events/{night.id}/", [t(night.title), t(night.description), t(night.organiser)], 200),
        (f"/sites/{wharf.id}/", [t(wharf.name), t(wharf.address), t(wharf.kind)], 200),
        ("/events/?q=" + quote(QUERY), [t(night.title)], 200),
        (MONTHS[0], [t(night.title), t(catalog.events["template-talk"].title)], 200),
        ("/events/?from=" + quote(BAD_VALUE), [BAD_VALUE], 400),
    ]
    for path, texts, status in pages:
        watch.errors.clear()
        response = page.goto(base + path)
        assert response.status == status, path
        page.wait_for_load_state("load")
        for text in texts:
            assert visible(page, text), (path, text)
        assert_inert_in_browser(page, watch, network, status)


@pytest.mark.parametrize("lang", LANGS)
def test_the_archive_pages_of_hostile_content_are_inert(lang):
    """Issue 19: years later, every hostile event is in the archive; its pages stay inert."""
    later = "2031-01-15T09:00:00"
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(CONTENT), "CANAL_NOW": later})
    client, catalog = app.test_client(), app.extensions["canal_catalog"]
    moment = datetime.fromisoformat(later).replace(tzinfo=catalog.tz)
    years = archive.years(catalog, moment)
    assert years
    listed = set()
    for path in ["/events/archive/"] + [f"/events/archive/{year}/" for year, _ in years]:
        url = prefix(lang) + path
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        page = HtmlPage(body)
        assert_inert_html(page, body, catalog, url)
        assert_scripts_allowed(page, response, url)
        if path != "/events/archive/":
            for month in archive.months(catalog, moment, int(path.split("/")[3])):
                for entry in month.entries:
                    assert words(entry.event.title.get(lang)) in page.text, (url, entry.event.id)
                    listed.add(entry.event.id)
    assert listed == set(catalog.events)  # every hostile event had a date by then
