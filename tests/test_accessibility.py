"""WCAG 2.1 A/AA on every page type, both languages, phone and desktop widths (axe-core)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import LOOPBACK, TILE_HOST_SUFFIXES, TINY_PNG

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Every kind of page a visitor can land on (on tests/data/minimal.toml).
PAGES = [
    "/", "/events/", "/events/?area=langfang", "/events/farm-food-festival/", "/calendar/",
    "/calendar/2027/05/", "/sites/", "/sites/xianghe-wharf/", "/plan/",
    "/plan/?add=farm-food-festival@2026-12-05", "/no-such-page/", "/events/?from=garbage",
    "/subscribe/", "/subscribe/events/farm-food-festival/", "/embed/", "/embed/events/",
    "/events/archive/",  # issue 19: nothing has ended here yet (the empty archive)
]
# The archive with past events and an ended event's page (issue 19), on tests/data/archive.toml.
ARCHIVE_PAGES = ["/events/archive/", "/events/archive/2026/", "/events/canal-festival-2026/",
                 "/calendar/2026/06/"]
WIDTHS = (375, 1280)
# WCAG 2.2 AA brings target-size: every tap target at least 24 x 24 px (or spaced so).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _axe_path() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test` (npm ci installs axe-core)")
    return str(AXE)


def _open(browser, width: int):
    # axe is injected as a script, which our strict CSP would (rightly) refuse.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True,
                                  locale="zh-CN")

    def offline(route):
        host = urlsplit(route.request.url).hostname or ""
        if host in LOOPBACK:
            route.continue_()
        elif host.endswith(TILE_HOST_SUFFIXES):
            route.fulfill(status=200, content_type="image/png", body=TINY_PNG)
        else:
            route.abort()

    context.route("**/*", offline)
    return context


def violations(page) -> list[str]:
    page.add_script_tag(path=_axe_path())
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                          ".then(r => r.violations.map(v => [v.id, v.impact,"
                          " v.nodes.map(n => n.target.join(' ')).slice(0, 5)]))",
                          TAGS)
    return [f"{rule} ({impact}): {', '.join(targets)}" for rule, impact, targets in found]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["", "/en"])
def test_no_wcag_violations_on_any_page_type(browser, live_server, lang, width):
    context = _open(browser, width)
    page = context.new_page()
    problems = {}
    try:
        for path in PAGES:
            page.goto(live_server + lang + path, wait_until="load")
            page.wait_for_timeout(200)  # the map draws its markers after load
            found = violations(page)
            if found:
                problems[lang + path] = found
    finally:
        context.close()
    assert problems == {}, "\n".join(f"{url}: {v}" for url, vs in problems.items() for v in vs)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["", "/en"])
def test_no_wcag_violations_on_the_archive_pages(browser, serve, lang, width):
    from canal import create_app
    from conftest import DATA, NOW
    base = serve(create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "archive.toml"), "CANAL_NOW": NOW}))
    context = _open(browser, width)
    page = context.new_page()
    problems = {}
    try:
        for path in ARCHIVE_PAGES:
            page.goto(base + lang + path, wait_until="load")
            page.wait_for_timeout(200)  # the event page's map draws its marker after load
            found = violations(page)
            if found:
                problems[lang + path] = found
    finally:
        context.close()
    assert problems == {}, "\n".join(f"{url}: {v}" for url, vs in problems.items() for v in vs)


def test_the_map_search_results_are_readable(browser, live_server):
    """Both names of each match, in dark text on white (it was white on white)."""
    context = _open(browser, 375)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        page.fill(".canal-search__input", "wharf")
        page.wait_for_selector(".canal-search__result")
        rows = page.evaluate("""[...document.querySelectorAll('.canal-search__result')].map(b =>
            [b.firstChild.textContent, b.querySelector('.canal-search__alt')?.textContent,
             getComputedStyle(b).color])""")
        assert rows and all(alt for _, alt, _ in rows), rows
        assert all(color == "rgb(29, 42, 51)" for _, _, color in rows), rows
        assert violations(page) == []
    finally:
        context.close()


def test_buttons_that_need_javascript_are_hidden_without_it(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        for path, selector in (("/", "button.copy-url"), ("/sites/xianghe-wharf/", "button.copy-url"),
                               ("/plan/?add=farm-food-festival@2026-12-05", "button.plan-print")):
            page.goto(live_server + path)
            assert page.locator(selector).count() >= 1, (path, selector)
            assert page.locator(selector + ":visible").count() == 0, (path, selector)
    finally:
        context.close()


# Controls that stick out of the screen or cut their own text off (skip links wait
# off-screen until focused, visually hidden labels are for screen readers only, and the
# map's own controls scale with the map).
CLIPPED_CONTROLS = """() => {
  const found = [];
  const width = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll("a, button, input, select, summary, label")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest(".leaflet-container")
        || el.matches(".skip-link, .map-skip, .visually-hidden")) continue;
    const style = getComputedStyle(el);
    const cut = el.tagName !== "INPUT" && style.overflow !== "visible" && el.scrollWidth > el.clientWidth + 1;
    if (box.right > width + 1 || box.left < -1 || cut)
      found.push(el.tagName + " " + (el.textContent || el.value || "").trim().slice(0, 40));
  }
  if (document.scrollingElement.scrollWidth > width + 1) found.push("the page scrolls sideways");
  return found;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_text_at_200_percent_clips_no_control(browser, live_server, width):
    context = _open(browser, width)
    page = context.new_page()
    problems = {}
    try:
        for lang in ("", "/en"):
            for path in PAGES:
                page.goto(live_server + lang + path)
                page.add_style_tag(content="html { font-size: 200% !important; }")
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                found = page.evaluate(CLIPPED_CONTROLS)
                if found:
                    problems[lang + path] = found
    finally:
        context.close()
    assert problems == {}
