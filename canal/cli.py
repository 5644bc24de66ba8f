"""`flask canal …` commands for editors and operators.

Registered as a Flask plugin (see pyproject.toml), so `flask --app app canal check`
works even when events.toml is broken and the app itself could not start.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .loader import LoadError, load

DEFAULT_CONTENT = Path(__file__).resolve().parent.parent / "events.toml"


@click.group("canal")
def canal() -> None:
    """Check and publish the North Canal events site."""


@canal.command("check")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def check(path: str | None) -> None:
    """Validate PATH (default: $CANAL_EVENTS or events.toml) and list every problem."""
    path = path or os.environ.get("CANAL_EVENTS") or str(DEFAULT_CONTENT)
    try:
        catalog = load(path)
    except LoadError as err:
        for problem in err.problems:
            click.echo(str(problem), err=False)
        click.echo(f"{len(err.problems)} problem(s) in {path}", err=True)
        sys.exit(1)
    recurring = sum(1 for e in catalog.events.values() if e.recurring)
    click.echo(f"OK: {len(catalog.sites)} sites, {len(catalog.events)} events ({recurring} recurring)")
