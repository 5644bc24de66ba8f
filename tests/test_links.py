"""Follow every internal link from / and /en/: none may answer 4xx or 5xx.

Calendar files and feeds are fetched too (not parsed for links). Month pages link on
without end (prev/next), so months are checked but only expanded within a window.
"""
from __future__ import annotations

import re
from collections import deque
from datetime import datetime
from urllib.parse import urldefrag

import pytest

from canal import archive, create_app
from conftest import DATA, NOW
from pages_html import Page

MONTH = re.compile(r"^(?:/en)?/calendar/(\d{4})/(\d{2})/$")
EXPAND_MONTHS = ("2026-06", "2028-01")  # around the test "now"
PLAN = re.compile(r"^(?:/en)?/plan/\?")


def expand(url: str) -> bool:
    # Plan pages link to plans with one more, one less or a reordered item, without end:
    # they are checked, not followed (test_plan_views follows the links of a full plan).
    if PLAN.match(url):
        return False
    month = MONTH.match(url)
    return not month or EXPAND_MONTHS[0] <= f"{month[1]}-{month[2]}" <= EXPAND_MONTHS[1]


def crawl(client, starts) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque(starts)
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302, 308):
            queue.append(response.headers["Location"])
        if response.mimetype != "text/html" or not expand(url):
            continue
        page = Page(response.get_data(as_text=True))
        hrefs = page.links + [a["href"] for t, a in page.elements if t == "link" and "href" in a]
        for href in hrefs:
            href = urldefrag(href)[0]
            if href.startswith("/") and not href.startswith("//"):
                queue.append(href)
    return seen


@pytest.mark.parametrize("content", ["minimal.toml", "../../events.toml", "archive.toml"])
def test_every_internal_link_answers(content):
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / content), "CANAL_NOW": NOW})
    seen = crawl(app.test_client(), ["/", "/en/"])
    broken = {url: status for url, status in seen.items() if status >= 400}
    assert broken == {}
    catalog = app.extensions["canal_catalog"]
    moment = datetime.fromisoformat(NOW).replace(tzinfo=catalog.tz)
    for prefix in ("", "/en"):
        for event_id, event in catalog.events.items():
            assert f"{prefix}/events/{event_id}/" in seen
            if not archive.has_ended(event, catalog, moment):  # an ended page offers no calendar file
                assert f"{prefix}/events/{event_id}.ics" in seen  # each page's add-to-calendar file
        for site_id in catalog.sites:
            assert f"{prefix}/sites/{site_id}/" in seen
        for path in ("/calendar/", "/events/", "/sites/", "/feeds/events.atom",
                     "/api/events.json", "/api/sites.geojson", "/events/archive/"):
            assert prefix + path in seen
        if content == "archive.toml":  # issue 19: the archive's year pages, from links alone
            assert {f"{prefix}/events/archive/2025/", f"{prefix}/events/archive/2026/"} <= set(seen)
    assert len(seen) > 50
