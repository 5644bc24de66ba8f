"""The North Canal events site: `create_app()` builds the Flask application."""
from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from flask_babel import Babel

from .loader import LoadError, load
from .settings import VARIABLES, InvalidContent, Settings, StartupProblem, stop

__all__ = ["InvalidContent", "create_app"]

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: read the settings, load and validate the content once, register the views.

    `test_config` overrides environment variables by name (CANAL_EVENTS, CANAL_NOW, ...) and
    sets any other Flask config key. Whatever stops start-up leaves through settings.stop."""
    try:
        return _build(test_config or {})
    except StartupProblem as problem:
        stop(problem)


def _build(test_config: dict) -> Flask:
    settings = Settings.from_environ(os.environ, overrides=test_config)
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "translations"),
        BABEL_DEFAULT_LOCALE="zh",
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
        # Flask answers 400 to any other Host header (werkzeug's host_is_trusted).
        TRUSTED_HOSTS=list(settings.trusted_hosts) or None,
    )
    # The rest of test_config: Flask's own keys (TESTING, TRUSTED_HOSTS) and the test and
    # export switches that are no environment variable (CANAL_SITEMAP_LIMIT, ...).
    app.config.update({k: v for k, v in test_config.items() if k not in VARIABLES})
    app.extensions["canal_settings"] = settings
    app.jinja_env.globals["canal_settings"] = settings  # the footer's filing numbers, the map's 审图号

    try:
        catalog = load(settings.events, settings.holidays)
    except LoadError as err:
        raise StartupProblem(f"{err}\n{len(err.problems)} problem(s): the site cannot start.",
                             err.problems) from None
    app.extensions["canal_catalog"] = catalog
    # Pages' Last-Modified never goes below this, so a redeploy invalidates client caches.
    app.extensions["canal_loaded_at"] = datetime.now(UTC).replace(microsecond=0)
    app.config["BABEL_DEFAULT_TIMEZONE"] = catalog.meta.timezone.key
    from .deploy import fingerprint
    app.extensions["canal_fingerprint"] = fingerprint(settings.events, settings.revisions)

    from .views import (
        api,
        assets,
        calendar,
        events,
        feeds,
        health,
        language,
        pages,
        proxy,
        security,
        share,
        sites,
        subscribe,
    )
    from .views import maps as map_views
    from .views import plan as plan_views
    from .views import visit as visit_views

    Babel(app, locale_selector=language.current_locale,
          timezone_selector=lambda: catalog.meta.timezone.key)
    language.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    proxy.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(calendar.bp)
    app.register_blueprint(events.bp)
    app.register_blueprint(sites.bp)
    app.register_blueprint(api.bp)
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
