"""Retake the README's screenshots (docs/screenshots/) on the shipped content.

    .venv/bin/python tools/screenshots.py

Debian's Chromium through Playwright, the app served in-process on a free loopback port at
a fixed "now" (2026-12-01 09:00, Beijing). Map tiles cannot be reached offline, so maps show
their markers and the canal line on a blank background.
"""
from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CANAL_NOW", "2026-12-01T09:00:00")

from werkzeug.serving import make_server  # noqa: E402

from canal import create_app  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}
SHOTS = [("home.png", "/", DESKTOP, False), ("calendar.png", "/calendar/2027/05/", DESKTOP, True),
         ("event.png", "/en/events/farm-food-festival/", DESKTOP, False),
         ("events-phone.png", "/events/", PHONE, False),
         ("event-phone.png", "/events/farm-food-festival/", PHONE, False)]


def main() -> int:
    from playwright.sync_api import sync_playwright
    app = create_app({"CANAL_EVENTS": str(ROOT / "events.toml")})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for name, path, device, full_page in SHOTS:
            context = browser.new_context(**device)
            page = context.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                       else route.abort())
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(800)
            page.screenshot(path=str(OUT / name), full_page=full_page)
            context.close()
            print("wrote", OUT / name)
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
