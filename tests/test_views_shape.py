"""The views' shape (issue 11): a blueprint per page module, parameters declared per page,
subscribe pages from one table, each script once per page."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from canal.views import subscribe
from pages_html import Page

VIEWS = Path(__file__).resolve().parent.parent / "canal" / "views"


def test_no_view_module_lends_or_borrows_a_blueprint():
    for path in sorted(VIEWS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                assert "bp" not in [alias.name for alias in node.names], f"{path.name} imports a bp"
        # Imports sit at the top (a bottom-of-file import was the one cycle).
        body = [n for n in tree.body if not isinstance(n, (ast.Expr, ast.Import, ast.ImportFrom))]
        first_code = body[0].lineno if body else 10**9
        late = [n.lineno for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))
                and n.lineno > first_code]
        assert not late, f"{path.name}: imports after code at lines {late}"


@pytest.mark.parametrize(("path", "endpoint"), [
    ("/calendar/", "calendar.calendar"), ("/en/calendar/2026/12/", "calendar.calendar_month"),
    ("/events/", "events.events"), ("/events/boat-trip/", "events.event"),
    ("/sites/", "sites.sites"), ("/sites/canal-museum/", "sites.site"),
    ("/feeds/events.atom", "api.events_atom"), ("/api/events.json", "api.events_json"),
    ("/api/sites.geojson", "api.sites_geojson"), ("/api/holidays.json", "api.holidays_json"),
    ("/", "pages.home"), ("/subscribe/areas/tongzhou/", "subscribe.area"),
])
def test_each_page_is_served_by_its_own_modules_endpoint(app, path, endpoint):
    adapter = app.url_map.bind("localhost")
    assert adapter.match(path)[0] == endpoint


def test_subscribe_pages_come_from_one_table(app):
    rules = {r.endpoint: r.rule for r in app.url_map.iter_rules()
             if r.endpoint.startswith("subscribe.") and not r.rule.startswith("/en/")}
    assert {endpoint: rules[endpoint] for _, endpoint in subscribe.ENDPOINTS.values()} == {
        "subscribe.all_events": "/subscribe/", "subscribe.area": "/subscribe/areas/<id>/",
        "subscribe.site": "/subscribe/sites/<id>/", "subscribe.category": "/subscribe/categories/<id>/",
        "subscribe.event": "/subscribe/events/<id>/"}


@pytest.mark.parametrize(("url", "about"), [
    ("/en/subscribe/", "/en/events/"),
    ("/en/subscribe/areas/tongzhou/", "/en/events/?area=tongzhou"),
    ("/en/subscribe/sites/canal-museum/", "/en/sites/canal-museum/"),
    ("/en/subscribe/categories/festival/", "/en/events/?category=festival"),
    ("/en/subscribe/events/boat-trip/", "/en/events/boat-trip/"),
])
def test_each_subscribe_page_links_what_its_feed_holds(client, url, about):
    page = Page(client.get(url).get_data(as_text=True))
    assert about in page.links


@pytest.mark.parametrize(("url", "kept", "dropped"), [
    ("/en/events/?area=tongzhou&month=2027-01&o=x", "area=tongzhou", ("month", "o=")),
    ("/en/calendar/?month=2027-01&area=tongzhou", None, ("area",)),  # a redirect: see below
    ("/en/sites/?area=tongzhou&theme=dark", None, ("area", "theme")),
    ("/en/plan/?o=boat-trip@2026-12-05&area=tongzhou", "o=boat-trip%402026-12-05", ("area",)),
])
def test_the_language_link_keeps_only_what_the_page_reads(client, url, kept, dropped):
    response = client.get(url)
    if response.status_code == 302:
        return  # /calendar/?month= sends on to the month's own address
    [switch] = [a["href"] for t, a in Page(response.get_data(as_text=True)).elements
                if t == "a" and "lang-switch" in (a.get("class") or "")]
    if kept:
        assert kept in switch
    for name in dropped:
        assert name not in switch, switch


def test_a_parameter_a_page_does_not_read_is_no_new_render(app, monkeypatch):
    from canal.views import sites as site_views
    calls = []
    real = site_views.render_template
    monkeypatch.setattr(site_views, "render_template", lambda *a, **k: calls.append(a) or real(*a, **k))
    client = app.test_client()
    first = client.get("/en/sites/")
    again = client.get("/en/sites/?area=tongzhou&page=3")
    assert len(calls) == 1 and first.data == again.data


def test_visit_js_is_included_once_on_pages_with_hours_and_a_map(client):
    for url in ("/en/sites/canal-museum/", "/en/events/night-lecture/", "/en/"):
        html = client.get(url).get_data(as_text=True)
        scripts = [a["src"] for t, a in Page(html).elements if t == "script" and "visit" in a.get("src", "")]
        assert len(scripts) == 1, (url, scripts)
