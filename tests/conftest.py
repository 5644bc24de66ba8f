"""Fixtures built from the app factory, as in Flask's tutorial."""
from __future__ import annotations

import base64
import os
import shutil
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from canal import create_app
from canal.loader import load
from canal.maps import TILE_HOST_SUFFIXES

DATA = Path(__file__).parent / "data"
# Tests run against a fixed "now", so what is "upcoming" never drifts with the calendar.
NOW = "2026-12-01T09:00:00"


def set_now(app, moment: str) -> None:
    """Move the app's fixed "now" (CANAL_NOW) after it was created."""
    settings = app.extensions["canal_settings"]
    app.extensions["canal_settings"] = replace(settings, now=datetime.fromisoformat(moment))


@pytest.fixture
def data_path():
    return lambda name: str(DATA / name)


@pytest.fixture
def app():
    return create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": NOW})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def catalog():
    return load(DATA / "minimal.toml")


# --- Browser tests: Playwright driving Debian's Chromium (no browser download) -------

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium phones home at start-up, which this
# offline machine refuses; tests also assert that no outside request is made.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium; missing Chromium fails under CI and skips elsewhere."""
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: run `make test` (installs Debian's chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# A 1x1 PNG: what every map tile request gets in tests (there is no internet).
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


@pytest.fixture
def network():
    """What the page asked of the outside world: map `tiles` (answered) and `blocked` requests."""
    return {"tiles": [], "blocked": []}


@pytest.fixture
def page(browser, network):
    context = browser.new_context(locale="zh-CN", timezone_id="America/New_York")

    def offline(route):
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if host in LOOPBACK:
            route.continue_()
        elif host.endswith(TILE_HOST_SUFFIXES):
            network["tiles"].append(url)
            route.fulfill(status=200, content_type="image/png", body=TINY_PNG)
        else:
            network["blocked"].append(url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def serve():
    """Serve an app on a free loopback port; returns its base URL."""
    servers = []

    def start(app) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture
def live_server(app, serve):
    return serve(app)


class Watch:
    """What a page did wrong: console errors, uncaught exceptions, and dialogs (an
    injected alert(1) would open one; each is dismissed and recorded)."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def wait_for_map(page, map_id: str = "map_home") -> None:
    """Wait until a page's map is drawn and its handle (window.canalMaps[map_id]) is there.
    Maps load Leaflet after the page; polling a JS expression before that would need eval,
    which the page's CSP forbids, so first wait for the mark map.js sets when it draws."""
    page.wait_for_selector("script.canal-map-data[data-drawn]", state="attached")
    page.wait_for_function(f"window.canalMaps && window.canalMaps.{map_id}")
