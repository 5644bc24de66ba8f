"""A liveness check for load balancers, and which content is live for operators."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from ..deploy import read_status
from .current import catalog, settings

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 with the live content: fingerprint, when it was loaded, counts, the last reload."""
    content = catalog()
    last = read_status(settings().reload_status)
    response = jsonify(
        status="ok",
        sites=len(content.sites),
        events=len(content.events),
        # sha256 of events.toml and its revision ledger, as `flask canal reload` prints it.
        content=current_app.extensions["canal_fingerprint"],
        loaded_at=current_app.extensions["canal_loaded_at"].isoformat(),
        # The last `flask canal reload`: a refused edit shows here while the old content serves.
        last_reload=last,
        last_reload_failed=bool(last and not last.get("ok", False)),
    )
    response.cache_control.no_store = True
    return response
