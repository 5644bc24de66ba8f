"""`flask canal …` commands for editors and operators.

Registered as a Flask plugin (see pyproject.toml), so `flask --app app canal check`
works even when events.toml is broken and the app itself could not start.
"""
from __future__ import annotations

import os
import sys
import time
from datetime import UTC
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .loader import LoadError, load
from .settings import Settings, StartupProblem


@click.group("canal")
def canal() -> None:
    """Check and publish the North Canal events site."""


def _settings(path: str | None = None) -> Settings:
    """The settings as the site reads them (canal.settings); PATH, when given, stands for
    CANAL_EVENTS (and so moves the default ledger beside it). A bad value exits with its message."""
    try:
        return Settings.from_environ(os.environ, overrides={"CANAL_EVENTS": path} if path else None)
    except StartupProblem as problem:
        raise click.ClickException(str(problem)) from None


@canal.command("check")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def check(path: str | None) -> None:
    """Validate PATH (default: $CANAL_EVENTS or events.toml) and list every problem."""
    path = _settings(path).events
    try:
        catalog = load(path)
    except LoadError as err:
        for problem in err.problems:
            click.echo(str(problem), err=False)
        click.echo(f"{len(err.problems)} problem(s) in {path}", err=True)
        sys.exit(1)
    recurring = sum(1 for e in catalog.events.values() if e.recurring)
    warnings = _position_warnings(catalog, path)
    for warning in warnings:
        click.echo(str(warning))
    click.echo(f"OK: {len(catalog.sites)} sites, {len(catalog.events)} events ({recurring} recurring)"
               + (f"; {len(warnings)} warning(s) above" if warnings else ""))


def _position_warnings(catalog, path: str) -> list:
    """Sites on the water far from the canal line (warnings: the file still loads)."""
    from .placement import position_warnings
    from .route import RouteError, load_line

    try:
        line = load_line()
    except RouteError as err:  # the shipped line is broken: that is the repository's fault
        click.echo(f"canal line: {err}", err=True)
        sys.exit(1)
    return position_warnings(catalog, line, Path(path).read_text(encoding="utf-8"))


@canal.command("freeze")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--base-url", default=None,
              help="Where the export will be served, e.g. https://cdn.example.org/canal/ "
                   "(default: meta.base_url). Links are written for this address; feed UIDs "
                   "and Atom ids keep meta.base_url's host.")
@with_appcontext
def freeze(outdir: str, base_url: str | None) -> None:
    """Export the whole site as static files into OUTDIR."""
    from .export import ExportError, check_base_url, check_destination, freeze_site

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy method; current_app is typed as Flask
    try:  # before the progress bar, so a mistake is one line, not a broken bar
        check_base_url(base_url or app.extensions["canal_catalog"].meta.base_url)
        check_destination(Path(outdir).resolve())
    except ExportError as err:
        raise click.ClickException(str(err)) from None
    started = time.perf_counter()
    with click.progressbar(length=0, label="Exporting", show_pos=True,
                           item_show_func=lambda url: url or "") as bar:
        def progress(url: str, expected: int) -> None:
            bar.length = max(expected, bar.pos + 1)
            bar.update(1, url)
        summary = freeze_site(app, outdir, base_url, progress)
    seconds = time.perf_counter() - started
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(summary.by_kind.items()))
    click.echo(f"Exported {summary.files} files ({summary.bytes / 1_048_576:.1f} MiB: {kinds}) "
               f"and {summary.compressed} compressed copies (.gz, .br) "
               f"to {outdir} for {summary.base_url} in {seconds:.1f}s")


@canal.command("revisions")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; exit 1 if the ledger is not up to date.")
def revisions_command(path: str | None, check_only: bool) -> None:
    """Record changed events in PATH's revision ledger (<stem>.revisions.toml).

    Calendar apps only pick up a changed time, place or status when the event's
    SEQUENCE goes up: run this after editing, and commit the ledger with the file.
    """
    from datetime import datetime

    from . import revisions

    settings = _settings(path)
    path, ledger_path = settings.events, settings.revisions
    try:
        catalog = load(path)
        ledger = revisions.read(ledger_path)
    except LoadError as err:
        click.echo(str(err))
        sys.exit(1)
    except revisions.LedgerError as err:
        click.echo(str(err))
        sys.exit(1)
    if check_only:
        stale = ledger.stale(catalog)
        if stale:
            click.echo(f"{ledger_path} is not up to date for: {', '.join(stale)}\n"
                       f"Run: flask --app app canal revisions {path}")
            sys.exit(1)
        click.echo(f"OK: {ledger_path} is up to date")
        return
    # The only place the clock enters the feeds: when an editor records a change.
    updated, changed = ledger.updated(catalog, datetime.now(UTC))
    if changed:
        revisions.write(updated, ledger_path)
    click.echo(f"{len(changed)} event(s) recorded in {ledger_path}"
               + (f": {', '.join(changed)}" if changed else ""))


@canal.command("reload")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--timeout", default=60.0, show_default=True,
              help="Seconds to wait for the new server to answer with the new content.")
def reload_command(path: str | None, timeout: float) -> None:
    """Check PATH, then swap the running gunicorn to it with no failed request.

    PATH is the content file gunicorn serves ($CANAL_EVENTS or events.toml). Invalid content
    is refused with every problem listed and the old content keeps serving. Valid content:
    USR2 to the master (a new master loads it, sharing the listening socket), wait until
    /healthz answers with its fingerprint, then TERM to the old master, which finishes its
    requests. Needs $CANAL_PIDFILE and $CANAL_BIND as gunicorn got them (`make
    deploy-content` passes them); the outcome goes to $CANAL_RELOAD_STATUS for /healthz.
    """
    from datetime import datetime

    from . import deploy, revisions

    settings = _settings(path)
    path, ledger_path, status_path = settings.events, settings.revisions, settings.reload_status
    at = datetime.now(UTC).replace(microsecond=0).isoformat()
    wanted = deploy.fingerprint(path, ledger_path)

    def refuse(problems: list[str], summary: str) -> None:
        for line in problems:
            click.echo(line)
        click.echo(summary, err=True)
        if status_path:
            deploy.write_status(status_path, {"ok": False, "at": at, "content": wanted,
                                              "problems": problems[:50], "summary": summary})
        sys.exit(1)

    try:
        load(path)
        revisions.read(ledger_path)
    except LoadError as err:
        refuse([str(p) for p in err.problems],
               f"{len(err.problems)} problem(s) in {path}: not deployed; the old content keeps serving")
    except revisions.LedgerError as err:
        refuse([str(err)], f"{ledger_path} is broken: not deployed; the old content keeps serving")
    try:
        # /healthz is asked under a host the site answers to (CANAL_TRUSTED_HOSTS, as gunicorn has it).
        host = settings.trusted_hosts[0] if settings.trusted_hosts else "localhost"
        outcome = deploy.swap(settings.pidfile or "", settings.bind, wanted, timeout, host)
    except deploy.SwapError as err:
        refuse([], f"{err}; the old content keeps serving")
    if status_path:
        deploy.write_status(status_path, {"ok": True, "at": at, "content": wanted, "problems": []})
    click.echo(f"Deployed {path} ({wanted[:12]}…): {outcome}")
@canal.command("line-from-osm")
@click.argument("answer", type=click.Path(exists=True, dir_okay=False))
@click.option("--segment", default="E", show_default=True,
              help="Which segment of the canal line to replace (A-E; E is the schematic one).")
@click.option("--line", "line_path", default=None, type=click.Path(dir_okay=False),
              help="The line file to update (default: data/north-canal.geojson).")
def line_from_osm(answer: str, segment: str, line_path: str | None) -> None:
    """Trace SEGMENT of the canal line from ANSWER, a saved Overpass JSON answer.

    README.md ("Refreshing from OpenStreetMap") gives the query. The file is rewritten in
    place; review the diff, run the tests and `canal check`, then commit.
    """
    import json
    from datetime import date

    from .osm import OsmError, dumps, replace_segment
    from .route import ROUTE_PATH, RouteError, load_line

    target = Path(line_path) if line_path else ROUTE_PATH

    def read(path: Path, what: str):
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise click.ClickException(f"{path}: cannot read the {what}: {err}") from None

    doc, osm = read(target, "canal line"), read(Path(answer), "Overpass answer")
    try:
        updated, summary = replace_segment(doc, segment, osm, date.today())
    except OsmError as err:
        raise click.ClickException(f"{answer}: {err}") from None
    except RouteError as err:
        raise click.ClickException(str(err)) from None
    target.write_text(dumps(updated), encoding="utf-8")
    load_line.cache_clear()
    click.echo(f"{target}: {summary}")
    if not any(f["properties"]["schematic"] for f in updated["features"]):
        click.echo("No schematic reach is left: the map credit no longer says the line is approximate.")
