"""Embeds over HTTP: the framable list, who may frame what, the builder, the element file."""
from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

import pytest

from canal import create_app
from canal.agenda import Filter, find
from conftest import DATA, NOW
from pages_html import Page, plain_asset
from test_hostile_outputs import (
    CONTENT as HOSTILE,
)
from test_hostile_outputs import (
    HtmlPage,
    assert_inert_html,
    assert_scripts_allowed,
    every_text,
    now_of,
    words,
)

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
ORIGINS = ("https://www.xianghe.gov.cn", "http://127.0.0.1:8123")


def content_with(tmp_path, source: Path, origins) -> str:
    """A copy of `source` whose meta lists `origins` in embed_origins."""
    listed = ", ".join(f'"{o}"' for o in origins)
    text = source.read_text(encoding="utf-8").replace("[meta]\n", f"[meta]\nembed_origins = [{listed}]\n", 1)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def framed(tmp_path):
    app = create_app({"TESTING": True, "CANAL_EVENTS": content_with(tmp_path, DATA / "minimal.toml", ORIGINS),
                      "CANAL_NOW": NOW})
    return app.test_client()


def frame_policy(response) -> str:
    csp = response.headers["Content-Security-Policy"]
    return next(d for d in csp.split("; ") if d.startswith("frame-ancestors"))


def titles_and_links(body: str) -> list[tuple[str, str]]:
    page = Page(body)
    found = re.findall(r'<a class="canal-title" href="([^"]+)" target="_top">', body)
    texts = [words(t) for t in re.findall(r'class="canal-title"[^>]*>([^<]*)<', body)]
    assert len(found) == len(texts)
    assert page.text  # parses
    return list(zip(texts, found, strict=True))


# --- The list -------------------------------------------------------------------------

@pytest.mark.parametrize("lang,prefix", [("zh", ""), ("en", "/en")])
@pytest.mark.parametrize("query,chosen", [
    ("", Filter()),
    ("area=langfang", Filter(areas=("langfang",))),
    ("category=festival&category=food", Filter(categories=("festival", "food"))),
    ("site=caoyun-wharf&from=2027-04-01&to=2027-12-31", Filter(sites=("caoyun-wharf",))),
    ("q=festival", Filter(q="festival")),
])
def test_the_list_shows_what_the_agenda_finds_up_to_the_limit(client, catalog, lang, prefix, query, chosen):
    from datetime import date
    if "from=" in query:
        chosen = Filter(sites=chosen.sites, start=date(2027, 4, 1), end=date(2027, 12, 31))
    expected = find(catalog, chosen, now_of(catalog))
    for limit in (None, 1, 50):
        url = f"{prefix}/embed/events/?{query}" + (f"&limit={limit}" if limit else "")
        response = client.get(url)
        assert response.status_code == 200, url
        shown = titles_and_links(response.get_data(as_text=True))
        wanted = expected[:limit or 5]
        assert shown == [(words(o.event.title.get(lang)), f"{prefix}/events/{o.event.id}/") for o in wanted], url
    body = client.get(f"{prefix}/embed/events/?{query}").get_data(as_text=True)
    more = re.search(r'<p class="canal-more"><a href="([^"]+)" target="_top">([^<]+)</a>', body)
    assert html.unescape(more.group(1)) == f"{prefix}/events/" + (f"?{query}" if query else "")
    assert more.group(2) == ("在北运河文旅活动查看更多活动" if lang == "zh" else "More on North Canal Events")


def test_the_path_forms_show_the_same_list_as_the_query(client):
    for kind, plural, value in (("area", "areas", "langfang"), ("site", "sites", "caoyun-wharf"),
                                ("category", "categories", "festival")):
        by_path = client.get(f"/embed/events/{plural}/{value}/?limit=3&theme=dark")
        by_query = client.get(f"/embed/events/?{kind}={value}&limit=3&theme=dark")
        assert by_path.status_code == by_query.status_code == 200
        assert by_path.get_data() == by_query.get_data()
        assert client.get(f"/embed/events/{plural}/nope/").status_code == 404


def test_themes_and_the_empty_list(client):
    assert 'class="canal-frame canal theme-light"' in client.get("/embed/events/").get_data(as_text=True)
    assert 'class="canal-frame canal theme-dark"' in client.get("/embed/events/?theme=dark").get_data(as_text=True)
    body = client.get("/en/embed/events/?q=nothing-matches&theme=compact").get_data(as_text=True)
    assert 'theme-compact' in body and "No upcoming events here yet." in body
    assert "canal-title" not in body


def test_the_list_needs_no_script_and_every_link_leaves_the_frame(client):
    body = client.get("/embed/events/?limit=50").get_data(as_text=True)
    page = Page(body)
    anchors = [a for tag, a in page.elements if tag == "a"]
    assert anchors and all(a.get("target") == "_top" for a in anchors)
    scripts = [a for tag, a in page.elements if tag == "script"]
    # Only the height report (under its content-hashed name, as every asset the page links).
    assert [{**a, "src": plain_asset(a["src"])} for a in scripts] == [{"src": "/static/embed-frame.js", "defer": None}]
    assert len(body.encode()) < 10_000  # with 50 dates


@pytest.mark.parametrize("query,parameter,value,expected", [
    ("limit=0", "limit", "0", "a whole number from 1 to 50"),
    ("limit=51", "limit", "51", "a whole number from 1 to 50"),
    ("limit=five", "limit", "five", "a whole number from 1 to 50"),
    ("limit=1&limit=2", "limit", "1, 2", "a single value (it was given 2 times)"),
    ("theme=neon", "theme", "neon", "one of the themes: light, dark, compact"),
    ("area=atlantis", "area", "atlantis", "one of the area ids: tongzhou, langfang"),
    ("from=2027-02-30", "from", "2027-02-30", "a date written YYYY-MM-DD, in the years 2000 to 2100"),
])
def test_a_bad_value_gets_a_400_saying_what_was_wrong(client, query, parameter, value, expected):
    response = client.get("/en/embed/events/?" + query)
    assert response.status_code == 400
    text = Page(response.get_data(as_text=True)).text
    assert f"The parameter “{parameter}” has the value “{value}”; expected {expected}." in text
    assert frame_policy(response) == "frame-ancestors 'self'"  # the host sees the problem in the frame


def test_a_path_form_refuses_the_same_filter_in_the_query(client):
    response = client.get("/embed/events/areas/langfang/?area=tongzhou")
    assert response.status_code == 400
    assert "参数“area”的值为“tongzhou”；应为不填：这个网址已经只显示“langfang”。" in Page(response.get_data(as_text=True)).text  # noqa: E501 - the exact message


def test_the_list_is_cached_and_answers_304(client):
    first = client.get("/embed/events/?area=langfang")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert "public" in first.headers["Cache-Control"] and "max-age=600" in first.headers["Cache-Control"]
    again = client.get("/embed/events/?area=langfang", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    # The cached answer is still framable: the policy is set per response, not cached away.
    assert frame_policy(again) == frame_policy(first) == "frame-ancestors 'self'"
    assert "X-Frame-Options" not in again.headers


# --- Who may frame what ---------------------------------------------------------------

def test_only_the_listed_origins_may_frame_the_lists(framed):
    for url in ("/embed/events/", "/en/embed/events/?area=langfang", "/embed/events/sites/xianghe-wharf/",
                "/embed/events/?limit=0", "/embed/events/categories/nope/"):
        response = framed.get(url)
        assert frame_policy(response) == "frame-ancestors 'self' https://www.xianghe.gov.cn http://127.0.0.1:8123", url
        assert "X-Frame-Options" not in response.headers, url


def test_star_lets_every_site_frame_the_lists(tmp_path):
    app = create_app({"TESTING": True, "CANAL_EVENTS": content_with(tmp_path, DATA / "minimal.toml", ["*"]),
                      "CANAL_NOW": NOW})
    assert frame_policy(app.test_client().get("/embed/events/")) == "frame-ancestors *"


def every_other_url(app) -> list[str]:
    urls = ["/embed/", "/en/embed/", "/embed/?area=langfang", "/embed/?language=fr", "/no/such/page",
            "/static/embed.js", "/static/embed-resize.js", "/events/?from=bad"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("embed.") and rule.endpoint != "embed.builder":
            continue
        free = rule.arguments - set(rule.defaults or {})
        path = rule.rule
        for name in free:
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", {"filename": "site.css"}.get(name, "x"), path)
        urls.append(path)
    return urls


def test_no_other_answer_may_be_framed_by_anyone(framed):
    app = framed.application
    urls = every_other_url(app)
    assert len(urls) > 30
    for url in urls:
        response = framed.get(url)
        assert frame_policy(response) == "frame-ancestors 'none'", url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_the_embed_assets_may_be_loaded_by_other_sites(client):
    assets = client.application.extensions["canal_assets"]
    for name in ("embed.js", "embed.css", "embed-resize.js"):
        for published in (name, assets.url_name(name)):  # plain and content-hashed names
            assert client.get(f"/static/{published}").headers["Access-Control-Allow-Origin"] == "*", published
    assert "Access-Control-Allow-Origin" not in client.get("/static/site.css").headers


def test_the_snippet_names_the_scripts_by_their_lasting_plain_urls(client):
    """A district's page keeps the snippet for years: a hashed name would stop working."""
    body = client.get("/embed/").get_data(as_text=True)
    assert "https://canal.test/static/embed.js" in body
    assert "https://canal.test/static/embed-resize.js" in body


# --- The element's file -----------------------------------------------------------------

def test_the_element_is_under_4_kb_gzipped_and_depends_on_nothing():
    source = (STATIC / "embed.js").read_bytes()
    size = len(gzip.compress(source, compresslevel=9))
    print(f"embed.js: {len(source)} bytes, {size} bytes gzipped")
    assert size <= 4096
    text = source.decode()
    assert not re.search(r"^\s*import\s", text, re.M)  # no module it would have to load
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "Function(",
                      "document.write", ".style", "<style", "setAttribute(\"style"):
        assert forbidden not in text, forbidden


# --- The builder ------------------------------------------------------------------------

def snippets(body: str) -> dict[str, str]:
    return {name: html.unescape(text) for name, text in
            re.findall(r'<textarea readonly rows="5" id="(\w+)-snippet" spellcheck="false">(.*?)</textarea>',
                       body, re.S)}


def test_the_builder_writes_both_snippets_for_the_choices(framed):
    body = framed.get("/embed/?area=langfang&limit=3&language=en&theme=dark").get_data(as_text=True)
    found = snippets(body)
    assert found["frame"] == (
        '<iframe src="https://canal.test/en/embed/events/areas/langfang/?limit=3&amp;theme=dark" '
        'title="Upcoming events · North Canal Events" width="100%" height="420" loading="lazy"></iframe>\n'
        '<script src="https://canal.test/static/embed-resize.js" async></script>')
    assert found["element"] == (
        '<script type="module" src="https://canal.test/static/embed.js"></script>\n'
        '<canal-events area="langfang" limit="3" lang="en" theme="dark">'
        '<a href="https://canal.test/en/events/?area=langfang">More on North Canal Events</a></canal-events>')
    text = Page(body).text
    assert "frame-src https://canal.test; script-src https://canal.test" in text
    assert "script-src https://canal.test; connect-src https://canal.test; style-src https://canal.test" in text
    assert "https://www.xianghe.gov.cn" in text and "http://127.0.0.1:8123" in text


def test_the_builder_in_chinese_with_several_filters_uses_the_query(client):
    body = client.get("/embed/?category=food&site=xianghe-wharf").get_data(as_text=True)
    found = snippets(body)
    assert 'src="https://canal.test/embed/events/?site=xianghe-wharf&amp;category=food"' in found["frame"]
    assert 'title="近期活动 · 北运河文旅活动"' in found["frame"]
    assert ('<canal-events site="xianghe-wharf" category="food" limit="5" lang="zh">'
            '<a href="https://canal.test/events/?site=xianghe-wharf&amp;category=food">在北运河文旅活动查看更多活动</a>'
            '</canal-events>') in found["element"]
    assert "目前还没有其他网站可以显示框架。" in Page(body).text


def test_the_builder_refuses_a_bad_choice_with_the_site_400_page(client):
    response = client.get("/en/embed/?language=fr")
    assert response.status_code == 400
    assert "The parameter “language” has the value “fr”; expected zh or en." in Page(response.get_data(as_text=True)).text  # noqa: E501 - the exact message
    assert client.get("/en/embed/?limit=99").status_code == 400


# --- Hostile content ----------------------------------------------------------------------

@pytest.mark.parametrize("prefix,lang", [("", "zh"), ("/en", "en")])
def test_hostile_text_stays_inert_in_the_list_and_the_builder(prefix, lang):
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(HOSTILE), "CANAL_NOW": NOW})
    client, catalog = app.test_client(), app.extensions["canal_catalog"]
    expected = find(catalog, Filter(), now_of(catalog))[:50]
    for url in (f"{prefix}/embed/events/?limit=50", f"{prefix}/embed/", f"{prefix}/embed/events/?theme=" + "%3Cb%3E"):
        response = client.get(url)
        body = response.get_data(as_text=True)
        page = HtmlPage(body)
        assert_inert_html(page, body, catalog, url)
        assert_scripts_allowed(page, response, url)
    body = client.get(f"{prefix}/embed/events/?limit=50").get_data(as_text=True)
    text = Page(body).text
    for occurrence in expected:
        assert words(occurrence.event.title.get(lang)) in text
    assert words(catalog.meta.name.get(lang)) in text
    csp = client.get(f"{prefix}/embed/events/").headers["Content-Security-Policy"]
    assert "sha256-" not in csp and "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
    assert every_text(catalog)  # the payloads are there to be tested
