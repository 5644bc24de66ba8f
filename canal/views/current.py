"""What the current request is answered from: the catalog, the settings, "now", this page's address.

Read-only helpers for views and template globals; the app factory put what they return
into app.extensions once (canal/__init__.py).
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app, request

from ..model import Catalog
from ..settings import Settings


def catalog() -> Catalog:
    """The catalog loaded when the app was created."""
    return current_app.extensions["canal_catalog"]


def settings() -> Settings:
    """The deployment's settings, read from the environment when the app was created."""
    return current_app.extensions["canal_settings"]


def now() -> datetime:
    """The current time in the catalog's zone, or the fixed CANAL_NOW (tests, exports)."""
    tz = catalog().tz
    fixed = settings().now
    if fixed:
        return fixed.replace(tzinfo=tz) if fixed.tzinfo is None else fixed.astimezone(tz)
    return datetime.now(tz)


def page_path() -> str:
    """This page's path as the browser sees it: below the prefix the site is mounted at
    (request.script_root: "" at a host's root, "/canal" in a sub-folder or an export)."""
    return request.script_root + request.path


def canonical_url(path: str) -> str:
    """The URL at the site's own address (meta.base_url) of a path from url_for.

    url_for puts the mount prefix in front of the path; base_url, the whole address of
    the site, already ends with it, so it is taken off once here."""
    root = request.script_root
    if root and path.startswith(root + "/"):
        path = path[len(root):]
    return catalog().meta.base_url + path
