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
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "translations"),
        BABEL_DEFAULT_LOCALE="zh",
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
    )
    if test_config:
        app.config.update(test_config)

    try:
        catalog = load(app.config["CANAL_EVENTS"])
    except LoadError as err:
        raise InvalidContent(err) from None
    app.extensions["canal_catalog"] = catalog
    # Pages' Last-Modified never goes below this, so a redeploy invalidates client caches.
    app.extensions["canal_loaded_at"] = datetime.now(timezone.utc).replace(microsecond=0)
    app.config["BABEL_DEFAULT_TIMEZONE"] = catalog.meta.timezone.key

    from .views import feeds, health, language, pages, security
    from .views import maps as map_views
    from .views import plan as plan_views

    Babel(app, locale_selector=language.current_locale,
          timezone_selector=lambda: catalog.meta.timezone.key)
    language.init_app(app)
    security.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(feeds.bp)
    map_views.init_app(app)
    app.register_blueprint(plan_views.bp)
    from .views import embed as embed_views
    embed_views.init_app(app)
    return app
