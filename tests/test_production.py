"""Serving in production: gunicorn, /healthz, security headers."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from canal import create_app
from conftest import DATA, NOW
from pages_html import Page

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_reports_the_loaded_content(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    health = response.get_json()
    assert {k: health[k] for k in ("status", "sites", "events")} == {"status": "ok", "sites": 3, "events": 5}
    from canal.deploy import fingerprint
    assert health["content"] == fingerprint(DATA / "minimal.toml", DATA / "minimal.revisions.toml")
    assert len(health["content"]) == 64 and health["loaded_at"].endswith("+00:00")
    assert health["last_reload"] is None and health["last_reload_failed"] is False
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/", "/en/", "/healthz", "/no/such/page", "/static/site.css"])
def test_every_response_carries_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_each_response_allows_only_its_own_inline_scripts(client):
    from canal.views.security import script_hash
    home = client.get("/")
    html = home.get_data(as_text=True)
    # The map's script, waiting to run once Leaflet has loaded (static/map.js runs its text).
    script = re.search(r'<script type="text/x-canal-later" id="[^"]+">(.*?)</script>', html, re.S).group(1)
    csp = home.headers["Content-Security-Policy"]
    assert script_hash(script) in csp and script_hash(script).startswith("'sha256-")
    # From the cache the same page still allows its script...
    assert script_hash(script) in client.get("/").headers["Content-Security-Policy"]
    # ...and a page without a map allows none.
    agenda_csp = client.get("/events/").headers["Content-Security-Policy"]
    assert "sha256-" not in agenda_csp


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_the_site_without_leaking_its_version(tmp_path):
    port = _free_port()
    env = {**os.environ, "CANAL_BIND": f"127.0.0.1:{port}", "CANAL_WORKERS": "1",
           "CANAL_EVENTS": str(ROOT / "tests/data/minimal.toml")}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = open(tmp_path / "gunicorn.log", "w+")  # noqa: SIM115 - gunicorn writes it until the end
    server = subprocess.Popen([str(gunicorn), "--config", "gunicorn.conf.py", "app:app"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body, headers = r.read(), r.headers
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer: " + (tmp_path / "gunicorn.log").read_text())
        assert b'"status":"ok"' in body.replace(b" ", b"")
        assert headers.get("Server", "") in ("", "gunicorn")  # a name, never a version
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "GET /healthz HTTP/1.1\" 200" in (tmp_path / "gunicorn.log").read_text()


def test_pages_are_cached_and_revalidate_with_304(client):
    first = client.get("/")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == ("public, max-age=600, s-maxage=600, "
                                              "stale-while-revalidate=60, stale-if-error=86400")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/", headers={"If-Modified-Since": modified}).status_code == 304
    stale = client.get("/", headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert stale.status_code == 200 and stale.data == first.data
    english = client.get("/en/")
    assert english.headers["ETag"] != etag  # each language is its own cached page


def test_page_cache_is_bounded_by_bytes():
    from canal.views.http import RenderCache
    cache = RenderCache(max_bytes=1000)
    for i in range(50):
        cache.put(("junk", i), f"body {i}", 100)
    assert cache.size <= 1000 and len(cache) == 10
    assert cache.get(("junk", 49)) is not None and cache.get(("junk", 0)) is None


def test_junk_query_strings_cannot_grow_memory_without_bound(app, client):
    from canal.views.http import RenderCache
    app.extensions["canal_page_cache"] = RenderCache(max_bytes=200_000)
    for i in range(40):
        assert client.get(f"/api/events.json?junk={i}").status_code == 200
    assert app.extensions["canal_page_cache"].size <= 200_000


def test_pages_under_a_mount_point_are_cached_apart(client):
    plain = client.get("/sites/").get_data(as_text=True)
    mounted = client.get("/sites/", environ_overrides={"SCRIPT_NAME": "/canal"}).get_data(as_text=True)
    assert re.search(r'"/canal/static/site\.[0-9a-f]{12}\.css"', mounted)
    assert not re.search(r'"/canal/static/site\.[0-9a-f]{12}\.css"', plain)


@pytest.fixture
def mounted(tmp_path):
    """The site deployed under /canal: base_url says so, and the server passes SCRIPT_NAME."""
    events = tmp_path / "events.toml"
    events.write_text((DATA / "minimal.toml").read_text(encoding="utf-8").replace(
        'base_url = "https://canal.test"', 'base_url = "https://canal.test/canal"'), encoding="utf-8")
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(events), "CANAL_NOW": NOW})
    client = app.test_client()
    return lambda url: client.get(url, environ_overrides={"SCRIPT_NAME": "/canal"})


def test_a_site_under_a_prefix_links_within_it(mounted):
    home = Page(mounted("/").get_data(as_text=True))
    webcal = [a["href"] for t, a in home.elements if t == "a" and "subscribe-webcal" in a.get("class", "")]
    assert webcal == ["webcal://canal.test/canal/feeds/all.ics"]  # the prefix once, not twice
    agenda = Page(mounted("/en/events/?area=tongzhou").get_data(as_text=True))
    assert [a["action"] for t, a in agenda.elements if t == "form" and "filters" in a.get("class", "")] \
        == ["/canal/en/events/"]
    bad = mounted("/events/?from=yesterday")
    assert bad.status_code == 400
    next_steps = bad.get_data(as_text=True).split('class="next-steps"', 1)[1]
    assert Page(next_steps).links[0] == "/canal/events/"  # "start again without these settings"


def test_the_plan_page_carries_every_validator(client):
    response = client.get("/plan/")
    assert response.status_code == 200
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert "max-age" in response.headers["Cache-Control"]
