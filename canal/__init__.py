"""The North Canal events site: `create_app()` builds the Flask application."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from flask import Flask
from flask_babel import Babel

from .loader import LoadError, load

ROOT = Path(__file__).resolve().parent.parent


class InvalidContent(SystemExit):
    """Raised by create_app when events.toml has problems.

    A SystemExit, so `flask run` or gunicorn stop with the editor's messages
    and no traceback; tests catch it and read `.problems`.
    """

    def __init__(self, error: LoadError):
        self.problems = error.problems
        super().__init__(f"{error}\n{len(self.problems)} problem(s): the site cannot start.")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: load and validate the content once, register the views."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(
        CANAL_EVENTS=os.environ.get("CANAL_EVENTS", str(ROOT / "events.toml")),
        # Fixed "now" for tests and exports (ISO text or datetime); None means the clock.
        CANAL_NOW=os.environ.get("CANAL_NOW"),
        # Public holidays; by default `<events stem>.holidays.toml` next to the events file.
        CANAL_HOLIDAYS=os.environ.get("CANAL_HOLIDAYS"),
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "translations"),
        BABEL_DEFAULT_LOCALE="zh",
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
    )
    app.config.from_mapping(operator_settings(os.environ))
    if test_config:
        app.config.update(test_config)

    try:
        catalog = load(app.config["CANAL_EVENTS"], app.config["CANAL_HOLIDAYS"])
    except LoadError as err:
        raise InvalidContent(err) from None
    app.extensions["canal_catalog"] = catalog
    # Pages' Last-Modified never goes below this, so a redeploy invalidates client caches.
    app.extensions["canal_loaded_at"] = datetime.now(timezone.utc).replace(microsecond=0)
    app.config["BABEL_DEFAULT_TIMEZONE"] = catalog.meta.timezone.key
    from . import revisions
    from .deploy import fingerprint
    ledger_path = app.config.get("CANAL_REVISIONS") or revisions.default_path(app.config["CANAL_EVENTS"])
    app.extensions["canal_fingerprint"] = fingerprint(app.config["CANAL_EVENTS"], ledger_path)

    from .views import assets, feeds, health, language, pages, proxy, security
    from .views import maps as map_views
    from .views import plan as plan_views
    from .views import visit as visit_views
    from .views import share, subscribe

    Babel(app, locale_selector=language.current_locale,
          timezone_selector=lambda: catalog.meta.timezone.key)
    language.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    proxy.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(feeds.bp)
    map_views.init_app(app)
    app.register_blueprint(plan_views.bp)
    visit_views.init_app(app)
    app.register_blueprint(share.bp)
    app.register_blueprint(subscribe.bp)
    from .views import embed as embed_views
    embed_views.init_app(app)
    from .views import sitemap as sitemap_views
    sitemap_views.init_app(app)
    from .views import archive as archive_views
    archive_views.init_app(app)
    return app


def operator_settings(environ) -> dict:
    """The settings that belong to one deployment rather than to the content, from the
    environment (gunicorn's systemd unit sets them; tests pass them to create_app).

    CANAL_TRUSTED_PROXIES  how many proxies in front set X-Forwarded-For/-Proto/-Host/-Prefix
                           (1 behind deploy/nginx.conf; 0, the default, trusts none of them)
    CANAL_TRUSTED_HOSTS    comma-separated host names the site answers to (others get 400);
                           empty: any (development)
    CANAL_RELOAD_STATUS    the file `flask canal reload` writes and /healthz reports
    CANAL_ICP              ICP备案号 shown in the footer, linked to the MIIT site
    CANAL_POLICE_FILING    公安备案号 shown in the footer
    CANAL_MAP_REVIEW_NO    审图号 shown under every map
    CANAL_FEED_WINDOW_DAYS how many days after an event ends the calendar feeds keep it
                           (default 180; see canal/feedwindow.py)
    """
    proxies = environ.get("CANAL_TRUSTED_PROXIES", "0").strip() or "0"
    if not proxies.isdigit() or int(proxies) > 5:
        raise SystemExit(f"CANAL_TRUSTED_PROXIES = {proxies!r}: give how many proxies are in front (0 to 5)")
    hosts = [h.strip() for h in environ.get("CANAL_TRUSTED_HOSTS", "").split(",") if h.strip()]
    from .feedwindow import parse_days
    try:
        window_days = parse_days(environ.get("CANAL_FEED_WINDOW_DAYS"))
    except ValueError as err:
        raise SystemExit(str(err)) from None
    return {
        "CANAL_TRUSTED_PROXIES": int(proxies),
        # Flask answers 400 to any other Host header (werkzeug's host_is_trusted).
        "TRUSTED_HOSTS": hosts or None,
        "CANAL_RELOAD_STATUS": environ.get("CANAL_RELOAD_STATUS") or None,
        "CANAL_ICP": environ.get("CANAL_ICP", "").strip(),
        "CANAL_POLICE_FILING": environ.get("CANAL_POLICE_FILING", "").strip(),
        "CANAL_MAP_REVIEW_NO": environ.get("CANAL_MAP_REVIEW_NO", "").strip(),
        "CANAL_FEED_WINDOW_DAYS": window_days,
    }
