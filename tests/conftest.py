"""Fixtures built from the app factory, as in Flask's tutorial."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from werkzeug.serving import make_server

from canal import create_app
from canal.loader import load

DATA = Path(__file__).parent / "data"
# Tests run against a fixed "now", so what is "upcoming" never drifts with the calendar.
NOW = "2026-12-01T09:00:00"


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


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="America/New_York")
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
