"""Every setting of one deployment, read from the environment in one place, once.

`Settings.from_environ(os.environ)` is called by the app factory (which keeps the result
in `app.extensions["canal_settings"]`) and by the `flask canal` commands that must run
without an app (`check` on a broken file), so the site and the commands can never read
a variable differently. gunicorn.conf.py and deploy/serve.py are other processes; where
they read a variable the app reads too (CANAL_BIND, CANAL_PIDFILE, CANAL_RELOAD_STATUS),
they use `text()` / `bind()` / `pidfile()` from here.

Start-up failures of every kind (bad settings, broken content, ledger, fonts, map line)
are raised as `StartupProblem` and turned into one `StartupError` by `stop()`: a
SystemExit, so `flask run` and gunicorn print the messages without a traceback.
No Flask here: the commands and deploy scripts import this module too.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, overload

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVENTS = ROOT / "events.toml"
# gunicorn's address when CANAL_BIND is unset (gunicorn.conf.py), so `flask canal reload`
# looks for it where gunicorn really listens.
DEFAULT_BIND = "127.0.0.1:8000"
# The variables Settings reads: create_app's test_config gives these to Settings, not to
# app.config, so that no code can read a second, unparsed copy.
VARIABLES = frozenset({
    "CANAL_EVENTS", "CANAL_HOLIDAYS", "CANAL_REVISIONS", "CANAL_NOW", "CANAL_TRUSTED_PROXIES",
    "CANAL_TRUSTED_HOSTS", "CANAL_RELOAD_STATUS", "CANAL_ICP", "CANAL_POLICE_FILING",
    "CANAL_MAP_REVIEW_NO", "CANAL_TILES", "CANAL_TIANDITU_KEY", "CANAL_PLAN_NEARBY_KM",
    "CANAL_FONT_DIR", "CANAL_BIND", "CANAL_PIDFILE", "CANAL_FEED_WINDOW_DAYS",
})
MAX_TRUSTED_PROXIES = 5
MAX_NEARBY_KM = 200


class StartupProblem(Exception):
    """Something that must stop start-up; the message is for the editor or operator."""

    def __init__(self, message: str, problems: Iterable = ()):
        super().__init__(message)
        self.problems = list(problems)


class StartupError(SystemExit):
    """The one way the site refuses to start: its messages, no traceback (a SystemExit,
    so `flask run` and gunicorn print it and stop)."""

    def __init__(self, message: str, problems: Iterable = ()):
        self.problems = list(problems)
        super().__init__(message)


class InvalidContent(StartupError):
    """The content (events.toml, its holidays) has problems; `.problems` lists them
    (tests read them)."""


def stop(problem: StartupProblem) -> NoReturn:
    """Refuse to start with `problem`'s messages: the single exit of every start-up check."""
    kind = InvalidContent if problem.problems else StartupError
    raise kind(str(problem), problem.problems) from None


@overload
def text(environ: Mapping[str, Any], name: str, default: str) -> str: ...
@overload
def text(environ: Mapping[str, Any], name: str, default: None = None) -> str | None: ...


def text(environ: Mapping[str, Any], name: str, default: str | None = None) -> str | None:
    """A variable's text, stripped; unset or blank gives `default`."""
    value = environ.get(name)
    value = "" if value is None else str(value).strip()
    return value or default


def bind(environ: Mapping[str, Any]) -> str:
    """gunicorn's address (CANAL_BIND): unix:PATH or HOST:PORT."""
    return text(environ, "CANAL_BIND", DEFAULT_BIND)


def pidfile(environ: Mapping[str, Any]) -> str | None:
    """Where gunicorn's master writes its pid (CANAL_PIDFILE), None for nowhere."""
    return text(environ, "CANAL_PIDFILE")


@dataclass(frozen=True)
class Settings:
    """What the operator chose for this deployment (README, "Running it for real")."""

    events: str                    # CANAL_EVENTS: the content file
    holidays: str | None           # CANAL_HOLIDAYS; None: <events stem>.holidays.toml beside it
    revisions: str                 # CANAL_REVISIONS; default <events stem>.revisions.toml beside it
    now: datetime | None           # CANAL_NOW: a fixed "now" for tests and exports; None: the clock
    trusted_proxies: int           # CANAL_TRUSTED_PROXIES: proxies in front that set X-Forwarded-*
    trusted_hosts: tuple[str, ...]  # CANAL_TRUSTED_HOSTS: host names answered; empty: any
    reload_status: str | None      # CANAL_RELOAD_STATUS: `flask canal reload`'s record, for /healthz
    icp: str                       # CANAL_ICP: ICP备案号 in the footer
    police_filing: str             # CANAL_POLICE_FILING: 公安备案号 in the footer
    map_review_no: str             # CANAL_MAP_REVIEW_NO: 审图号 under every map
    tiles: str                     # CANAL_TILES: osm, tianditu or gaode (checked by canal.maps)
    tianditu_key: str | None       # CANAL_TIANDITU_KEY: the browser key for Tianditu tiles
    plan_nearby_km: float          # CANAL_PLAN_NEARBY_KM: the plan's "nearby" radius
    font_dir: str | None           # CANAL_FONT_DIR: where the CJK fonts are; None: the system's
    bind: str                      # CANAL_BIND: gunicorn's address (for `flask canal reload`)
    pidfile: str | None            # CANAL_PIDFILE: gunicorn master's pidfile (likewise)
    feed_window_days: int          # CANAL_FEED_WINDOW_DAYS: days the feeds keep an ended event

    @classmethod
    def from_environ(cls, environ: Mapping[str, Any],
                     overrides: Mapping[str, Any] | None = None) -> Settings:
        """Parse and check every variable; `overrides` (create_app's test_config) replaces
        variables by name and may give typed values (1 for "1"). StartupProblem lists
        every bad value at once."""
        given = {**{k: v for k, v in environ.items() if k in VARIABLES},
                 **{k: v for k, v in (overrides or {}).items() if k in VARIABLES}}
        problems: list[str] = []
        events = text(given, "CANAL_EVENTS", str(DEFAULT_EVENTS))
        settings = cls(
            events=events,
            holidays=text(given, "CANAL_HOLIDAYS"),
            revisions=text(given, "CANAL_REVISIONS") or str(_ledger_beside(events)),
            now=_moment(given, problems),
            trusted_proxies=_proxies(given, problems),
            trusted_hosts=tuple(h.strip() for h in (text(given, "CANAL_TRUSTED_HOSTS") or "").split(",")
                                if h.strip()),
            reload_status=text(given, "CANAL_RELOAD_STATUS"),
            icp=text(given, "CANAL_ICP", ""),
            police_filing=text(given, "CANAL_POLICE_FILING", ""),
            map_review_no=text(given, "CANAL_MAP_REVIEW_NO", ""),
            tiles=text(given, "CANAL_TILES", "osm"),
            tianditu_key=text(given, "CANAL_TIANDITU_KEY"),
            plan_nearby_km=_nearby_km(given, problems),
            font_dir=text(given, "CANAL_FONT_DIR"),
            bind=bind(given),
            pidfile=pidfile(given),
            feed_window_days=_feed_window_days(given, problems),
        )
        if problems:
            raise StartupProblem("\n".join(problems))
        return settings


def _ledger_beside(events: str) -> Path:
    from .revisions import default_path  # here: gunicorn.conf.py imports this module early
    return default_path(events)


def _moment(given: Mapping[str, Any], problems: list[str]) -> datetime | None:
    value = given.get("CANAL_NOW")
    if isinstance(value, datetime):
        return value
    written = text(given, "CANAL_NOW")
    if written is None:
        return None
    try:
        return datetime.fromisoformat(written)
    except ValueError:
        problems.append(f"CANAL_NOW = {written!r}: give a date and time written YYYY-MM-DDTHH:MM:SS")
        return None


def _proxies(given: Mapping[str, Any], problems: list[str]) -> int:
    written = text(given, "CANAL_TRUSTED_PROXIES", "0")
    if not written.isdigit() or int(written) > MAX_TRUSTED_PROXIES:
        problems.append(f"CANAL_TRUSTED_PROXIES = {written!r}: give how many proxies are in front "
                        f"(0 to {MAX_TRUSTED_PROXIES})")
        return 0
    return int(written)


def _nearby_km(given: Mapping[str, Any], problems: list[str]) -> float:
    from .plan import NEARBY_KM
    value = given.get("CANAL_PLAN_NEARBY_KM")
    if value is None or (isinstance(value, str) and not value.strip()):
        return NEARBY_KM
    try:
        radius = float(value)
    except (TypeError, ValueError):
        radius = -1.0
    if not 0 <= radius <= MAX_NEARBY_KM:  # also refuses nan
        problems.append(f"CANAL_PLAN_NEARBY_KM = {value!r}: give a distance in km from 0 to {MAX_NEARBY_KM}")
        return NEARBY_KM
    return radius


def _feed_window_days(given: Mapping[str, Any], problems: list[str]) -> int:
    from .feedwindow import DEFAULT_DAYS, parse_days
    value = given.get("CANAL_FEED_WINDOW_DAYS")
    try:
        return parse_days(None if value is None else str(value))
    except ValueError as err:
        problems.append(str(err))
        return DEFAULT_DAYS
