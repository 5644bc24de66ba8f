"""A liveness check for load balancers and `make serve` operators."""
from __future__ import annotations

from flask import Blueprint, jsonify

from .language import catalog

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 with the content counts: the catalog loaded and the app answers."""
    content = catalog()
    response = jsonify(status="ok", sites=len(content.sites), events=len(content.events))
    response.cache_control.no_store = True
    return response
