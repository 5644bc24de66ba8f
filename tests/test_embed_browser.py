"""Embeds in Chromium, as a district's site would use them.

Three loopback origins: our site, a district's site listed in meta.embed_origins, and
another site that is not. The district's pages carry a strict CSP of their own
(default-src 'self' plus our origin where the builder's note says) and paste the
snippets exactly as the builder page writes them.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from canal import create_app
from canal.agenda import Filter, find
from conftest import DATA, NOW, Watch
from test_hostile_outputs import CONTENT as HOSTILE
from test_hostile_outputs import lines, now_of

WATCH_JS = b"""
window.__violations = [];
window.__messages = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
window.addEventListener("message", function (e) { window.__messages.push(e.origin); });
"""
# The host's own look: a global link colour, as every real site has.
HOST_CSS = b"body { font-family: serif; } a { color: rgb(200, 0, 0); }"
# A page of the other site's that posts a forged height to whoever frames it.
FORGER_JS = b"""
window.parent.postMessage({ type: "canal-embed:height", height: 3333 }, "*");
"""


class Host:
    """Another site: a few pages, each sent with its own Content-Security-Policy."""

    def __init__(self):
        self.pages: dict[str, tuple[str, str]] = {}

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/host.css":
            start_response("200 OK", [("Content-Type", "text/css")])
            return [HOST_CSS]
        if path in ("/watch.js", "/forger.js"):
            start_response("200 OK", [("Content-Type", "text/javascript")])
            return [WATCH_JS if path == "/watch.js" else FORGER_JS]
        if path not in self.pages:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not here"]
        body, csp = self.pages[path]
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                  ("Content-Security-Policy", csp)])
        return [body.encode("utf-8")]

    def page(self, path: str, body: str, ours: str, frames: str = "") -> None:
        csp = (f"default-src 'self'; script-src 'self' {ours}; connect-src 'self' {ours}; "
               f"style-src 'self' {ours}; frame-src {ours} {frames}".rstrip())
        self.pages[path] = ("<!doctype html><html lang='zh-Hans'><head><meta charset='utf-8'>"
                            "<title>香河县文化和旅游局</title><script src='/watch.js'></script>"
                            "<link rel='stylesheet' href='/host.css'></head>"
                            f"<body><h1>香河县文化和旅游局</h1>{body}</body></html>", csp)


def our_site(serve, tmp_path, source: Path, allowed) -> tuple[str, object]:
    """Our site on a free port, its base_url that address, framable by `allowed(origin)`."""
    holder = {}
    origin = serve(lambda environ, start: holder["app"](environ, start))
    text = source.read_text(encoding="utf-8")
    text = re.sub(r'base_url = "[^"]*"', f'base_url = "{origin}"', text, count=1)
    listed = ", ".join(f'"{o}"' for o in allowed)
    text = text.replace("[meta]\n", f"[meta]\nembed_origins = [{listed}]\n", 1)
    (tmp_path / source.name).write_text(text, encoding="utf-8")
    holder["app"] = create_app({"TESTING": True, "CANAL_EVENTS": str(tmp_path / source.name), "CANAL_NOW": NOW})
    return origin, holder["app"]


@pytest.fixture
def sites(serve, tmp_path):
    district, other = Host(), Host()
    district_origin, other_origin = serve(district), serve(other)
    ours, app = our_site(serve, tmp_path, DATA / "minimal.toml", [district_origin])
    return SimpleNamespace(ours=ours, app=app, district=district, district_origin=district_origin,
                           other=other, other_origin=other_origin)


def builder_snippets(app, query: str) -> dict[str, str]:
    """The snippets the builder page offers for `query`, as a district would copy them."""
    body = app.test_client().get("/embed/?" + query).get_data(as_text=True)
    return {name: html.unescape(text) for name, text in
            re.findall(r'id="(\w+)-snippet" spellcheck="false">(.*?)</textarea>', body, re.S)}


def side_by_side(app, query: str) -> str:
    found = builder_snippets(app, query)
    return f"<section id='frame-box'>{found['frame']}</section><section id='element-box'>{found['element']}</section>"


def expected_items(app, chosen: Filter, limit: int, lang: str = "zh") -> list[tuple[str, str]]:
    catalog = app.extensions["canal_catalog"]
    prefix = "/en" if lang == "en" else ""
    return [(o.event.title.get(lang), f"{catalog.meta.base_url}{prefix}/events/{o.event.id}/")
            for o in find(catalog, chosen, now_of(catalog))[:limit]]


def items(locator) -> list[tuple[str, str]]:
    return locator.evaluate_all("links => links.map(a => [a.textContent, a.href])")


def our_frame(page, ours: str):
    return next(f for f in page.frames if f.url.startswith(ours + "/") and "/embed/events/" in f.url)


def assert_clean(page, watch: Watch, network) -> None:
    assert page.evaluate("window.__violations") == []
    assert watch.errors == [] and watch.dialogs == []
    assert network["blocked"] == []


def test_a_district_site_shows_the_frame_and_the_element_under_its_strict_csp(page, network, sites):
    sites.district.page("/events.html", side_by_side(sites.app, "area=langfang&limit=5"), sites.ours)
    watch = Watch(page)
    page.goto(sites.district_origin + "/events.html")
    expected = expected_items(sites.app, Filter(areas=("langfang",)), 5)
    assert len(expected) == 5

    framed = page.frame_locator("#frame-box iframe").locator(".canal-title")
    framed.first.wait_for()
    assert [tuple(i) for i in items(framed)] == expected
    element = page.locator("#element-box canal-events .canal-title")  # inside its shadow root
    element.first.wait_for()
    assert [tuple(i) for i in items(element)] == expected
    assert page.locator("#element-box canal-events").evaluate("e => e.shadowRoot.mode") == "open"
    # The element is styled by our stylesheet file, not by anything inline.
    accent = element.first.evaluate("a => getComputedStyle(a).fontWeight")
    assert accent == "600"
    # The "more" links: the frame's own, and the element's fallback link, now slotted.
    more = page.frame_locator("#frame-box iframe").locator(".canal-more a")
    assert more.inner_text() == "在北运河文旅活动查看更多活动"
    assert more.evaluate("a => a.href") == sites.ours + "/events/?area=langfang"
    assert page.locator("#element-box canal-events > a").evaluate("a => a.assignedSlot !== null")

    # The resize script fitted the frame to its list: no inner scrollbar.
    frame = page.locator("#frame-box iframe")
    page.wait_for_function("() => document.querySelector('#frame-box iframe').height !== '420'")
    content = our_frame(page, sites.ours).evaluate(
        "Math.ceil(document.documentElement.getBoundingClientRect().height)")
    assert int(frame.get_attribute("height")) == content
    assert_clean(page, watch, network)

    # A click in the frame takes the whole window to the event.
    framed.first.click()
    page.wait_for_url(expected[0][1])
    assert page.locator("h1").inner_text() == expected[0][0]


def test_a_click_on_the_element_opens_the_event_and_english_works(page, network, sites):
    sites.district.page("/en.html", side_by_side(sites.app, "category=festival&language=en&theme=dark"),
                        sites.ours)
    watch = Watch(page)
    page.goto(sites.district_origin + "/en.html")
    expected = expected_items(sites.app, Filter(categories=("festival",)), 5, "en")
    assert expected
    element = page.locator("canal-events .canal-title")
    element.first.wait_for()
    assert [tuple(i) for i in items(element)] == expected
    framed = page.frame_locator("iframe").locator(".canal-title")
    assert [tuple(i) for i in items(framed)] == expected
    assert page.frame_locator("iframe").locator("body.theme-dark").count() == 1
    assert page.locator("canal-events .canal.theme-dark").count() == 1
    # The slotted "more" link takes the theme's colour, not the host's default link blue.
    colour = "a => getComputedStyle(a).color"
    assert page.locator("canal-events > a").evaluate(colour) == element.first.evaluate(colour) == "rgb(143, 208, 245)"
    assert_clean(page, watch, network)
    element.last.click()
    page.wait_for_url(expected[-1][1])


def test_a_site_not_in_embed_origins_cannot_frame_the_list(page, network, sites):
    sites.other.page("/copy.html", side_by_side(sites.app, "area=langfang"), sites.ours)
    watch = Watch(page)
    with page.expect_console_message(lambda m: REFUSED in m.text) as refused:
        page.goto(sites.other_origin + "/copy.html")
    assert f"frame-ancestors 'self' {sites.district_origin}\"" in refused.value.text
    # The element works on any site (it only reads the open JSON API)...
    page.locator("canal-events .canal-title").first.wait_for()
    # ...but the frame shows Chromium's error page instead of ours.
    assert [f.url for f in page.frames[1:]] == ["chrome-error://chromewebdata/"]
    assert page.frame_locator("iframe").locator(".canal-title").count() == 0
    assert [e for e in watch.errors if REFUSED not in e] == []
    assert watch.dialogs == [] and network["blocked"] == []


REFUSED = "violates the following Content Security Policy directive: \"frame-ancestors"
PAGES_NOT_TO_FRAME = ["/", "/events/", "/events/farm-food-festival/", "/sites/", "/calendar/",
                      "/embed/", "/en/embed/", "/plan/", "/en/events/", "/no/such/page/"]


def test_no_other_page_can_be_framed_even_by_a_listed_site(page, network, sites):
    frames = "".join(f"<iframe src='{sites.ours}{path}'></iframe>" for path in PAGES_NOT_TO_FRAME)
    frames += f"<iframe id='allowed' src='{sites.ours}/embed/events/'></iframe>"
    sites.district.page("/frames.html", frames, sites.ours)
    refusals = []
    page.on("console", lambda m: refusals.append(m.text) if REFUSED in m.text else None)
    page.goto(sites.district_origin + "/frames.html")  # returns once every frame has loaded
    page.frame_locator("#allowed").locator(".canal-title").first.wait_for()
    urls = [f.url for f in page.frames[1:]]
    assert urls == ["chrome-error://chromewebdata/"] * len(PAGES_NOT_TO_FRAME) + [sites.ours + "/embed/events/"]
    assert len(refusals) == len(PAGES_NOT_TO_FRAME)
    assert all(REFUSED + " 'none'\"" in text for text in refusals)
    assert network["blocked"] == []


def test_a_forged_height_message_does_not_resize_the_frame(page, network, sites):
    snippet = builder_snippets(sites.app, "area=langfang")["frame"]
    sites.district.page("/forged.html", snippet + f"<iframe id='other' src='{sites.other_origin}/forger.html'></iframe>"
                        f"<iframe id='hijacked' name='hijacked' height='300' "
                        f"src='{sites.ours}/embed/events/?limit=1'></iframe>",
                        sites.ours, sites.other_origin)
    sites.other.pages["/forger.html"] = ("<!doctype html><title>x</title><script src='/forger.js'></script>",
                                         "default-src 'self'")
    page.goto(sites.district_origin + "/forged.html")
    frame = page.locator("iframe[src*='/areas/langfang/']")
    page.wait_for_function("() => document.querySelector('iframe[src*=\"/areas/langfang/\"]').height !== '420'")
    fitted = frame.get_attribute("height")
    # The other site's frame has posted its forgery once it loaded.
    page.wait_for_function(f"() => window.__messages.includes({sites.other_origin!r})")
    page.wait_for_function("() => document.querySelector('#hijacked').height !== '300'")
    # The host page itself, and our own frame with messages of the wrong shape.
    page.evaluate("postMessage({type: 'canal-embed:height', height: 3333}, '*')")
    ours = next(f for f in page.frames if "/areas/langfang/" in f.url)
    for forged in ("{type: 'canal-embed:height', height: 3333, extra: 1}",
                   "{type: 'resize', height: 3333}",
                   "{type: 'canal-embed:height', height: '3333'}",
                   "{type: 'canal-embed:height', height: 1e9}",
                   "['canal-embed:height', 3333]"):
        ours.evaluate(f"parent.postMessage({forged}, '*')")
    # A frame that showed us but was navigated elsewhere: its src still names our origin.
    hijacked = page.locator("#hijacked")
    hijacked_height = hijacked.get_attribute("height")
    next(f for f in page.frames if f.name == "hijacked").goto(sites.other_origin + "/forger.html")
    page.wait_for_function("() => window.__messages.length >= 9")  # every forgery was delivered
    assert frame.get_attribute("height") == fitted
    assert hijacked.get_attribute("height") == hijacked_height
    # A message of the right shape from our frame is obeyed (the check is not just "never").
    ours.evaluate("parent.postMessage({type: 'canal-embed:height', height: 777}, '*')")
    page.wait_for_function("() => document.querySelector('iframe[src*=\"/areas/langfang/\"]').height === '777'")


def test_without_the_resize_script_the_frame_keeps_a_fixed_height_and_scrolls(page, network, sites):
    snippet = builder_snippets(sites.app, "limit=50")["frame"].split("\n")[0]
    sites.district.page("/fixed.html", snippet, sites.ours)
    page.goto(sites.district_origin + "/fixed.html")
    page.frame_locator("iframe").locator(".canal-title").first.wait_for()
    frame = our_frame(page, sites.ours)
    assert page.locator("iframe").get_attribute("height") == "420"
    assert frame.evaluate("document.documentElement.scrollHeight > innerHeight")  # it scrolls
    assert page.locator("iframe").evaluate("f => f.clientHeight") == 420


def test_with_scripts_blocked_the_element_shows_its_link(browser, sites):
    context = browser.new_context(java_script_enabled=False)
    try:
        sites.district.page("/noscript.html", side_by_side(sites.app, "area=langfang"), sites.ours)
        page = context.new_page()
        page.goto(sites.district_origin + "/noscript.html")
        link = page.locator("canal-events a")
        assert link.inner_text() == "在北运河文旅活动查看更多活动"
        assert link.get_attribute("href") == sites.ours + "/events/?area=langfang"
        # The frame needs no script: its list is there all the same.
        expected = expected_items(sites.app, Filter(areas=("langfang",)), 5)
        assert page.frame_locator("iframe").locator(".canal-title").all_inner_texts() == [t for t, _ in expected]
    finally:
        context.close()


def test_hostile_titles_stay_inert_in_both_forms(page, network, serve, tmp_path):
    district = Host()
    district_origin = serve(district)
    ours, app = our_site(serve, tmp_path, HOSTILE, [district_origin])
    catalog = app.extensions["canal_catalog"]
    for lang in ("zh", "en"):
        district.page(f"/{lang}.html", side_by_side(app, f"limit=50&language={lang}"), ours)
        watch = Watch(page)
        page.goto(f"{district_origin}/{lang}.html")
        element = page.locator("canal-events .canal-title")
        element.first.wait_for()
        framed = page.frame_locator("iframe").locator(".canal-title")
        expected = [o.event.title.get(lang) for o in find(catalog, Filter(), now_of(catalog))[:50]]
        assert len(expected) > 5
        # Exactly the text, character for character: it was never read as markup.
        assert element.evaluate_all("links => links.map(a => a.textContent)") == expected
        # (HTML parsing turns CR LF into LF, as in every page of ours.)
        assert framed.evaluate_all("links => links.map(a => a.textContent)") == [lines(t) for t in expected]
        sites_shown = page.locator("canal-events .canal-where").evaluate_all("s => s.map(x => x.textContent)")
        assert any("<script>" in s or "<img" in s for s in sites_shown)
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert our_frame(page, ours).evaluate("typeof window.__xss") == "undefined"
        assert page.locator("canal-events").evaluate(
            "e => e.shadowRoot.querySelectorAll('script, img, b, iframe').length") == 0
        assert_clean(page, watch, network)


def test_the_builder_previews_both_forms_live_and_copies_the_snippet(page, network, sites):
    watch = Watch(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=sites.ours)
    page.goto(sites.ours + "/en/embed/")
    page.locator("canal-events .canal-title").first.wait_for()
    page.get_by_label("Area").select_option("langfang")
    page.wait_for_function("() => document.querySelector('#embed-result iframe').src.includes('/areas/langfang/')")
    expected = expected_items(sites.app, Filter(areas=("langfang",)), 5, "en")
    page.frame_locator("#embed-result iframe").locator(".canal-title").first.wait_for()
    assert [tuple(i) for i in items(page.frame_locator("#embed-result iframe").locator(".canal-title"))] == expected
    element = page.locator("#embed-result canal-events .canal-title")
    page.wait_for_function(
        "() => document.querySelector('#embed-result canal-events').getAttribute('area') === 'langfang'")
    element.first.wait_for()
    assert [tuple(i) for i in items(element)] == expected
    page.get_by_label("How many dates").fill("2")
    page.wait_for_function("() => document.querySelector('#element-snippet').value.includes('limit=\"2\"')")
    assert page.url == sites.ours + "/en/embed/?area=langfang&limit=2&language=en&theme=light"
    snippet = page.locator("#element-snippet").input_value()
    assert snippet == builder_snippets(sites.app, "area=langfang&limit=2&language=en")["element"]
    page.locator("button.copy[data-copy='element-snippet']").click()
    page.wait_for_function("() => document.getElementById('copy-status').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == snippet
    assert watch.errors == [] and watch.dialogs == [] and network["blocked"] == []


@pytest.mark.parametrize("path", ["/embed/", "/en/embed/?area=langfang&theme=dark", "/embed/events/?limit=50",
                                  "/en/embed/events/?theme=compact"])
def test_the_embed_pages_fit_a_phone(page, network, sites, path):
    watch = Watch(page)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(sites.ours + path)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert watch.errors == [] and network["blocked"] == []
